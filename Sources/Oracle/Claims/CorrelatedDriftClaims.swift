import Reference

/// Prop. 9 without the independence its proof uses: A⁽⁰⁾ and B⁽⁰⁾ keep their printed laws N(a₀, σ'²), N(b₀, σ'²) but
/// are correlated, A = a₀ + σ'X, B = b₀ + σ'(κX + sY) with X, Y, W independent standard normals, C = c₀ + σW, and
/// (κ, s) = ((1 − m²)/(1 + m²), 2m/(1 + m²)) a rational point of the unit circle (correlation κ).
extension LearningClaims {
    struct CorrelatedDriftCase: Sendable, JSONRenderable {
        let drift: DriftCase, sigmaPrime: Rational, sigma: Rational, m: Rational
        var correlation: Rational { try! (Rational.one - m.squared) / (Rational.one + m.squared) }
        var json: JSONValue {
            .object([
                "a0": drift.a0.json, "b0": drift.b0.json, "c0": drift.c0.json, "sigma'": sigmaPrime.json,
                "sigma^2": drift.noiseVariance.json, "lambda": drift.rate.json, "corr(A,B)": correlation.json,
            ])
        }
    }

    /// σ' > 0 and σ ≥ 0 rational (the printed variances are their squares), m ∈ [−3, 3] (correlation from −1 to 1;
    /// m = ±1 is independence).
    static var correlatedDriftCase: Gen<CorrelatedDriftCase> {
        Gen.zip(
            driftCase, Domain.positiveRational(numerator: 3, denominator: 4),
            Domain.rational(numerator: 3, denominator: 4).map { $0.magnitude }, Domain.rational(numerator: 3)
        )
        .map { drift, sigmaPrime, sigma, m in
            let printed = DriftCase(
                a0: drift.a0, c0: drift.c0, initialVariance: sigmaPrime.squared, noiseVariance: sigma.squared,
                rate: drift.rate)
            return CorrelatedDriftCase(drift: printed, sigmaPrime: sigmaPrime, sigma: sigma, m: m)
        }
    }

    /// η = E[L(A⁽¹⁾,B⁽¹⁾)]/E[L(A⁽⁰⁾,B⁽⁰⁾)] exactly: the one-step polynomial with A, B, C written in X, Y, W, and the
    /// exact moments of independent standard normals.
    static func correlatedEta(_ c: CorrelatedDriftCase) throws -> Rational {
        let (x, y, w) = (
            MultivariatePolynomial.variable(0), MultivariatePolynomial.variable(1), MultivariatePolynomial.variable(2)
        )
        let one = Rational.one, mm = c.m.squared
        let (kappa, s) = (try (one - mm) / (one + mm), try (Rational(2) * c.m) / (one + mm))
        let aa = MultivariatePolynomial(c.drift.a0) + c.sigmaPrime * x
        let bb = MultivariatePolynomial(c.drift.b0) + c.sigmaPrime * (kappa * x + s * y)
        let cc = MultivariatePolynomial(c.drift.c0) + c.sigma * w
        let before = aa * aa - bb * bb, r = cc - aa * bb
        let after = before * (MultivariatePolynomial(.one) - Rational(4) * c.drift.rate.squared * (r * r))
        let means = [Rational](repeating: .zero, count: 3), variances = [Rational](repeating: .one, count: 3)
        let e0 = try before.gaussianExpectation(means: means, variances: variances)
        guard !e0.isZero else { throw Discard("a0 = b0: E[L] = 0 and η is undefined") }
        return try after.gaussianExpectation(means: means, variances: variances) / e0
    }

    /// The corrected Prop. 9's η = 1 − 4λ²κ_ρ, κ_ρ = σ'²(a₀² + 2ρa₀b₀ + b₀²) + (3 + 12ρ²)σ'⁴ + σ² (ρ = 0: independent
    /// starts, prop9/step-size).
    static func closedFormEta(_ c: DriftCase, correlation rho: Rational = .zero) -> Rational {
        let s = c.initialVariance
        let kappa =
            s * (c.a0.squared + Rational(2) * rho * c.a0 * c.b0 + c.b0.squared)
            + (Rational(3) + Rational(12) * rho.squared) * s.squared + c.noiseVariance
        return Rational.one - Rational(4) * c.rate.squared * kappa
    }

    /// A correlated start bites when the correlation is neither 0 (m = ±1) nor 1 (m = 0).
    static let correlatedBites: @Sendable (CorrelatedDriftCase) -> [CoverageLabel] = { c in
        [.nonTrivial(c.m != 1 && c.m != -1 && !c.m.isZero)]
    }

    static var prop9Correlated: [ClaimReading] {
        [
            .property(
                id: "prop9", reading: "step-size-correlated",
                statement:
                    "The corrected Prop. 9 without the independence of A⁽⁰⁾ and B⁽⁰⁾ (same marginal laws, correlated): "
                    + "η = 1 − 4λ²κ with κ = σ'²(a₀² + b₀²) + 3σ'⁴ + σ².",
                expected: .refuted, cases: 200, gen: correlatedDriftCase, render: { $0.json },
                classify: correlatedBites,
                sides: { c in
                    [
                        ClaimReading.Side("η (exact Gaussian moments, correlated start)", try correlatedEta(c)),
                        ClaimReading.Side("1 − 4λ²κ (the independent closed form)", closedFormEta(c.drift)),
                    ]
                },
                check: { c in try correlatedEta(c) == closedFormEta(c.drift) }),
            .property(
                id: "prop9", reading: "step-size-any-correlation",
                statement:
                    "Corrected for correlated starts (correlation ρ of A⁽⁰⁾ and B⁽⁰⁾, same marginals, on S_{c₀}): "
                    + "η = 1 − 4λ²κ_ρ with κ_ρ = σ'²(a₀² + 2ρa₀b₀ + b₀²) + (3 + 12ρ²)σ'⁴ + σ² (ρ = 0: "
                    + "prop9/step-size).",
                expected: .holds, cases: 200, gen: correlatedDriftCase, render: { $0.json },
                classify: correlatedBites, nonTrivialShare: 0.5,
                check: { c in try correlatedEta(c) == closedFormEta(c.drift, correlation: c.correlation) }),
        ]
    }
}
