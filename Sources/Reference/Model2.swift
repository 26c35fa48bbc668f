/// Model 2 (eq. 9): X = A B Z = diag(a) diag(b) Z, a and b positive diagonals indexed by 1…d−1 (d prime),
/// Z a vector of positive independent variables with E|Z_k|² = 1. S = Z_d^* acts on a diagonal by
/// replacing coordinate k by coordinate g·k mod d (Prop. 7). B is the first mechanism (f₁), A the second.
public struct Model2: Sendable, Hashable {
    /// a_1 … a_{d−1}, stored at positions 0 … d−2.
    public let a: [Rational]
    public let b: [Rational]
    public let group: StretchGroup

    public init(a: [Rational], b: [Rational]) throws(ReferenceError) {
        guard a.count == b.count else {
            throw .shapeMismatch("a has \(a.count) entries and b has \(b.count): both are (d−1)-diagonals")
        }
        guard a.allSatisfy({ $0.signum > 0 }), b.allSatisfy({ $0.signum > 0 }) else {
            throw .invalidArgument("Model 2's diagonals must be positive definite: every a_k, b_k > 0")
        }
        group = try StretchGroup(a.count + 1)
        self.a = a
        self.b = b
    }

    public var d: Int { group.modulus }

    /// (g·v)_k = v_{g k mod d}, coordinates 1…d−1 (Prop. 7).
    public static func stretch(_ v: [Rational], by g: Int, in group: StretchGroup) throws(ReferenceError) -> [Rational]
    {
        guard v.count == group.order else { throw .shapeMismatch("a diagonal of \(v.count) entries under \(group)") }
        return try (1..<group.modulus).map { (k: Int) throws(ReferenceError) -> Rational in
            v[try group.product(g, k) - 1]
        }
    }

    /// ⟨v⟩ over the d−1 coordinates.
    public static func mean(_ v: [Rational]) -> Rational {
        v.reduce(Rational.zero, +).divided(byNonZero: max(1, v.count))
    }

    /// φ̃(B, A) = τ[A B Bᵀ Aᵀ] = ⟨a² ⊙ b²⟩, τ the trace normalised by d − 1 (Sec. 3.1).
    public static func traceContrast(a: [Rational], b: [Rational]) -> Rational {
        mean(zip(a, b).map { ($0 * $1).squared })
    }

    /// ρ′(B, A) = ⟨a² ⊙ b²⟩ / (⟨a²⟩⟨b²⟩) (Prop. 5).
    public static func ratio(a: [Rational], b: [Rational]) throws(ReferenceError) -> Rational {
        let denominator = mean(a.map(\.squared)) * mean(b.map(\.squared))
        guard !denominator.isZero else { throw .undefined("ρ′ needs ⟨a²⟩⟨b²⟩ ≠ 0") }
        return try traceContrast(a: a, b: b) / denominator
    }

    /// The generic ratio of Def. 2 computed literally with φ̃: φ̃(B, A) / E_g φ̃(g·B, A).
    public func genericRatio() throws(ReferenceError) -> Rational {
        var sum = Rational.zero
        for g in group.elements { sum += Self.traceContrast(a: a, b: try Self.stretch(b, by: g, in: group)) }
        return try Self.traceContrast(a: a, b: b) / sum.divided(byNonZero: group.order)
    }

    /// The law of X is fixed by the vector c = a ⊙ b (Z's law is fixed and non-degenerate), so a
    /// distribution is represented exactly by c.
    public var outputScales: [Rational] { zip(a, b).map { $0 * $1 } }

    /// Which diagonal the group acts on: B (the first mechanism f₁, as eq. 5 prescribes) or A (as Prop. 7 prints).
    public enum ActedOn: String, Sendable, CaseIterable { case b, a }

    /// M^S = {c(A, g·B) : g ∈ S} (eq. 5; or with g acting on A), distributions represented by their scale vectors.
    public func extrapolatedClass(actingOn acted: ActedOn = .b) throws(ReferenceError) -> Set<[Rational]> {
        var result = Set<[Rational]>()
        for g in group.elements {
            switch acted {
            case .b: result.insert(zip(a, try Self.stretch(b, by: g, in: group)).map { $0 * $1 })
            case .a: result.insert(zip(try Self.stretch(a, by: g, in: group), b).map { $0 * $1 })
            }
        }
        return result
    }

    /// S-equivalence (Def. 1), decided exactly.
    public func isEquivalent(to other: Model2, actingOn acted: ActedOn = .b) throws(ReferenceError) -> Bool {
        guard other.d == d else { throw .shapeMismatch("models of dimensions \(d - 1) and \(other.d - 1)") }
        return try extrapolatedClass(actingOn: acted) == other.extrapolatedClass(actingOn: acted)
    }
}
