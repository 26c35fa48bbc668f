import Foundation
import Testing
import Oracle
import Reference

private func q(_ p: Int, _ d: Int = 1) -> Rational { Rational(p).divided(byNonZero: d) }
private func v(_ xs: Int...) -> [Rational] { xs.map { Rational($0) } }

/// The companion papers' exact models (Sources/Reference/Companions) on hand-checked instances: every worked
/// case of proofs.md's companion sections, recomputed exactly.
@Suite struct CompanionTests {

    @Test func companionCatalogueHas34Ids() throws {
        let ids = try CatalogueTests.catalogueIds().filter {
            $0.hasPrefix("ic.") || $0.hasPrefix("lncm.") || $0.hasPrefix("cage.")
        }
        #expect(ids.count == 34)
        #expect(Set(ids).count == 34)
    }

    /// Signs in Q(√q) decided on squares: −3 + 2√2 < 0, −2 + √5 > 0, 1 − √1 = 0.
    @Test func signOfDecidesOnSquares() throws {
        #expect(try RationalMatrix.signOf(Rational(-3), plus: Rational(2), sqrtOf: Rational(2)) == -1)
        #expect(try RationalMatrix.signOf(Rational(-2), plus: Rational(1), sqrtOf: Rational(5)) == 1)
        #expect(try RationalMatrix.signOf(Rational(1), plus: Rational(-1), sqrtOf: Rational(1)) == 0)
        #expect(throws: ReferenceError.self) { try RationalMatrix.signOf(.one, plus: .one, sqrtOf: .zero) }
    }

    /// ic.inv.def: the printed index makes U vanish off the diagonal; with index m, U = 1/2 on prior {0, 1}.
    @Test func icPrintedIndexDividesByZero() throws {
        let r = try ResponseMap(
            matrix: [v(1, 0), v(0, 1)], offset: v(0, 0), prior: [v(0, 0), v(1, 1)], interventionValues: [v(0), v(0)])
        #expect(throws: ReferenceError.self) { try r.magnitude(m: 0, i: 1, v: .zero, index: .printed) }
        #expect(try r.magnitude(m: 0, i: 1, v: .zero, index: .intervened) == q(1, 2))
        // A collapsed response dimension has σ = 0: the response-σ score is undefined, the prior-σ score is 1.
        let collapsed = try ResponseMap(
            matrix: [v(0, 0), v(0, 1)], offset: v(0, 0), prior: [v(0, 0), v(1, 1)], interventionValues: [v(0), v(0)])
        #expect(throws: ReferenceError.self) {
            try collapsed.invariance(m: 1, i: 0, index: .intervened, sigma: .response)
        }
        #expect(try collapsed.invariance(m: 1, i: 0, index: .intervened, sigma: .prior).isPerfect)
    }

    /// ic.inv.perfect/distributional: R(n) = (0, n₀) on the product prior {0, 1}², 𝕀_m the prior marginal:
    /// invariant in distribution, yet INV[0,1] = 1 − 1/(1/2) = −1.
    @Test func icDistributionalInvarianceScoresMinusOne() throws {
        let prior = [v(0, 0), v(0, 1), v(1, 0), v(1, 1)]
        let r = try ResponseMap(
            matrix: [v(0, 0), v(1, 0)], offset: v(0, 0), prior: prior, interventionValues: [v(0, 1), v(0, 1)])
        let score = try r.invariance(m: 0, i: 1, index: .intervened, sigma: .prior)
        #expect(score.deficit == .one && score.scaleSquared == (q(1, 4)))
        #expect(score.isAtLeast(Rational(-1)) && !score.isAtLeast(q(-99, 100)))
    }

    /// ic.eqv.constant: a constant map with 𝕀 from the aggregate posterior scores EQV ≡ 1; with v = 1 ≠ b₀, −1.
    @Test func icConstantMapEquivariance() throws {
        let r = try ResponseMap(
            matrix: [v(0, 0), v(0, 0)], offset: v(0, 0), prior: [v(0, 0), v(1, 1)], xblock: [v(1, 0), v(0, 0)],
            interventionValues: [v(1), v(0)])
        #expect(try !r.equivariance(m: 0, i: 0, index: .intervened).isAtLeast(Rational(-1) + (q(1, 100))))
        let posterior = try r.withAggregatePosteriorInterventions()
        for m in 0..<2 {
            for i in 0..<2 { #expect(try posterior.equivariance(m: m, i: i, index: .intervened).isPerfect) }
        }
        // ic.loss: L_EQV over i ≠ m vanishes although the map is not equivariant at i = m.
        #expect(try r.loss(equivariant: true, allDimensions: false) == .zero)
        #expect(try r.loss(equivariant: true, allDimensions: true) != .zero)
    }

    /// ic.hybrid: prior {(0,0,0), (0,1,1)}: Cov(1,2) = 1/4, the hybrids keep (n − 2)/n = 1/3 of it.
    @Test func icHybridKeepsAThirdOfTheCovariance() throws {
        let p = try HybridSampling.empirical([v(0, 0, 0), v(0, 1, 1)])
        let h = try HybridSampling.oneAtATime(p)
        #expect(HybridSampling.covariance(p, 1, 2) == (q(1, 4)))
        #expect(HybridSampling.covariance(h, 1, 2) == (q(1, 12)))
        #expect(try !HybridSampling.isIndependent(h))
        // n = 2: the hybrids are the product of the marginals.
        let two = try HybridSampling.oneAtATime(HybridSampling.empirical([v(0, 0), v(1, 1)]))
        #expect(try HybridSampling.isIndependent(two))
    }

    /// lncm.example (its shrunk case): λ = (0, 1, 0, 0, 0) and the shift c = 1 (λ′ = λ − 1): both satisfy (iv),
    /// same p(x|u).
    @Test func lncmShiftRivalKeepsConditionIV() throws {
        let variances = [v(1, 1), v(1, 1), v(2, 1), v(1, 2), v(1, 1)]
        let means = [v(0, 0), v(0, 1), v(0, 0), v(0, 0), v(1, 0)]
        let weights = v(0, 1, 0, 0, 0)
        let environments = try (0..<5).map {
            try LatentCausalModel.Environment(weight: weights[$0], means: means[$0], variances: variances[$0])
        }
        let model = try LatentCausalModel(mixing: [v(1, 0), v(1, 1)], environments: environments)
        #expect(model.satisfiesAssumptionIII && model.satisfiesConditionIV)
        let rival = try model.transformed(by: [v(1, 0), v(1, 1)])
        #expect(try model.isObservationallyEquivalent(to: rival))
        #expect(rival.satisfiesConditionIV && rival.environments.map(\.weight) == v(-1, 0, -1, -1, -1))
        // The rotation rival at v(u₀) = (1, 1): λ̂(u₀) = 0 too.
        let rotation: [[Rational]] = [[q(3, 5), q(-4, 5)], [q(4, 5), q(3, 5)]]
        let rotated = try model.transformed(by: rotation)
        #expect(try model.isObservationallyEquivalent(to: rotated) && rotated.satisfiesConditionIV(at: 0))
    }

    /// lncm.stepI/fixed-mixing: proportional variance vectors admit the non-permutation M = [[1, 1], [b, −a]].
    @Test func lncmProportionalVariancesAdmitAWitness() throws {
        let proportional = [v(1, 2), v(2, 4)]
        let w = try #require(try NoiseIdentifiability.nonPermutationWitness(variances: proportional))
        #expect(try NoiseIdentifiability.diagonalises(w, variances: proportional))
        #expect(!RationalMatrix.isScaledPermutation(w))
        #expect(try NoiseIdentifiability.nonPermutationWitness(variances: [v(1, 2), v(2, 1)]) == nil)
    }

    /// cage.dtau.direction: w_c = (2, 0), w_e = (1, 1), z = (0, −1), α = 1: GATE(c→e) = 0, GATE(e→c) = 1.
    @Test func cageDeltaTauNegativeInTheCausalToy() throws {
        let c = try LatentClassifier(weights: v(2, 0), bias: .zero)
        let e = try LatentClassifier(weights: v(1, 1), bias: .zero)
        #expect(try GenerativeEffects.gate(treatment: c, effect: e, samples: [v(0, -1)], alpha: .one) == .zero)
        #expect(try GenerativeEffects.gate(treatment: e, effect: c, samples: [v(0, -1)], alpha: .one) == .one)
        #expect(try GenerativeEffects.deltaTau(c, e, samples: [v(0, -1)], alpha: .one) == Rational(-1))
        // Linear scores: the sign is that of ‖w_e‖² − ‖w_c‖² = 2 − 4.
        #expect(try GenerativeEffects.linearScoreDeltaTauSign(c, e, alpha: .one) == -1)
        let small = try LatentClassifier(weights: v(1, 0), bias: .zero)
        #expect(try GenerativeEffects.linearScoreDeltaTauSign(small, e, alpha: .one) == 1)
    }
}
