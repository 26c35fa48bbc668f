/// a + c₁√q₁ + c₂√q₂ over Q (q_k > 0): the companion scores as exact values — 002's INV and SCN are
/// 1 − d/σ = 1 − (d/σ²)·√σ², 004's linear-score GATE is αk/√q = (αk/q)·√q and Δτ a difference of two such.
/// Every sign is decided on squares (`RationalMatrix.signOf`), never through a rounded root.
public struct SquareRootSum: Sendable, Equatable, CustomStringConvertible {
    public let rational: Rational
    /// At most two terms (c, q), q > 0.
    public let roots: [(coefficient: Rational, radicand: Rational)]

    public init(_ rational: Rational) {
        self.rational = rational
        self.roots = []
    }

    /// a + Σ c_k √q_k; throws for a radicand ≤ 0 or more than two terms.
    public init(_ rational: Rational, roots: [(coefficient: Rational, radicand: Rational)]) throws(ReferenceError) {
        guard roots.count <= 2, roots.allSatisfy({ $0.radicand.signum > 0 }) else {
            throw .invalidArgument("a sum of at most two square roots of positive rationals")
        }
        // A root of a rational square is rational: folded in, so "1 − 4·√(1/4)" reads −1.
        var (a, kept) = (rational, [(coefficient: Rational, radicand: Rational)]())
        for root in roots where !root.coefficient.isZero {
            if let r = Self.rationalSquareRoot(root.radicand) { a += root.coefficient * r } else { kept.append(root) }
        }
        self.rational = a
        self.roots = kept
    }

    /// √q when q is the square of a rational.
    static func rationalSquareRoot(_ q: Rational) -> Rational? {
        guard let p = q.numerator.integerSquareRoot, let d = q.denominator.integerSquareRoot, p * p == q.numerator,
            d * d == q.denominator
        else { return nil }
        return try? Rational(p, d)
    }

    public static func == (a: SquareRootSum, b: SquareRootSum) -> Bool {
        a.rational == b.rational && a.roots.count == b.roots.count
            && zip(a.roots, b.roots).allSatisfy { $0.coefficient == $1.coefficient && $0.radicand == $1.radicand }
    }

    /// No square roots.
    public var isRational: Bool { roots.isEmpty }

    /// x·(a + Σ c_k √q_k) + y.
    public func scaled(by x: Rational, plus y: Rational = .zero) -> SquareRootSum {
        SquareRootSum(
            rational: rational * x + y,
            roots: x.isZero ? [] : roots.map { (x * $0.coefficient, $0.radicand) })
    }

    private init(rational: Rational, roots: [(coefficient: Rational, radicand: Rational)]) {
        self.rational = rational
        self.roots = roots
    }

    /// The exact sign: with P = a + c₁√q₁ and opposite signs of P and c₂, P² − c₂²q₂ decides
    /// (P² = a² + c₁²q₁ + 2ac₁√q₁, one more `signOf`).
    public var signum: Int {
        switch roots.count {
        case 0: return rational.signum
        case 1:
            return (try? RationalMatrix.signOf(rational, plus: roots[0].coefficient, sqrtOf: roots[0].radicand)) ?? 0
        default:
            let (a, (c1, q1), (c2, q2)) = (rational, roots[0], roots[1])
            let p = (try? RationalMatrix.signOf(a, plus: c1, sqrtOf: q1)) ?? 0
            if p == 0 || p == c2.signum { return p == 0 ? c2.signum : p }
            let rational = a.squared + c1.squared * q1 - c2.squared * q2
            let square = (try? RationalMatrix.signOf(rational, plus: a * c1 * 2, sqrtOf: q1)) ?? 0
            return square == 0 ? 0 : (square > 0 ? p : c2.signum)
        }
    }

    public var isZero: Bool { signum == 0 }

    /// The value in Double (each root rounded once: a few ulps unless the terms cancel).
    public var doubleValue: Double {
        roots.reduce(rational.doubleValue) { $0 + $1.coefficient.doubleValue * $1.radicand.doubleValue.squareRoot() }
    }

    /// "a + c·√q" ("p/q" when rational).
    public var description: String {
        guard !roots.isEmpty else { return rational.description }
        let head = rational.isZero ? [] : [rational.description]
        return (head + roots.map { "(\($0.coefficient))·√(\($0.radicand))" }).joined(separator: " + ")
            + " ≈ \(doubleValue)"
    }

    /// |x − self| > b·|self| (> b where self = 0), decided exactly: with s the sign of self, x − (1 + b·s)·self > 0
    /// or x − (1 − b·s)·self < 0.
    public func differsRelatively(from x: Rational, byMoreThan b: Rational) -> Bool {
        let s = signum
        if s == 0 { return x.magnitude > b }
        let bs = b * Rational(s)
        return scaled(by: -(Rational.one + bs), plus: x).signum > 0
            || scaled(by: -(Rational.one - bs), plus: x).signum < 0
    }
}
