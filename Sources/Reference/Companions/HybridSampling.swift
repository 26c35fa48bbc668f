/// 002, §5 and App. A.4.4: hybrid sampling on a finite prior. Given a base N¹ and an alternative N²,
/// both drawn from P(N), the n hybrids are N¹ with one coordinate replaced, N¹_i ← N²_i.
public enum HybridSampling {
    /// A finite distribution: distinct points with positive rational probabilities summing to 1.
    public typealias Distribution = [[Rational]: Rational]

    /// The empirical distribution of equally weighted samples.
    public static func empirical(_ samples: [[Rational]]) throws(ReferenceError) -> Distribution {
        guard !samples.isEmpty else { throw .invalidArgument("a distribution needs at least one sample") }
        var p: Distribution = [:]
        for s in samples { p[s, default: .zero] += Rational.one.divided(byNonZero: samples.count) }
        return p
    }

    /// A.4.4's hybrids: i uniform in 1…n, then N¹ with N¹_i ← N²_i (N¹, N² independent draws).
    public static func oneAtATime(_ p: Distribution) throws(ReferenceError) -> Distribution {
        guard let n = p.keys.first?.count, n >= 1 else { throw .invalidArgument("empty distribution") }
        var h: Distribution = [:]
        for (base, pb) in p {
            for (alternative, pa) in p {
                for i in 0..<n {
                    var x = base
                    x[i] = alternative[i]
                    h[x, default: .zero] += (pb * pa).divided(byNonZero: n)
                }
            }
        }
        return h
    }

    /// Every coordinate from its own independent draw (the product of the marginals).
    public static func productOfMarginals(_ p: Distribution) throws(ReferenceError) -> Distribution {
        guard let n = p.keys.first?.count, n >= 1 else { throw .invalidArgument("empty distribution") }
        var result: Distribution = [[]: .one]
        for i in 0..<n {
            let m = marginal(p, i)
            var next: Distribution = [:]
            for (prefix, q) in result {
                for (value, r) in m { next[prefix + [value], default: .zero] += q * r }
            }
            result = next
        }
        return result
    }

    public static func marginal(_ p: Distribution, _ i: Int) -> [Rational: Rational] {
        var m: [Rational: Rational] = [:]
        for (x, q) in p { m[x[i], default: .zero] += q }
        return m
    }

    /// Covariance of coordinates i and j.
    public static func covariance(_ p: Distribution, _ i: Int, _ j: Int) -> Rational {
        var (ei, ej, eij) = (Rational.zero, Rational.zero, Rational.zero)
        for (x, q) in p {
            ei += q * x[i]
            ej += q * x[j]
            eij += q * x[i] * x[j]
        }
        return eij - ei * ej
    }

    /// Mutually independent coordinates: the distribution equals the product of its marginals.
    public static func isIndependent(_ p: Distribution) throws(ReferenceError) -> Bool {
        let product = try productOfMarginals(p)
        return product.filter { !$0.value.isZero } == p.filter { !$0.value.isZero }
    }
}
