import Reference

/// 004 (*CAGE*): the latent classifiers, the do-operation z + α h_c, GITE, GATE and Δτ on exact latent
/// samples (Sources/Reference/Companions/LatentClassifier.swift), and the printed numbers
/// (`CAGEClaims+Tables.swift`). Ids `cage.*` of claims/CLAIMS-companions.md.
enum CAGEClaims: ClaimSection {
    static let title = "Companion 004: CAGE (cage.*)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] {
        let model: [ClaimReading] = step2 + doOperation + gite + independence + antisymmetry + direction
        return model + introNumbers + sec43Gain + sec43Fraction + table2Worst + table1Agreement
    }

    /// Two linear latent classifiers (treatment c, effect e), a latent sample and α > 0.
    struct Case: Sendable, JSONRenderable {
        let c: LatentClassifier, e: LatentClassifier
        let samples: [[Rational]]
        let alpha: Rational
        var json: JSONValue {
            .object([
                "wc": c.weights.json, "bc": c.bias.json, "we": e.weights.json, "be": e.bias.json,
                "z": .array(samples.map(\.json)), "alpha": alpha.json,
            ])
        }
    }

    static func integer(_ magnitude: Int) -> Gen<Rational> { Domain.integer(magnitude: magnitude).map { Rational($0) } }

    /// How the normals are drawn: any two, the c → e toy (w_c = (s, 0), w_e = (rβ, r)), or orthogonal ones.
    enum Normals: Sendable { case general, causalToy, orthogonalOrGeneral }

    /// A case on a 2-dimensional latent space; 1…4 samples; α = p/q > 0 (α grows past every margin when `crossing`).
    static func classifierCase(_ normals: Normals = .general, crossing: Bool = false) -> Gen<Case> {
        let vector = Gen.array(of: integer(2), count: 2...2)
        let alpha = Domain.positiveRational(numerator: 4, denominator: 3)
        return Gen.zip(
            Gen.zip(vector, vector, Gen.bool), Gen.zip(integer(2), integer(2)),
            Gen.array(of: vector, count: 1...4), alpha
        )
        .map { w, b, z, a in
            var (wc, we) = (w.0, w.1)
            if wc.allSatisfy(\.isZero) { wc = [.one, .zero] }
            switch normals {
            case .general: break
            case .causalToy:
                // c → e: the effect's score loads on the cause's latent coordinate (β = w.1[0] ≠ 0 forced).
                let (s, r) = (wc[0].magnitude + .one, we[1].magnitude + .one)
                let beta = we[0].isZero ? Rational.one : we[0]
                (wc, we) = ([s, .zero], [r * beta, r])
            case .orthogonalOrGeneral: if w.2 { we = [-wc[1], wc[0]] }
            }
            if we.allSatisfy(\.isZero) { we = [.zero, .one] }
            let c = try LatentClassifier(weights: wc, bias: b.0)
            var alphaValue = a
            if crossing {
                var largest = Rational.zero
                for point in z { largest = max(largest, try c.score(point).magnitude) }
                alphaValue = a + largest + .one
            }
            return Case(c: c, e: try LatentClassifier(weights: we, bias: b.1), samples: z, alpha: alphaValue)
        }
    }

    /// Some sample lies on the closed negative side of the treatment hyperplane (t_c ≤ 0): where a
    /// probability φ_c > 0 and the decision differ, and where the do-operation has a margin to cross.
    static let negativeSide: @Sendable (Case) -> [CoverageLabel] = { k in
        [.nonTrivial(k.samples.contains { ((try? k.c.score($0).signum) ?? 1) <= 0 })]
    }

    /// Some individual effect is non-zero.
    static let someEffect: @Sendable (Case) -> [CoverageLabel] = { k in
        let gites = (try? GenerativeEffects.gites(treatment: k.c, effect: k.e, samples: k.samples, alpha: k.alpha))
        return [.nonTrivial(gites?.contains { !$0.isZero } ?? false)]
    }

    /// Four latents whose scores are (t_c, t_e) = (±1, ±1): the two labels are independent over the sample and
    /// each takes both values (z = W⁻¹(t − b), W the normals' rows; parallel normals fall back to the case).
    static var productLabelled: Gen<Case> {
        classifierCase().map { k in
            let w = [k.c.weights, k.e.weights]
            guard let inverse = try RationalMatrix.inverse(w) else { return k }
            var samples: [[Rational]] = []
            for (sc, se) in [(-1, -1), (-1, 1), (1, -1), (1, 1)] {
                samples.append(try RationalMatrix.apply(inverse, [Rational(sc) - k.c.bias, Rational(se) - k.e.bias]))
            }
            return Case(c: k.c, e: k.e, samples: samples, alpha: k.alpha)
        }
    }

    // MARK: cage.step2 — §3.2 Step 1–2

    /// m_c(i) = 𝟙[φ_c(z(i)) > 0] equals the classifier's decision 𝟙[w·z + b > 0] on every sample.
    static func factualIsDecision(_ k: Case, _ phiPositive: ([Rational]) throws -> Bool) throws -> Bool {
        try k.samples.allSatisfy { try phiPositive($0) == (try k.c.score($0).signum > 0) }
    }

    static var step2: [ClaimReading] {
        let statement = " the factual treatment m_c(i) = 𝟙[φ_c(z(i)) > 0] is the classifier's decision (the side of "
        let side = "its hyperplane) on every sample."
        return [
            .property(
                id: "cage.step2", reading: "printed",
                statement: "With φ_c the probability σ(w·z + b) ∈ [0, 1] (as printed)," + statement + side,
                expected: .refuted, gen: classifierCase(), render: { $0.json },
                sides: factualSides,
                check: { k in try factualIsDecision(k) { try k.c.probabilityExceeds($0, .zero) } }),
            .property(
                id: "cage.step2", reading: "printed-logit",
                statement: "With φ_c the logit w·z + b," + statement + side,
                expected: .holds, gen: classifierCase(), render: { $0.json }, classify: negativeSide,
                nonTrivialShare: 0.3, check: { k in try factualIsDecision(k) { try k.c.score($0).signum > 0 } }),
            .property(
                id: "cage.step2", reading: "threshold-half",
                statement: "Corrected: with φ_c the probability σ(w·z + b) and the threshold 1/2," + statement + side,
                expected: .holds, gen: classifierCase(), render: { $0.json }, classify: negativeSide,
                nonTrivialShare: 0.3,
                check: { k in try factualIsDecision(k) { try k.c.probabilityExceeds($0, try Rational(1, 2)) } }),
        ]
    }

    // MARK: cage.do — §3.2 Step 3

    static var doOperation: [ClaimReading] {
        [
            .property(
                id: "cage.do", reading: "printed",
                statement:
                    "z(i; do(m_c = 1)) = z(i) + α h_c (h_c the unit normal, α > 0) has treatment m_c = 1 for every "
                    + "sample and every α > 0.",
                expected: .refuted, gen: classifierCase(), render: { $0.json },
                sides: doSides,
                check: { k in try k.samples.allSatisfy { try k.c.label($0, movedAlong: k.c, by: k.alpha, direction: 1) }
                }),
            .property(
                id: "cage.do", reading: "crossing-alpha",
                statement:
                    "Corrected: z + α h_c has m_c = 1 exactly when w·z + b > −α‖w‖, i.e. t ≥ 0 or α²‖w‖² > t² "
                    + "(decided on squares).",
                expected: .holds, gen: classifierCase(), render: { $0.json }, classify: negativeSide,
                nonTrivialShare: 0.3,
                check: { k in
                    try k.samples.allSatisfy { z in
                        let t = try k.c.score(z)
                        let expected = t.signum >= 0 || k.alpha.squared * k.c.normSquared > t.squared
                        return try k.c.label(z, movedAlong: k.c, by: k.alpha, direction: 1) == expected
                    }
                }),
        ]
    }

    // MARK: cage.gite — eqs. (3), (5), (6)

    /// Both potential outcomes are observed: do(m_c = 1) has m_c = 1 and do(m_c = 0) has m_c = 0.
    static func outcomesObserved(_ k: Case) throws -> Bool {
        try k.samples.allSatisfy { z in
            let factual = try k.c.score(z).signum > 0
            let treated = try k.c.label(z, movedAlong: k.c, by: k.alpha, direction: factual ? 0 : 1)
            let untreated = try k.c.label(z, movedAlong: k.c, by: k.alpha, direction: factual ? -1 : 0)
            return treated && !untreated
        }
    }

    static var gite: [ClaimReading] {
        [
            .property(
                id: "cage.gite", reading: "printed",
                statement:
                    "τ_GATE (eq. 6) is the mean over the samples of τ_GITE (eq. 5), each GITE in {−1, 0, 1} for "
                    + "hard-threshold classifiers.",
                expected: .holds, gen: classifierCase(), render: { $0.json }, classify: someEffect,
                nonTrivialShare: 0.12,
                check: { k in
                    let gites = try GenerativeEffects.gites(
                        treatment: k.c, effect: k.e, samples: k.samples, alpha: k.alpha)
                    var sum = Rational.zero
                    for g in gites { sum += g }
                    let gate = try GenerativeEffects.gate(
                        treatment: k.c, effect: k.e, samples: k.samples, alpha: k.alpha)
                    return gites.allSatisfy { $0 == .zero || $0.magnitude == .one }
                        && gate == sum.divided(byNonZero: gites.count)
                }),
            .property(
                id: "cage.gite", reading: "printed-observed",
                statement:
                    "Both potential outcomes are observed for every sample: the counterfactual latents of do(m_c = 1) "
                    + "and do(m_c = 0) have m_c = 1 and m_c = 0.",
                expected: .refuted, gen: classifierCase(), render: { $0.json }, sides: observedSides,
                check: outcomesObserved),
            .property(
                id: "cage.gite", reading: "crossing-alpha",
                statement:
                    "Corrected: when α‖w_c‖ > |w_c·z(i) + b_c| for every sample (α past every margin), both potential "
                    + "outcomes are observed.",
                expected: .holds, gen: classifierCase(crossing: true), render: { $0.json }, classify: someEffect,
                nonTrivialShare: 0.3, check: outcomesObserved),
        ]
    }

    // MARK: cage.gate.indep — §3.1

    static func bothGatesVanish(_ k: Case) throws -> Bool {
        try GenerativeEffects.gate(treatment: k.c, effect: k.e, samples: k.samples, alpha: k.alpha).isZero
            && GenerativeEffects.gate(treatment: k.e, effect: k.c, samples: k.samples, alpha: k.alpha).isZero
    }

    static var independence: [ClaimReading] {
        [
            .property(
                id: "cage.gate.indep", reading: "printed",
                statement:
                    "Independence is revealed: when the two attributes' labels are independent over the samples (joint "
                    + "frequencies = product of the marginals, each attribute taking both values), both GATEs are 0.",
                expected: .refuted, gen: productLabelled, render: { $0.json },
                sides: gateSides,
                check: { k in
                    let labels = try k.samples.map {
                        [
                            Rational(try k.c.score($0).signum > 0 ? 1 : 0),
                            Rational(try k.e.score($0).signum > 0 ? 1 : 0),
                        ]
                    }
                    let varied = (0..<2).allSatisfy { a in Set(labels.map { $0[a] }).count == 2 }
                    guard varied, try HybridSampling.isIndependent(HybridSampling.empirical(labels)) else {
                        return true
                    }
                    return try bothGatesVanish(k)
                }),
            .property(
                id: "cage.gate.indep", reading: "orthogonal-normals",
                statement:
                    "Corrected: when the normals are orthogonal (w_c·w_e = 0), moving along one hyperplane's normal "
                    + "never changes the other score, so both GATEs are 0 (and Δτ = 0).",
                expected: .holds, gen: classifierCase(.orthogonalOrGeneral), render: { $0.json },
                classify: { k in [.nonTrivial(((try? RationalMatrix.dot(k.c.weights, k.e.weights)) ?? .one).isZero)] },
                nonTrivialShare: 0.3,
                check: { k in try !RationalMatrix.dot(k.c.weights, k.e.weights).isZero || bothGatesVanish(k) }),
        ]
    }

    // MARK: cage.dtau.antisym — eq. (7)

    static var antisymmetry: [ClaimReading] {
        [
            .property(
                id: "cage.dtau.antisym", reading: "printed",
                statement:
                    "Δτ = |τ_GATE(c → e)| − |τ_GATE(e → c)| changes sign when the roles are swapped (hard thresholds, "
                    + "and linear scores in Q(√q)).",
                expected: .holds, gen: classifierCase(), render: { $0.json },
                classify: { k in
                    [
                        .nonTrivial(
                            ((try? GenerativeEffects.deltaTau(k.c, k.e, samples: k.samples, alpha: k.alpha)) ?? .zero)
                                != .zero)
                    ]
                },
                nonTrivialShare: 0.1,
                check: { k in
                    let forward = try GenerativeEffects.deltaTau(k.c, k.e, samples: k.samples, alpha: k.alpha)
                    let backward = try GenerativeEffects.deltaTau(k.e, k.c, samples: k.samples, alpha: k.alpha)
                    let linear = try GenerativeEffects.linearScoreDeltaTauSign(k.c, k.e, alpha: k.alpha)
                    let swapped = try GenerativeEffects.linearScoreDeltaTauSign(k.e, k.c, alpha: k.alpha)
                    return forward == -backward && linear == -swapped
                })
        ]
    }

    // MARK: cage.dtau.direction — §1, §3.3, Fig. 3–4

    static var direction: [ClaimReading] {
        let toy =
            "In the c → e toy (w_c = (s, 0), w_e = (rβ, r), β ≠ 0: the effect's score loads on the cause's latent)"
        return [
            .property(
                id: "cage.dtau.direction", reading: "printed",
                statement: toy + ", hard-threshold classifiers: Δτ ≥ 0 for every α > 0 (Δτ < 0 would suggest e → c).",
                expected: .refuted, gen: classifierCase(.causalToy), render: { $0.json },
                relation: "≥", sides: deltaTauSides,
                check: { k in try GenerativeEffects.deltaTau(k.c, k.e, samples: k.samples, alpha: k.alpha).signum >= 0 }
            ),
            .property(
                id: "cage.dtau.direction", reading: "printed-logit",
                statement: toy + ", linear-score classifiers (φ the logit): Δτ ≥ 0 for every α > 0.",
                expected: .refuted, gen: classifierCase(.causalToy), render: { $0.json },
                relation: "≥", sides: linearDeltaTauSides,
                check: { k in try GenerativeEffects.linearScoreDeltaTauSign(k.c, k.e, alpha: k.alpha) >= 0 }),
            .property(
                id: "cage.dtau.direction", reading: "norm-rule",
                statement:
                    "Corrected (linear scores): Δτ = α|w_c·w_e|(1/‖w_c‖ − 1/‖w_e‖), so its sign is that of "
                    + "‖w_e‖² − ‖w_c‖² for every α > 0 — set by the classifiers' scales, not by the causal direction.",
                expected: .holds, gen: classifierCase(), render: { $0.json },
                classify: { k in [.nonTrivial(k.c.normSquared != k.e.normSquared)] }, nonTrivialShare: 0.5,
                check: { k in
                    let k0 = try RationalMatrix.dot(k.c.weights, k.e.weights)
                    let rule = k0.isZero ? 0 : (k.e.normSquared - k.c.normSquared).signum
                    return try GenerativeEffects.linearScoreDeltaTauSign(k.c, k.e, alpha: k.alpha) == rule
                }),
            .property(
                id: "cage.dtau.direction", reading: "monotone-gates",
                statement:
                    "Corrected (hard thresholds, Fig. 3's curve): every GITE has the sign of w_c·w_e, so |τ_GATE| is "
                    + "non-decreasing in α both ways and Δτ(α) is a difference of two non-decreasing step functions.",
                expected: .holds, gen: classifierCase(.causalToy), render: { $0.json },
                classify: { k in
                    let gate = try? GenerativeEffects.gate(
                        treatment: k.c, effect: k.e, samples: k.samples, alpha: k.alpha + k.alpha)
                    return [.nonTrivial(!(gate ?? .zero).isZero)]
                },
                nonTrivialShare: 0.2,
                check: { k in
                    for (c, e) in [(k.c, k.e), (k.e, k.c)] {
                        let sign = try RationalMatrix.dot(c.weights, e.weights).signum
                        let (small, large) = (
                            try GenerativeEffects.gites(treatment: c, effect: e, samples: k.samples, alpha: k.alpha),
                            try GenerativeEffects.gites(
                                treatment: c, effect: e, samples: k.samples, alpha: k.alpha + k.alpha)
                        )
                        // Each GITE is 0 or sign(w_c·w_e), and once non-zero it stays so as α grows.
                        for (a, b) in zip(small, large) {
                            guard a.isZero || a.signum == sign, b.isZero || b.signum == sign, a.isZero || a == b else {
                                return false
                            }
                        }
                    }
                    return true
                }),
        ]
    }
}
