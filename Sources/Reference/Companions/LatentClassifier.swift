/// 004 (*CAGE*), §3.2–3.3: linear latent classifiers over a finite rational latent sample, the
/// do-operation z + α h with h = w/‖w‖ the unit normal, GITE (eq. 5), GATE (eq. 6) and Δτ (eq. 7).
/// ‖w‖ is irrational in general: every decision is a sign in Q(√‖w‖²), decided on squares.
public struct LatentClassifier: Sendable, Equatable {
    /// What φ returns (the paper: "a (probabilistic) linear classifier φ: 𝒵 → [0, 1]").
    public enum Output: String, Sendable, CaseIterable {
        /// φ(z) = 𝟙[w·z + b > 0].
        case hardThreshold
        /// φ(z) = w·z + b, the logit (linear score).
        case linearScore
    }

    public let weights: [Rational]
    public let bias: Rational

    public init(weights: [Rational], bias: Rational) throws(ReferenceError) {
        guard weights.contains(where: { !$0.isZero }) else {
            throw .invalidArgument("a linear classifier needs a non-zero normal w")
        }
        self.weights = weights
        self.bias = bias
    }

    /// t(z) = w·z + b.
    public func score(_ z: [Rational]) throws(ReferenceError) -> Rational { try RationalMatrix.dot(weights, z) + bias }

    /// φ(z) = σ(t(z)) > c for the logistic probability σ, decided without σ: always for c = 0 (σ > 0), t > 0
    /// for c = 1/2; other thresholds would need log(c/(1−c)) and are refused.
    public func probabilityExceeds(_ z: [Rational], _ c: Rational) throws(ReferenceError) -> Bool {
        if c.isZero { return true }
        if c == (try Rational(1, 2)) { return try score(z).signum > 0 }
        throw .invalidArgument("a logistic threshold other than 0 or 1/2 is transcendental: got \(c)")
    }

    /// ‖w‖².
    public var normSquared: Rational {
        var s = Rational.zero
        for w in weights { s += w.squared }
        return s
    }

    /// The label of z + s·α·h_other (s = ±1, 0 for z itself): the sign of t(z) + s α (w·w_o)/‖w_o‖.
    public func label(
        _ z: [Rational], movedAlong other: LatentClassifier, by alpha: Rational, direction s: Int
    ) throws(ReferenceError) -> Bool {
        let t = try score(z)
        let shift = Rational(s) * alpha * (try RationalMatrix.dot(weights, other.weights) / other.normSquared)
        return try RationalMatrix.signOf(t, plus: shift, sqrtOf: other.normSquared) > 0
    }
}

/// CAGE's GATE and Δτ for two hard-threshold latent classifiers (004, eqs. 5–7), or, for linear scores,
/// their closed forms in Q(√q).
public enum GenerativeEffects {
    /// m_c(i) = 𝟙[φ_c(z(i)) > 0] for a hard-threshold φ_c: the side of the hyperplane (Step 2).
    /// τ_GATE(c → e) = E_i[m_e(i; do(m_c = 1)) − m_e(i; do(m_c = 0))] with do(m_c = 1) = z + α h_c for a
    /// factual m_c = 0 and do(m_c = 0) = z − α h_c for a factual m_c = 1 (Step 3, "analogous").
    public static func gate(
        treatment c: LatentClassifier, effect e: LatentClassifier, samples: [[Rational]], alpha: Rational
    ) throws(ReferenceError) -> Rational {
        guard !samples.isEmpty else { throw .invalidArgument("GATE needs at least one latent sample") }
        var sum = Rational.zero
        for z in samples {
            let factual = try c.score(z).signum > 0
            let treated = try e.label(z, movedAlong: c, by: alpha, direction: factual ? 0 : 1)
            let untreated = try e.label(z, movedAlong: c, by: alpha, direction: factual ? -1 : 0)
            sum += Rational((treated ? 1 : 0) - (untreated ? 1 : 0))
        }
        return sum.divided(byNonZero: samples.count)
    }

    /// The individual effects τ_GITE(i) (eq. 5), hard thresholds.
    public static func gites(
        treatment c: LatentClassifier, effect e: LatentClassifier, samples: [[Rational]], alpha: Rational
    ) throws(ReferenceError) -> [Rational] {
        var result: [Rational] = []
        for z in samples { result.append(try gate(treatment: c, effect: e, samples: [z], alpha: alpha)) }
        return result
    }

    /// Δτ = |τ_GATE(c → e)| − |τ_GATE(e → c)| (eq. 7), hard thresholds.
    public static func deltaTau(
        _ c: LatentClassifier, _ e: LatentClassifier, samples: [[Rational]], alpha: Rational
    ) throws(ReferenceError) -> Rational {
        try gate(treatment: c, effect: e, samples: samples, alpha: alpha).magnitude
            - gate(treatment: e, effect: c, samples: samples, alpha: alpha).magnitude
    }

    /// For linear scores every GITE is α (w_e·w_c)/‖w_c‖, so τ_GATE(c → e) = α k/√q_c with k = w_e·w_c:
    /// the sign of Δτ = α|k| (1/√q_c − 1/√q_e) is the sign of q_e − q_c (k ≠ 0), whatever α > 0.
    public static func linearScoreGate(treatment c: LatentClassifier, effect e: LatentClassifier, alpha: Rational)
        throws(ReferenceError) -> (coefficient: Rational, radicand: Rational)
    {
        (alpha * (try RationalMatrix.dot(e.weights, c.weights) / c.normSquared), c.normSquared)
    }

    /// The sign of Δτ for linear scores, computed from the individual effects, decided on squares.
    public static func linearScoreDeltaTauSign(_ c: LatentClassifier, _ e: LatentClassifier, alpha: Rational)
        throws(ReferenceError) -> Int
    {
        let (a, q) = try linearScoreGate(treatment: c, effect: e, alpha: alpha)
        let (b, r) = try linearScoreGate(treatment: e, effect: c, alpha: alpha)
        // |a|√q − |b|√r: compare a²q with b²r.
        let (left, right) = (a.squared * q, b.squared * r)
        return left == right ? 0 : (left > right ? 1 : -1)
    }
}
