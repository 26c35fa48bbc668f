import Reference

/// 002, §5 and App. A.4.2/A.4.4: hybrid sampling and the response error of traversals.
extension ICClaims {
    // MARK: ic.hybrid — §5, App. A.4.4

    /// A finite prior: 2…4 equally weighted samples of n = 2…3 coordinates in {−1, 0, 1}.
    static var finitePrior: Gen<[[Rational]]> {
        Gen.int(in: 2...3).flatMap { n in Gen.array(of: vector(n, integer(1)), count: 2...4) }
    }

    static func renderPrior(_ samples: [[Rational]]) -> JSONValue {
        .object(["n": .int(samples.first?.count ?? 0), "prior": .array(samples.map(\.json))])
    }

    /// The prior's coordinates are dependent (the statement bites).
    static let dependent: @Sendable ([[Rational]]) -> [CoverageLabel] = { samples in
        [
            .nonTrivial(
                ((try? HybridSampling.empirical(samples)).map { (try? HybridSampling.isIndependent($0)) == false })
                    ?? false)
        ]
    }

    /// Cov_h(i, j) = ((n − 2)/n) Cov_P(i, j) for i ≠ j, and the hybrids keep every marginal.
    static func hybridMoments(_ samples: [[Rational]]) throws -> Bool {
        let p = try HybridSampling.empirical(samples)
        let h = try HybridSampling.oneAtATime(p)
        let n = samples[0].count
        for i in 0..<n {
            guard HybridSampling.marginal(h, i).filter({ !$0.value.isZero }) == HybridSampling.marginal(p, i) else {
                return false
            }
            for j in 0..<n where j != i {
                let expected = (HybridSampling.covariance(p, i, j) * Rational(n - 2)).divided(byNonZero: n)
                if HybridSampling.covariance(h, i, j) != expected { return false }
            }
        }
        return true
    }

    static var hybrid: [ClaimReading] {
        let independentHybrids: @Sendable ([[Rational]]) throws -> Bool = { samples in
            try HybridSampling.isIndependent(HybridSampling.oneAtATime(HybridSampling.empirical(samples)))
        }
        return [
            .property(
                id: "ic.hybrid", reading: "printed",
                statement:
                    "Hybridisation (A.4.4: N¹_i ← N²_i one coordinate at a time, i uniform) destroys every statistical "
                    + "relationship: the hybrids' coordinates are mutually independent.",
                expected: .refuted, gen: finitePrior, render: renderPrior, sides: hybridSides,
                check: independentHybrids),
            .property(
                id: "ic.hybrid", reading: "n-two",
                statement: "For n = 2 latent dimensions the one-at-a-time hybrids have independent coordinates.",
                expected: .holds,
                gen: Gen.array(of: vector(2, integer(1)), count: 2...4), render: renderPrior, classify: dependent,
                nonTrivialShare: 0.3, check: independentHybrids),
            .property(
                id: "ic.hybrid", reading: "covariance",
                statement:
                    "Corrected: the hybrids keep every marginal and multiply every covariance by (n − 2)/n: "
                    + "they break a dependence only for n = 2.",
                expected: .holds, gen: finitePrior, render: renderPrior, classify: dependent, nonTrivialShare: 0.3,
                check: hybridMoments),
        ]
    }

    // MARK: ic.traversal — Fig. 2, §5, App. A.4.2

    /// The response error Ñ_i − Ñ′_i of collapsed dimension i (row i of A zero, R_i ≡ b_i) on every sample,
    /// traversal m and value v: 0 when m ≠ i, and `onTraversal(v)` when m = i.
    static func traversalError(
        _ r: ResponseMap, posterior: Bool, onTraversal: (_ v: Rational, _ c: Rational) -> Rational
    ) throws -> Bool {
        guard let i = collapsedRow(r) else { return true }
        let samples = posterior ? try r.prior.map { try r.respond($0) } : r.prior
        for n in samples {
            for m in 0..<r.dimension {
                for v in r.interventionValues[m] {
                    let traversed = ResponseMap.intervene(n, m, v)
                    let error = traversed[i] - (try r.respond(traversed)[i])
                    if error != (m == i ? onTraversal(v, r.offset[i]) : .zero) { return false }
                }
            }
        }
        return true
    }

    static var traversal: [ClaimReading] {
        let collapsedAtNonZero: @Sendable (ResponseMap) -> [CoverageLabel] = { r in
            [.nonTrivial(collapsedRow(r).map { !r.offset[$0].isZero } ?? false)]
        }
        return [
            .property(
                id: "ic.traversal", reading: "printed",
                statement:
                    "For a collapsed dimension i and samples from the aggregate posterior, the response error Ñ_i − "
                    + "Ñ′_i is zero when i is not traversed and equals the intervention value v when it is.",
                expected: .refuted, gen: responseMap(.collapsed), render: render,
                sides: { try traversalSides($0, posterior: true) { v, _ in v } },
                check: { try traversalError($0, posterior: true) { v, _ in v } }),
            .property(
                id: "ic.traversal", reading: "printed-prior-samples",
                statement: "As printed, with the samples drawn from the prior instead of the aggregate posterior.",
                expected: .refuted, gen: responseMap(.collapsed), render: render,
                sides: { try traversalSides($0, posterior: false) { v, _ in v } },
                check: { try traversalError($0, posterior: false) { v, _ in v } }),
            .property(
                id: "ic.traversal", reading: "offset",
                statement:
                    "Corrected: for a collapsed dimension i (R_i ≡ c) and samples from the aggregate posterior, the "
                    + "response error is zero when i is not traversed and v − c when it is.",
                expected: .holds, gen: responseMap(.collapsed), render: render, classify: collapsedAtNonZero,
                nonTrivialShare: 0.5, check: { try traversalError($0, posterior: true) { v, c in v - c } }),
        ]
    }
}
