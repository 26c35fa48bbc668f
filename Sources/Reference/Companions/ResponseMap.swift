/// 002 (*On the interventional consistency of autoencoders*), §2.1: the response map R = E∘D of an
/// autoencoder on a finite, equally weighted prior sample, with an explicit causal latent block (XBlock)
/// and the invariance, equivariance and self-consistency scores as printed. Exact in Q: a standard
/// deviation is carried as its square σ² and every decision compares squares.
public struct ResponseMap: Sendable, Equatable {
    /// R(n) = A n + Q (n ⊙ n) + b: the expected response to a prior sample (linear when Q = 0).
    public let matrix: [[Rational]]
    public let quadratic: [[Rational]]
    public let offset: [Rational]
    /// The prior samples N^k ∈ Q^n (the Monte Carlo sample, equally weighted).
    public let prior: [[Rational]]
    /// XBlock weights, lower triangular: Z_i = L_ii N_i + Σ_{j<i} L_ij Z_j (§2.2; a linear f_i with mask).
    public let xblock: [[Rational]]
    /// The intervention values v of 𝕀_m, per dimension m (uniform over the listed values).
    public let interventionValues: [[Rational]]

    public var dimension: Int { offset.count }

    public init(
        matrix: [[Rational]], quadratic: [[Rational]]? = nil, offset: [Rational], prior: [[Rational]],
        xblock: [[Rational]]? = nil, interventionValues: [[Rational]]
    ) throws(ReferenceError) {
        let n = offset.count
        let q = quadratic ?? [[Rational]](repeating: [Rational](repeating: .zero, count: n), count: n)
        guard n >= 1, matrix.count == n, matrix.allSatisfy({ $0.count == n }), q.count == n,
            q.allSatisfy({ $0.count == n })
        else {
            throw .shapeMismatch("the response map needs n×n matrices A, Q and an offset of length n ≥ 1")
        }
        guard !prior.isEmpty, prior.allSatisfy({ $0.count == n }) else {
            throw .shapeMismatch("the prior needs at least one sample of length \(n)")
        }
        let block = xblock ?? RationalMatrix.identity(n)
        guard block.count == n, block.allSatisfy({ $0.count == n }),
            (0..<n).allSatisfy({ i in ((i + 1)..<n).allSatisfy { block[i][$0].isZero } })
        else { throw .shapeMismatch("the XBlock needs a lower-triangular n×n matrix") }
        guard interventionValues.count == n, interventionValues.allSatisfy({ !$0.isEmpty }) else {
            throw .shapeMismatch("every dimension m needs at least one intervention value")
        }
        self.matrix = matrix
        self.quadratic = q
        self.offset = offset
        self.prior = prior
        self.xblock = block
        self.interventionValues = interventionValues
    }

    /// The expected response R(n) = A n + Q (n ⊙ n) + b.
    public func respond(_ n: [Rational]) throws(ReferenceError) -> [Rational] {
        let (linear, squares) = (
            try RationalMatrix.apply(matrix, n), try RationalMatrix.apply(quadratic, n.map(\.squared))
        )
        return offset.indices.map { linear[$0] + squares[$0] + offset[$0] }
    }

    /// Response dimension i is constant: rows i of A and Q vanish.
    public func isCollapsed(_ i: Int) -> Bool {
        matrix[i].allSatisfy(\.isZero) && quadratic[i].allSatisfy(\.isZero)
    }

    /// The hard intervention N_m ← v.
    public static func intervene(_ n: [Rational], _ m: Int, _ v: Rational) -> [Rational] {
        var x = n
        x[m] = v
        return x
    }

    /// The XBlock's causal variables Z of noise N (§2.2).
    public func causes(_ n: [Rational]) -> [Rational] {
        var z: [Rational] = []
        for i in n.indices {
            var value = xblock[i][i] * n[i]
            for j in 0..<i { value += xblock[i][j] * z[j] }
            z.append(value)
        }
        return z
    }

    /// The XBlock is injective ⟺ every L_ii ≠ 0.
    public var xblockIsInjective: Bool { (0..<dimension).allSatisfy { !xblock[$0][$0].isZero } }

    static func mean(_ values: [Rational]) -> Rational {
        var sum = Rational.zero
        for v in values { sum += v }
        return sum.divided(byNonZero: values.count)
    }

    /// Which index the normaliser U_{I_m} = E_N[|(N − Ñ_{I_m})_·|] reads (002, §2.1).
    public enum UIndex: String, Sendable, CaseIterable {
        /// As printed: the response dimension i (zero whenever i ≠ m).
        case printed
        /// The intervened dimension m: the magnitude of the intervention.
        case intervened
    }

    /// Whose standard deviation σ_i is (002, §2.1: "each dimension in the response space").
    public enum Sigma: String, Sendable, CaseIterable {
        case response, prior
    }

    /// σ_i²: the population variance of R(N)_i, or of N_i, over the prior sample.
    public func sigmaSquared(_ i: Int, _ sigma: Sigma) throws(ReferenceError) -> Rational {
        var values: [Rational] = []
        for n in prior { values.append(sigma == .prior ? n[i] : try respond(n)[i]) }
        let mu = Self.mean(values)
        return Self.mean(values.map { ($0 - mu).squared })
    }

    /// U_{I_m} for the intervention N_m ← v, read at `index` (i or m); throws when it is zero.
    public func magnitude(m: Int, i: Int, v: Rational, index: UIndex) throws(ReferenceError) -> Rational {
        let k = index == .printed ? i : m
        let u = Self.mean(prior.map { ($0[k] - Self.intervene($0, m, v)[k]).magnitude })
        guard !u.isZero else {
            throw .divisionByZero(context: "U_{I_m} = E_N|(N − Ñ)_\(k)| for m = \(m), v = \(v)")
        }
        return u
    }

    /// Σ_v E_N[‖d_i‖]/U_v averaged over 𝕀_m, for the per-sample difference `difference(n, v)`.
    func normalisedError(
        m: Int, i: Int, index: UIndex, _ difference: (_ n: [Rational], _ v: Rational) throws(ReferenceError) -> Rational
    ) throws(ReferenceError) -> Rational {
        var perIntervention: [Rational] = []
        for v in interventionValues[m] {
            var errors: [Rational] = []
            for n in prior { errors.append(try difference(n, v).magnitude) }
            perIntervention.append(try Self.mean(errors) / magnitude(m: m, i: i, v: v, index: index))
        }
        return Self.mean(perIntervention)
    }

    /// (N̂′ − Ñ′_{I_m})_i for one prior sample.
    func invarianceDifference(_ n: [Rational], m: Int, i: Int, v: Rational) throws(ReferenceError) -> Rational {
        try respond(n)[i] - respond(Self.intervene(n, m, v))[i]
    }

    /// (Ž′ − Z̃′)_i: the XBlock of the intervened response against the XBlock of the response to Ñ.
    func equivarianceDifference(_ n: [Rational], m: Int, i: Int, v: Rational) throws(ReferenceError) -> Rational {
        let intervenedResponse = Self.intervene(try respond(n), m, v)
        return causes(intervenedResponse)[i] - causes(try respond(Self.intervene(n, m, v)))[i]
    }

    /// INV[m,i] = 1 − E_{I_m}[e_{I_m,i}], e = (1/(U σ_i)) E_N‖(N̂′ − Ñ′)_i‖ (eq. 5).
    public func invariance(m: Int, i: Int, index: UIndex, sigma: Sigma) throws(ReferenceError) -> ConsistencyScore {
        let deficit = try normalisedError(m: m, i: i, index: index) { n, v throws(ReferenceError) in
            try invarianceDifference(n, m: m, i: i, v: v)
        }
        return try ConsistencyScore(deficit: deficit, scaleSquared: sigmaSquared(i, sigma), what: "σ_\(i)")
    }

    /// EQV[m,i] = 1 − E_{I_m}[r_{I_m,i}], r = (1/U) E_N‖(Ž′ − Z̃′)_i‖ (§2.1).
    public func equivariance(m: Int, i: Int, index: UIndex) throws(ReferenceError) -> ConsistencyScore {
        let deficit = try normalisedError(m: m, i: i, index: index) { n, v throws(ReferenceError) in
            try equivarianceDifference(n, m: m, i: i, v: v)
        }
        return try ConsistencyScore(deficit: deficit, scaleSquared: .one, what: "1")
    }

    /// SCN[i] = 1 − (1/σ_i) E_N‖(N̂′ − N)_i‖ (§2.1).
    public func selfConsistency(_ i: Int, sigma: Sigma) throws(ReferenceError) -> ConsistencyScore {
        var errors: [Rational] = []
        for n in prior { errors.append((try respond(n)[i] - n[i]).magnitude) }
        return try ConsistencyScore(deficit: Self.mean(errors), scaleSquared: sigmaSquared(i, sigma), what: "σ_\(i)")
    }

    /// Alg. 1–2: L = (1/|𝕀|) Σ_{I_m} (1/(nT)) Σ_k Σ_i ‖·‖ over i ≠ m (as printed) or over every i.
    public func loss(equivariant: Bool, allDimensions: Bool) throws(ReferenceError) -> Rational {
        var perIntervention: [Rational] = []
        for m in 0..<dimension {
            for v in interventionValues[m] {
                var sum = Rational.zero
                for n in prior {
                    for i in 0..<dimension where allDimensions || i != m {
                        let d =
                            equivariant
                            ? try equivarianceDifference(n, m: m, i: i, v: v)
                            : try invarianceDifference(n, m: m, i: i, v: v)
                        sum += d.magnitude
                    }
                }
                perIntervention.append(sum.divided(byNonZero: dimension * prior.count))
            }
        }
        return Self.mean(perIntervention)
    }

    /// The aggregate posterior's values of dimension m: the encodings R(N^k)_m of the generated data.
    public func aggregatePosteriorValues(_ m: Int) throws(ReferenceError) -> [Rational] {
        var values: [Rational] = []
        for n in prior { values.append(try respond(n)[m]) }
        return values
    }

    /// The same map with 𝕀_m drawn from the aggregate posterior (002, §2.1: "sampled from the aggregate posterior").
    public func withAggregatePosteriorInterventions() throws(ReferenceError) -> ResponseMap {
        var values: [[Rational]] = []
        for m in 0..<dimension { values.append(try aggregatePosteriorValues(m)) }
        return try ResponseMap(
            matrix: matrix, quadratic: quadratic, offset: offset, prior: prior, xblock: xblock,
            interventionValues: values)
    }
}

/// A score 1 − deficit/√scale² (002's INV, EQV, SCN): the deficit is exact, the scale carried squared.
public struct ConsistencyScore: Sendable, Equatable {
    /// E[…]/U, before the division by σ (≥ 0).
    public let deficit: Rational
    /// σ² (1 for EQV).
    public let scaleSquared: Rational

    public init(deficit: Rational, scaleSquared: Rational, what: String) throws(ReferenceError) {
        guard scaleSquared.signum > 0 else {
            throw .divisionByZero(context: "the score divides by \(what) = 0 (a constant dimension)")
        }
        self.deficit = deficit
        self.scaleSquared = scaleSquared
    }

    /// The score is exactly 1.
    public var isPerfect: Bool { deficit.isZero }

    /// score ≥ c, decided on squares.
    public func isAtLeast(_ c: Rational) -> Bool {
        let slack = Rational.one - c
        if deficit.isZero { return slack.signum >= 0 }
        return slack.signum > 0 && deficit.squared <= slack.squared * scaleSquared
    }
}
