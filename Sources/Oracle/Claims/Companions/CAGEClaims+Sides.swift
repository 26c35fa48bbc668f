import Reference

/// The sides of 004's refuted readings on a case, for `oracle counterexample`.
extension CAGEClaims {
    typealias Side = ClaimReading.Side

    /// Step 2: the first sample where 𝟙[σ(t) > 0] differs from the decision 𝟙[t > 0].
    static func factualSides(_ k: Case) throws -> [Side] {
        for z in k.samples {
            let t = try k.c.score(z)
            if try k.c.probabilityExceeds(z, .zero) != (t.signum > 0) {
                return [Side("𝟙[φ_c(z) > 0], φ_c = σ(t)", true), Side("𝟙[t > 0]", false), Side("t = w_c·z + b_c", t)]
            }
        }
        return [Side("𝟙[φ_c(z) > 0]", true), Side("𝟙[t > 0]", true)]
    }

    /// Step 3: the first sample that z + α h_c leaves untreated.
    static func doSides(_ k: Case) throws -> [Side] {
        for z in k.samples where try !k.c.label(z, movedAlong: k.c, by: k.alpha, direction: 1) {
            return [
                Side("m_c(z + α h_c)", false), Side("1", true), Side("t_c(z)", try k.c.score(z)),
                Side("α²‖w_c‖²", k.alpha.squared * k.c.normSquared),
            ]
        }
        return [Side("m_c(z + α h_c)", true), Side("1", true)]
    }

    /// The treatments of the first sample whose counterfactuals keep the wrong treatment.
    static func observedSides(_ k: Case) throws -> [Side] {
        for z in k.samples {
            let factual = try k.c.score(z).signum > 0
            let treated = try k.c.label(z, movedAlong: k.c, by: k.alpha, direction: factual ? 0 : 1)
            let untreated = try k.c.label(z, movedAlong: k.c, by: k.alpha, direction: factual ? -1 : 0)
            if !treated || untreated {
                return [
                    Side(
                        "(m_c at do(m_c = 1), m_c at do(m_c = 0))",
                        exact: "(\(treated ? 1 : 0), \(untreated ? 1 : 0))"),
                    Side("the potential outcomes' treatments", exact: "(1, 0)"), Side("t_c(z)", try k.c.score(z)),
                ]
            }
        }
        return [Side("both outcomes observed", true), Side("claimed", true)]
    }

    static func gateSides(_ k: Case) throws -> [Side] {
        [
            Side(
                "τ_GATE(c → e)",
                try GenerativeEffects.gate(treatment: k.c, effect: k.e, samples: k.samples, alpha: k.alpha)),
            Side("0", .zero),
            Side(
                "τ_GATE(e → c)",
                try GenerativeEffects.gate(treatment: k.e, effect: k.c, samples: k.samples, alpha: k.alpha)),
        ]
    }

    static func deltaTauSides(_ k: Case) throws -> [Side] {
        [Side("Δτ", try GenerativeEffects.deltaTau(k.c, k.e, samples: k.samples, alpha: k.alpha)), Side("0", .zero)]
            + (try gateSides(k)).enumerated().filter { $0.offset != 1 }.map(\.element)
    }

    static func linearDeltaTauSides(_ k: Case) throws -> [Side] {
        [
            Side(
                "sign Δτ (linear scores)",
                Rational(try GenerativeEffects.linearScoreDeltaTauSign(k.c, k.e, alpha: k.alpha))),
            Side("0", .zero), Side("‖w_c‖²", k.c.normSquared), Side("‖w_e‖²", k.e.normSquared),
        ]
    }
}
