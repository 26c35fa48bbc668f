import Reference

/// 003 (*Identifiable Latent Neural Causal Models*): Thm 2.1, Thm 2.5, Cor 3.1, Step I and the Example on
/// the exact linear-Gaussian toy (two latents z₁ → z₂, five environments, Sources/Reference/Companions),
/// and Lemmas B.1–B.3 symbolically (`LNCMClaims+Lemmas.swift`). Ids `lncm.*` of claims/CLAIMS-companions.md.
enum LNCMClaims: ClaimSection {
    static let title = "Companion 003: identifiable latent neural causal models (lncm.*)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] {
        let lemmas: [ClaimReading] = lemmaB1 + lemmaB2 + lemmaB3
        let theorems: [ClaimReading] = stepI + theorem21 + theorem25a + theorem25b
        return lemmas + theorems + example + corollary31
    }

    /// A true model and a transformation M of its latents (the rival model is `model.transformed(by: M)`).
    struct Case: Sendable, JSONRenderable {
        let model: LatentCausalModel
        let transform: [[Rational]]
        var json: JSONValue {
            .object([
                "F": .array(model.mixing.map(\.json)), "lambda": model.environments.map(\.weight).json,
                "means": .array(model.environments.map(\.means.json)),
                "variances": .array(model.environments.map(\.variances.json)),
                "M": .array(transform.map(\.json)),
            ])
        }
    }

    /// How λ(u) is drawn over the five environments: `zeroAtFirst` keeps the edge z₁ → z₂ (λ(u₁) ≠ 0) and
    /// satisfies condition (iv) at u₀ (λ(u₀) = 0).
    enum Weights: Sendable { case zeroAtFirst, neverZero, free }

    /// How the transformation M is drawn.
    enum Transform: Sendable { case general, shift, rotationAtFirst }

    static func integer(_ magnitude: Int) -> Gen<Rational> { Domain.integer(magnitude: magnitude).map { Rational($0) } }

    /// [[1, 0], [c, 1]]: ẑ₂ = z₂ − c z₁, the Example's shift λ → λ − c absorbed into F.
    static func shift(_ c: Rational) -> [[Rational]] { [[.one, .zero], [c, .one]] }

    static var mixing: Gen<[[Rational]]> {
        Gen.array(of: Gen.array(of: integer(2), count: 2...2), count: 2...2).map { f in
            try RationalMatrix.determinant(f).isZero ? [[.one, .zero], [.one, .one]] : f
        }
    }

    /// Five environments (2ℓ + 1 for ℓ = 2, assumption (iii)), small integers first.
    static func model(_ weights: Weights, transform: Transform = .general) -> Gen<Case> {
        let weight: Gen<Rational> =
            weights == .neverZero ? Domain.nonZeroRational(numerator: 2, denominator: 1) : integer(2)
        let scale = Domain.positiveRational(numerator: 3, denominator: 1)
        let environment = Gen.zip(
            weight, Gen.array(of: integer(2), count: 2...2),
            Gen.array(of: Domain.positiveRational(numerator: 4, denominator: 1), count: 2...2))
        let scales = Gen.zip(scale, scale, scale)
        let m: Gen<[[Rational]]> =
            switch transform {
            case .shift: Domain.nonZeroRational(numerator: 2, denominator: 1).map(shift)
            default:
                mixing.map { RationalMatrix.isScaledPermutation($0) ? shift(.one) : $0 }
            }
        return Gen.zip(mixing, Gen.array(of: environment, count: 5...5), m, scales).map { f, envs, m, pqs in
            var environments = try envs.map {
                try LatentCausalModel.Environment(weight: $0.0, means: $0.1, variances: $0.2)
            }
            var chosen = m
            if weights == .zeroAtFirst {
                environments[0].weight = .zero
                if environments[1].weight.isZero { environments[1].weight = .one }
            }
            if transform == .rotationAtFirst {
                // v(u₀) = (s p², s q²) and M = diag(p, q)·R, R the rotation (3/5, 4/5): M⁻¹ Cov[z|u₀] M⁻ᵀ = s I.
                let (p, q, s) = pqs
                environments[0].variances = [s * p.squared, s * q.squared]
                let (c, d) = (try Rational(3, 5), try Rational(4, 5))
                chosen = [[p * c, -(p * d)], [q * d, q * c]]
            }
            return Case(model: try LatentCausalModel(mixing: f, environments: environments), transform: chosen)
        }
    }

    /// The rival ẑ = M⁻¹ z, checked observationally equivalent; cases outside assumption (iii) are discarded.
    static func rival(_ c: Case) throws -> LatentCausalModel {
        guard c.model.satisfiesAssumptionIII else { throw Discard("assumption (iii) fails") }
        let rival = try c.model.transformed(by: c.transform)
        guard try c.model.isObservationallyEquivalent(to: rival) else {
            throw ReferenceError.undefined("the transformed model is not observationally equivalent")
        }
        return rival
    }

    static func inverse(_ m: [[Rational]]) throws -> [[Rational]] {
        guard let inverse = try RationalMatrix.inverse(m) else { throw ReferenceError.invalidArgument("M is singular") }
        return inverse
    }

    /// Thm 2.1's conclusion on the rival: ẑ = M⁻¹ z + c is a permutation with scaling.
    static func rivalIsPermutation(_ c: Case) throws -> Bool {
        _ = try rival(c)
        return RationalMatrix.isScaledPermutation(try inverse(c.transform))
    }

    /// No equivalent shift rival λ − c (c a non-zero value of λ) satisfies condition (iv) too.
    static func noShiftRivalSatisfiesIV(_ c: Case) throws -> Bool {
        guard c.model.satisfiesAssumptionIII else { throw Discard("assumption (iii) fails") }
        for w in Set(c.model.environments.map(\.weight)) where !w.isZero {
            let rival = try c.model.transformed(by: shift(w))
            if rival.satisfiesConditionIV, try c.model.isObservationallyEquivalent(to: rival) { return false }
        }
        return true
    }

    static let mixes: @Sendable (Case) -> [CoverageLabel] = { c in
        [.nonTrivial(!RationalMatrix.isScaledPermutation(c.transform))]
    }

    static func gaussianCounterModel(_ id: String) -> ClaimReading {
        .property(
            id: id, reading: "gaussian-counter-model",
            statement:
                "Corrected: in the linear-Gaussian class with finitely many environments, every invertible M gives an "
                + "observationally equivalent model (F M, λ̂, v̂ from the LDLᵀ of M⁻¹ Cov[z|u] M⁻ᵀ) with ẑ = M⁻¹ z: "
                + "identifiability up to permutation and scaling fails even under (i)–(iv).",
            expected: .holds, gen: model(.zeroAtFirst), render: { $0.json }, classify: mixes, nonTrivialShare: 0.8,
            check: { c in try c.model.isObservationallyEquivalent(to: rival(c)) })
    }

    // MARK: lncm.stepI — App. B, eqs. (10)–(18)

    /// Variance vectors of 2…4 environments, half of them proportional, and a candidate M.
    struct NoiseCase: Sendable, JSONRenderable {
        let variances: [[Rational]]
        let m: [[Rational]]
        var json: JSONValue { .object(["variances": .array(variances.map(\.json)), "M": .array(m.map(\.json))]) }
    }

    static var noiseCase: Gen<NoiseCase> {
        let positive = Domain.positiveRational(numerator: 4, denominator: 1)
        let vectors = Gen.array(of: Gen.array(of: positive, count: 2...2), count: 2...4)
        let candidates = Gen.oneOf(mixing, mixing.map { [[$0[0][0], .zero], [.zero, $0[1][1]]] })
        return Gen.zip(vectors, Gen.bool, candidates).map { v, proportional, m in
            let variances = proportional ? v.map { [$0[0] * v[0][0], $0[0] * v[0][1]] } : v
            let safe = try RationalMatrix.determinant(m).isZero ? RationalMatrix.identity(2) : m
            return NoiseCase(variances: variances, m: safe)
        }
    }

    static var stepI: [ClaimReading] {
        [
            .property(
                id: "lncm.stepI", reading: "printed",
                statement:
                    "Step I (eq. 18): the noise of any observationally equivalent model is n̂ = P n + c, P a "
                    + "permutation with scaling (one P for every u); checked on the linear-Gaussian toy's rivals ẑ = "
                    + "M⁻¹ z.",
                expected: .refuted, gen: model(.zeroAtFirst), render: { $0.json },
                sides: noiseMapSides,
                check: { c in
                    let r = try rival(c)
                    var maps: [[[Rational]]] = []
                    for u in c.model.environments.indices {
                        maps.append(try c.model.noiseMap(to: r, transform: c.transform, u))
                    }
                    return maps.allSatisfy { $0 == maps[0] } && RationalMatrix.isScaledPermutation(maps[0])
                }),
            .property(
                id: "lncm.stepI", reading: "fixed-mixing",
                statement:
                    "Corrected (the iVAE setting, mixing x = A n independent of u): M D_u Mᵀ is diagonal for every u "
                    + "only for permutations with scaling exactly when the noise variance vectors (v₁(u), v₂(u)) are "
                    + "not all proportional (implied by (iii)); otherwise a non-permutation M exists.",
                expected: .holds, gen: noiseCase, render: { $0.json },
                classify: { c in
                    let witness = try? NoiseIdentifiability.nonPermutationWitness(variances: c.variances)
                    let diagonal = (try? NoiseIdentifiability.diagonalises(c.m, variances: c.variances)) ?? false
                    return [.nonTrivial(witness != nil || diagonal)]
                },
                nonTrivialShare: 0.3,
                check: { c in
                    if let w = try NoiseIdentifiability.nonPermutationWitness(variances: c.variances) {
                        return try NoiseIdentifiability.diagonalises(w, variances: c.variances)
                            && !RationalMatrix.isScaledPermutation(w)
                    }
                    return try !NoiseIdentifiability.diagonalises(c.m, variances: c.variances)
                        || RationalMatrix.isScaledPermutation(c.m)
                }),
        ]
    }

    // MARK: lncm.thm21 — Thm 2.1

    static var theorem21: [ClaimReading] {
        let statement = ": every model matching p(x|u) for all u has ẑ = P z + c (P a permutation with scaling)."
        return [
            .property(
                id: "lncm.thm21", reading: "printed",
                statement: "Under (i)–(iii) and (iv) for the true model (λ(u₀) = 0)" + statement,
                expected: .refuted, gen: model(.zeroAtFirst), render: { $0.json }, relation: "⟹", sides: rivalSides,
                check: rivalIsPermutation),
            .property(
                id: "lncm.thm21", reading: "printed-each-model",
                statement: "Under (i)–(iii), with (iv) required of the true and of the estimated model" + statement,
                expected: .refuted, gen: model(.zeroAtFirst), render: { $0.json }, relation: "⟹", sides: shiftSides,
                check: noShiftRivalSatisfiesIV),
            .property(
                id: "lncm.thm21", reading: "printed-function-class",
                statement:
                    "Under (i)–(iii), with (iv) a property of the function class: every model's λ vanishes at the "
                    + "same u*" + statement,
                expected: .refuted, gen: model(.zeroAtFirst, transform: .rotationAtFirst), render: { $0.json },
                relation: "⟹", sides: rivalSides,
                check: { c in
                    let r = try rival(c)
                    guard r.satisfiesConditionIV(at: 0) else { return true }
                    return RationalMatrix.isScaledPermutation(try inverse(c.transform))
                }),
            gaussianCounterModel("lncm.thm21"),
        ]
    }

    // MARK: lncm.thm25a, lncm.thm25b — Thm 2.5, App. C

    static var theorem25a: [ClaimReading] {
        [
            .property(
                id: "lncm.thm25a", reading: "printed",
                statement: "(a) The root node z₁ is recovered up to scaling: ẑ₁ = s z₁ + c for every equivalent model.",
                expected: .refuted, gen: model(.zeroAtFirst), render: { $0.json },
                relation: "⟹", sides: rootSides,
                check: { c in
                    _ = try rival(c)
                    return try inverse(c.transform)[0][1].isZero
                }),
            .property(
                id: "lncm.thm25a", reading: "shift-family",
                statement:
                    "Corrected to what App. C's argument covers: among the rivals ẑ₂ = z₂ − c z₁ (λ → λ − c absorbed "
                    + "into F), the root is recovered, ẑ₁ = z₁.",
                expected: .holds, gen: model(.free, transform: .shift), render: { $0.json }, classify: mixes,
                nonTrivialShare: 0.8,
                check: { c in
                    _ = try rival(c)
                    return try inverse(c.transform)[0][1].isZero
                }),
        ]
    }

    static var theorem25b: [ClaimReading] {
        [
            .property(
                id: "lncm.thm25b", reading: "printed",
                statement:
                    "(b) If (iv) fails (λ(u) ≠ 0 for every u), z₂ is unidentifiable: the shift by c = λ(u₀) gives an "
                    + "equivalent model with ẑ₂ = z₂ − c z₁, not a scaling of z₂.",
                expected: .holds, gen: model(.neverZero), render: { $0.json },
                classify: { c in [.nonTrivial(Set(c.model.environments.map(\.weight)).count >= 2)] },
                nonTrivialShare: 0.5,
                check: { c in
                    let shifted = Case(model: c.model, transform: shift(c.model.environments[0].weight))
                    _ = try rival(shifted)
                    return try !inverse(shifted.transform)[1][0].isZero
                })
        ]
    }

    // MARK: lncm.example — §2.2

    static var example: [ClaimReading] {
        [
            .property(
                id: "lncm.example", reading: "printed",
                statement:
                    "Condition (iv) (λ(u*) = 0) rules out the replacement λ = λ′ + c with c ≠ 0: no equivalent model "
                    + "with λ′ = λ − c also satisfies (iv).",
                expected: .refuted, gen: model(.zeroAtFirst), render: { $0.json }, relation: "⟹", sides: shiftSides,
                check: noShiftRivalSatisfiesIV),
            .property(
                id: "lncm.example", reading: "printed-absorb",
                statement:
                    "Replacing λ(u) by λ′(u) + c and absorbing c z₁ into F (F̂ = F [[1, 0], [c, 1]]) gives an "
                    + "observationally equivalent model.",
                expected: .holds, gen: model(.free, transform: .shift), render: { $0.json }, classify: mixes,
                nonTrivialShare: 0.8, check: { c in try rival(c).isObservationallyEquivalent(to: c.model) }),
            .property(
                id: "lncm.example", reading: "common-zero",
                statement:
                    "Corrected: if (iv) must hold at the same u* for every model of the class, no shift c ≠ 0 keeps it "
                    + "(λ′(u*) = −c).",
                expected: .holds, gen: model(.zeroAtFirst, transform: .shift), render: { $0.json }, classify: mixes,
                nonTrivialShare: 0.8, check: { c in try !rival(c).satisfiesConditionIV(at: 0) }),
        ]
    }

    // MARK: lncm.cor31 — Cor 3.1, App. D

    static var corollary31: [ClaimReading] {
        [
            .property(
                id: "lncm.cor31", reading: "printed",
                statement:
                    "Post-nonlinear model (h = identity included): under (i)–(iv), ẑ = h(P z) + c with h "
                    + "component-wise "
                    + "invertible, for every equivalent model.",
                expected: .refuted, gen: model(.zeroAtFirst), render: { $0.json }, relation: "⟹", sides: rivalSides,
                check: rivalIsPermutation),
            gaussianCounterModel("lncm.cor31"),
        ]
    }
}
