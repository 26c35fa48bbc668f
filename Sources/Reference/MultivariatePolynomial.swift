/// A polynomial over Q in variables x₀, x₁, … (sparse: monomial exponent vectors ↦ coefficients).
/// Used to check polynomial identities exactly (Prop. 9's recursion) and for Gaussian moments.
public struct MultivariatePolynomial: Sendable, Hashable, CustomStringConvertible {
    /// Exponent vector (trailing zeros trimmed) ↦ non-zero coefficient.
    public private(set) var terms: [[Int]: Rational]

    public init() { terms = [:] }

    public init(_ constant: Rational) {
        terms = constant.isZero ? [:] : [[]: constant]
    }

    /// The variable x_index.
    public static func variable(_ index: Int) -> MultivariatePolynomial {
        var exponents = [Int](repeating: 0, count: index + 1)
        exponents[index] = 1
        var p = MultivariatePolynomial()
        p.terms[exponents] = .one
        return p
    }

    static func trimmed(_ e: [Int]) -> [Int] {
        var e = e
        while let last = e.last, last == 0 { e.removeLast() }
        return e
    }

    public var isZero: Bool { terms.isEmpty }

    /// The constant term's value when the polynomial is constant.
    public var constantValue: Rational? {
        if terms.isEmpty { return .zero }
        if terms.count == 1, let c = terms[[]] { return c }
        return nil
    }

    public var degree: Int { terms.keys.map { $0.reduce(0, +) }.max() ?? 0 }

    mutating func add(_ coefficient: Rational, _ exponents: [Int]) {
        let key = Self.trimmed(exponents)
        let sum = (terms[key] ?? .zero) + coefficient
        terms[key] = sum.isZero ? nil : sum
    }

    public static func + (a: Self, b: Self) -> Self {
        var r = a
        for (e, c) in b.terms { r.add(c, e) }
        return r
    }

    public static prefix func - (a: Self) -> Self {
        var r = Self()
        for (e, c) in a.terms { r.terms[e] = -c }
        return r
    }

    public static func - (a: Self, b: Self) -> Self { a + (-b) }

    public static func * (a: Self, b: Self) -> Self {
        var r = Self()
        for (e1, c1) in a.terms {
            for (e2, c2) in b.terms {
                var e = [Int](repeating: 0, count: max(e1.count, e2.count))
                for (i, x) in e1.enumerated() { e[i] += x }
                for (i, x) in e2.enumerated() { e[i] += x }
                r.add(c1 * c2, e)
            }
        }
        return r
    }

    public static func * (a: Rational, b: Self) -> Self { Self(a) * b }

    public func power(_ k: Int) -> Self {
        precondition(k >= 0, "polynomial powers need k ≥ 0")
        var result = Self(.one)
        for _ in 0..<k { result = result * self }
        return result
    }

    /// The value at a point (missing coordinates read as 0).
    public func evaluate(_ point: [Rational]) throws(ReferenceError) -> Rational {
        var sum = Rational.zero
        for (e, c) in terms {
            var term = c
            for (i, k) in e.enumerated() where k > 0 {
                guard i < point.count else {
                    throw .shapeMismatch("a point of \(point.count) coordinates for a polynomial in x₀…x\(e.count - 1)")
                }
                term *= try point[i].power(k)
            }
            sum += term
        }
        return sum
    }

    /// ∂/∂x_index.
    public func derivative(_ index: Int) -> Self {
        var r = Self()
        for (e, c) in terms where index < e.count && e[index] > 0 {
            var e2 = e
            e2[index] -= 1
            r.add(c * Rational(e[index]), e2)
        }
        return r
    }

    /// E[p(X₀, X₁, …)] for independent Gaussians X_i ~ N(mean_i, variance_i), exactly:
    /// E[X^k] = Σ_{j even} C(k, j) μ^{k−j} σ^j (j − 1)!!.
    public func gaussianExpectation(means: [Rational], variances: [Rational]) throws(ReferenceError) -> Rational {
        guard means.count == variances.count else {
            throw .shapeMismatch("\(means.count) means and \(variances.count) variances")
        }
        guard variances.allSatisfy({ $0.signum >= 0 }) else {
            throw .invalidArgument("Gaussian variances must be non-negative")
        }
        var sum = Rational.zero
        for (e, c) in terms {
            var term = c
            for (i, k) in e.enumerated() where k > 0 {
                guard i < means.count else { throw .shapeMismatch("no distribution given for x\(i)") }
                term *= try Self.gaussianMoment(k, mean: means[i], variance: variances[i])
            }
            sum += term
        }
        return sum
    }

    /// E[X^k] for X ~ N(μ, σ²).
    public static func gaussianMoment(_ k: Int, mean: Rational, variance: Rational) throws(ReferenceError) -> Rational {
        var sum = Rational.zero
        var binomial = BigInt(1)  // C(k, j)
        var doubleFactorial = BigInt(1)  // (j − 1)!!
        for j in 0...k {
            if j > 0 { binomial = try (binomial * BigInt(k - j + 1)).exactlyDivided(by: BigInt(j)) }
            if j % 2 == 0 {
                if j >= 2 { doubleFactorial *= BigInt(j - 1) }
                sum += Rational(binomial * doubleFactorial) * (try mean.power(k - j)) * (try variance.power(j / 2))
            }
        }
        return sum
    }

    public var description: String {
        if terms.isEmpty { return "0" }
        return terms.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { e, c in
            let monomial = e.enumerated().filter { $0.element > 0 }
                .map { $0.element == 1 ? "x\($0.offset)" : "x\($0.offset)^\($0.element)" }.joined(separator: "·")
            return monomial.isEmpty ? c.description : "\(c)·\(monomial)"
        }.joined(separator: " + ")
    }
}
