/// 003 (*Identifiable Latent Neural Causal Models*), the linear-Gaussian toy of eqs. (1)–(3): two latent
/// causal variables z₁ → z₂ over finitely many environments u, z₁ = n₁, z₂ = λ(u) z₁ + n₂ (eq. 2 with
/// g₂ linear), n_i ~ N(μ_i(u), v_i(u)) (eq. 1, Gaussian), x = F z (eq. 3, ε = 0). Observational
/// equivalence is exact equality of E[x|u] and Cov[x|u] for every u.
public struct LatentCausalModel: Sendable, Equatable {
    /// One environment u: the causal weight λ(u) and the noise means and variances.
    public struct Environment: Sendable, Equatable {
        public var weight: Rational
        public var means: [Rational]
        public var variances: [Rational]

        public init(weight: Rational, means: [Rational], variances: [Rational]) throws(ReferenceError) {
            guard means.count == 2, variances.count == 2, variances.allSatisfy({ $0.signum > 0 }) else {
                throw .invalidArgument("an environment needs two noise means and two positive variances")
            }
            self.weight = weight
            self.means = means
            self.variances = variances
        }
    }

    /// F, the 2×2 (invertible) mixing.
    public let mixing: [[Rational]]
    public let environments: [Environment]

    public init(mixing: [[Rational]], environments: [Environment]) throws(ReferenceError) {
        guard mixing.count == 2, mixing.allSatisfy({ $0.count == 2 }) else {
            throw .shapeMismatch("the mixing F must be 2×2")
        }
        guard try !RationalMatrix.determinant(mixing).isZero else { throw .invalidArgument("F must be invertible") }
        guard !environments.isEmpty else { throw .invalidArgument("at least one environment u") }
        self.mixing = mixing
        self.environments = environments
    }

    /// L_u, unit lower triangular: z = L_u n (Lemma B.1's G, linear).
    public static func structure(_ weight: Rational) -> [[Rational]] { [[.one, .zero], [weight, .one]] }

    /// E[z|u] and Cov[z|u].
    public func latentMoments(_ u: Int) throws(ReferenceError) -> (mean: [Rational], covariance: [[Rational]]) {
        let e = environments[u]
        let l = Self.structure(e.weight)
        let d: [[Rational]] = [[e.variances[0], .zero], [.zero, e.variances[1]]]
        let covariance = try RationalMatrix.product(RationalMatrix.product(l, d), RationalMatrix.transpose(l))
        return (try RationalMatrix.apply(l, e.means), covariance)
    }

    /// E[x|u] and Cov[x|u].
    public func observation(_ u: Int) throws(ReferenceError) -> (mean: [Rational], covariance: [[Rational]]) {
        let (mean, covariance) = try latentMoments(u)
        let f = mixing
        return (
            try RationalMatrix.apply(f, mean),
            try RationalMatrix.product(RationalMatrix.product(f, covariance), RationalMatrix.transpose(f))
        )
    }

    /// Same conditional means and covariances of x for every environment.
    public func isObservationallyEquivalent(to other: LatentCausalModel) throws(ReferenceError) -> Bool {
        guard environments.count == other.environments.count else { return false }
        for u in environments.indices {
            let (a, b) = (try observation(u), try other.observation(u))
            guard a.mean == b.mean, a.covariance == b.covariance else { return false }
        }
        return true
    }

    /// Condition (iv) for the edge z₁ → z₂: some u* with ∂g₂/∂z₁ = λ(u*) = 0.
    public var satisfiesConditionIV: Bool { environments.contains { $0.weight.isZero } }

    /// Condition (iv) at a given environment.
    public func satisfiesConditionIV(at u: Int) -> Bool { environments[u].weight.isZero }

    /// Assumption (iii): 2ℓ+1 = 5 environments whose natural parameters η = (μ/v, −1/(2v)) per noise give
    /// an invertible 4×4 matrix L = (η(u₁) − η(u₀), …, η(u₄) − η(u₀)).
    public var satisfiesAssumptionIII: Bool {
        guard environments.count >= 5 else { return false }
        func eta(_ e: Environment) throws(ReferenceError) -> [Rational] {
            var eta: [Rational] = []
            for i in 0..<2 {
                eta.append(try e.means[i] / e.variances[i])
                eta.append(-(try e.variances[i].multiplied(byPowerOfTwo: 1).reciprocal()))
            }
            return eta
        }
        do {
            let base = try eta(environments[0])
            var columns: [[Rational]] = []
            for k in 1...4 { columns.append(zip(try eta(environments[k]), base).map { $0.0 - $0.1 }) }
            return !(try RationalMatrix.determinant(columns).isZero)
        } catch { return false }
    }

    /// The model of ẑ = M⁻¹ z: F̂ = F M and, per u, the unique LDLᵀ factorisation of M⁻¹ Cov[z|u] M⁻ᵀ
    /// (λ̂(u) = Σ̂₂₁/Σ̂₁₁, v̂₁ = Σ̂₁₁, v̂₂ = Σ̂₂₂ − Σ̂₂₁²/Σ̂₁₁), the noise means from M⁻¹ E[z|u].
    /// It is observationally equivalent to this model for every invertible M.
    public func transformed(by m: [[Rational]]) throws(ReferenceError) -> LatentCausalModel {
        guard let inverse = try RationalMatrix.inverse(m), m.count == 2 else {
            throw .invalidArgument("the transformation M must be an invertible 2×2 matrix")
        }
        var transformed: [Environment] = []
        for u in environments.indices {
            let (mean, covariance) = try latentMoments(u)
            let s = try RationalMatrix.product(
                RationalMatrix.product(inverse, covariance), RationalMatrix.transpose(inverse))
            let mu = try RationalMatrix.apply(inverse, mean)
            let weight = try s[1][0] / s[0][0]
            let v2 = s[1][1] - weight * s[1][0]
            transformed.append(
                try Environment(weight: weight, means: [mu[0], mu[1] - weight * mu[0]], variances: [s[0][0], v2]))
        }
        return try LatentCausalModel(mixing: RationalMatrix.product(mixing, m), environments: transformed)
    }

    /// The noise map of environment u from this model to `other` = `transformed(by: M)`: n̂ = L̂_u⁻¹ M⁻¹ L_u n.
    public func noiseMap(to other: LatentCausalModel, transform m: [[Rational]], _ u: Int) throws(ReferenceError)
        -> [[Rational]]
    {
        guard let inverse = try RationalMatrix.inverse(m) else { throw .invalidArgument("M must be invertible") }
        let lHatInverse: [[Rational]] = [[.one, .zero], [-other.environments[u].weight, .one]]
        return try RationalMatrix.product(
            RationalMatrix.product(lHatInverse, inverse), Self.structure(environments[u].weight))
    }
}

/// 003, Step I with a u-independent mixing x = A n (the iVAE setting): which M make every M D_u Mᵀ
/// diagonal, for D_u = diag(v₁(u), v₂(u))? The off-diagonal entries give v₁(u) p + v₂(u) q = 0 in
/// p = m₁₁m₂₁, q = m₁₂m₂₂, a linear system decided exactly.
public enum NoiseIdentifiability {
    /// Only scaled permutations when the variance vectors span Q²; otherwise a non-permutation witness.
    public static func nonPermutationWitness(variances: [[Rational]]) throws(ReferenceError) -> [[Rational]]? {
        guard variances.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.signum > 0 } }), !variances.isEmpty else {
            throw .invalidArgument("each environment needs two positive noise variances")
        }
        let (a0, b0) = (variances[0][0], variances[0][1])
        for v in variances.dropFirst() where a0 * v[1] - b0 * v[0] != .zero { return nil }
        // All proportional to (a0, b0): p = b0, q = −a0 solves every equation; M = [[1, 1], [b0, −a0]].
        return [[.one, .one], [b0, -a0]]
    }

    /// Whether M D_u Mᵀ is diagonal for every u.
    public static func diagonalises(_ m: [[Rational]], variances: [[Rational]]) throws(ReferenceError) -> Bool {
        for v in variances {
            let d: [[Rational]] = [[v[0], .zero], [.zero, v[1]]]
            let s = try RationalMatrix.product(RationalMatrix.product(m, d), RationalMatrix.transpose(m))
            if !s[0][1].isZero { return false }
        }
        return true
    }
}
