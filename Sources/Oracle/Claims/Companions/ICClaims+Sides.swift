import Reference

/// The sides of 002's refuted readings on a case, for `oracle counterexample`: what the statement needs
/// and what the case gives, computed as the checks compute them.
extension ICClaims {
    typealias Side = ClaimReading.Side

    /// E_N|(N − Ñ)_k| for N_m ← v: U_{I_m} read at index k.
    static func magnitudeAt(_ r: ResponseMap, m: Int, k: Int, v: Rational) -> Rational {
        var sum = Rational.zero
        for n in r.prior { sum += (n[k] - ResponseMap.intervene(n, m, v)[k]).magnitude }
        return sum.divided(byNonZero: r.prior.count)
    }

    /// The printed index: U_{I_0} read at i = 1 vanishes.
    static func printedIndexSides(_ r: ResponseMap) -> [Side] {
        let v = r.interventionValues[0][0]
        return [
            Side("U_{I_0} = E_N‖(N − Ñ_{I_0})_1‖ (index i = 1, v = \(v))", magnitudeAt(r, m: 0, k: 1, v: v)),
            Side("0", .zero), Side("U_{I_0} at the intervened index m = 0", magnitudeAt(r, m: 0, k: 0, v: v)),
        ]
    }

    /// A constant response dimension: σ_k² of the response vanishes.
    static func responseSigmaSides(_ r: ResponseMap) throws -> [Side] {
        let k = (0..<r.dimension).first { (try? r.sigmaSquared($0, .response))?.isZero == true } ?? 0
        return [
            Side("σ_\(k)² of the response", try r.sigmaSquared(k, .response)), Side("0", .zero),
            Side("σ_\(k)² of the prior", try r.sigmaSquared(k, .prior)),
        ]
    }

    /// The first off-diagonal invariance error: (E_{I_m}[e_{I_m,i}])² = S²/σ_i² (U at m, prior σ).
    static func offDiagonalErrorSides(_ r: ResponseMap) throws -> [Side] {
        for m in 0..<r.dimension {
            for i in 0..<r.dimension where i != m {
                let s = try r.invariance(m: m, i: i, index: .intervened, sigma: .prior)
                if !s.isPerfect {
                    return [
                        Side(
                            "(E_{I_m}[e_{I_m,i}])² = S²/σ_i² at (m, i) = (\(m), \(i))",
                            try s.deficit.squared / s.scaleSquared),
                        Side("0", .zero),
                    ]
                }
            }
        }
        return [Side("every off-diagonal INV[m,i] = 1", true), Side("claimed", true)]
    }

    /// INV[i,i] = 1 while another response dimension registers N_i ← v.
    static func diagonalSides(_ r: ResponseMap) throws -> [Side] {
        for i in 0..<r.dimension {
            let perfect = (try? r.invariance(m: i, i: i, index: .intervened, sigma: .prior))?.isPerfect ?? false
            let whole = try (0..<r.dimension).allSatisfy { try unregistered(r, m: i, i: $0) }
            if perfect && !whole {
                return [Side("INV[\(i),\(i)] = 1", true), Side("no response dimension registers N_\(i) ← v", false)]
            }
        }
        return [Side("INV[i,i] = 1", false), Side("no response dimension registers N_i ← v", true)]
    }

    /// The first EQV[m,i] below 1: its deficit E_{I_m}[r_{I_m,i}] (U at m).
    static func equivarianceDeficitSides(_ r: ResponseMap) throws -> [Side] {
        for m in 0..<r.dimension {
            for i in 0..<r.dimension {
                let s = try r.equivariance(m: m, i: i, index: .intervened)
                if !s.isPerfect {
                    return [Side("E_{I_m}[r_{I_m,i}] at (m, i) = (\(m), \(i))", s.deficit), Side("0", .zero)]
                }
            }
        }
        return [Side("every EQV[m,i] = 1", true), Side("claimed", true)]
    }

    static func scoresImplicationSides(_ r: ResponseMap) -> [Side] {
        [
            Side("every EQV[m,i] = 1", allEquivariancePerfect(r)),
            Side("every off-diagonal INV[m,i] = 1", perfectOffDiagonal(r, index: .intervened, sigma: .prior)),
        ]
    }

    static func lossSides(_ r: ResponseMap) throws -> [Side] {
        let printed = try r.loss(equivariant: true, allDimensions: false)
        let equivariant = try (0..<r.dimension).allSatisfy { m in
            try (0..<r.dimension).allSatisfy { i in try equivariantAt(r, m: m, i: i) }
        }
        return [
            Side("L_EQV = 0 (Alg. 2: Σ over i ≠ m)", printed.isZero),
            Side("R equivariant (eq. 12: every i)", equivariant),
            Side("L_EQV (Alg. 2)", printed),
            Side("L_EQV over every i", try r.loss(equivariant: true, allDimensions: true)),
        ]
    }

    /// The first pair whose hybrid covariance is not zero.
    static func hybridSides(_ samples: [[Rational]]) throws -> [Side] {
        let p = try HybridSampling.empirical(samples)
        let h = try HybridSampling.oneAtATime(p)
        let n = samples[0].count
        for i in 0..<n {
            for j in (i + 1)..<n where !HybridSampling.covariance(h, i, j).isZero {
                return [
                    Side("Cov_h(\(i), \(j)) of the hybrids", HybridSampling.covariance(h, i, j)), Side("0", .zero),
                    Side("Cov_P(\(i), \(j)) of the prior", HybridSampling.covariance(p, i, j)),
                ]
            }
        }
        return [
            Side("the hybrids' coordinates are independent", try HybridSampling.isIndependent(h)),
            Side("claimed", true),
        ]
    }

    /// The first response error of the collapsed dimension that differs from the claimed one.
    static func traversalSides(
        _ r: ResponseMap, posterior: Bool, onTraversal: (_ v: Rational, _ c: Rational) -> Rational
    ) throws -> [Side] {
        guard let i = collapsedRow(r) else { return [] }
        let samples = posterior ? try r.prior.map { try r.respond($0) } : r.prior
        for (k, n) in samples.enumerated() {
            for m in 0..<r.dimension {
                for v in r.interventionValues[m] {
                    let traversed = ResponseMap.intervene(n, m, v)
                    let error = traversed[i] - (try r.respond(traversed)[i])
                    let claimed = m == i ? onTraversal(v, r.offset[i]) : .zero
                    if error != claimed {
                        return [
                            Side("Ñ_\(i) − Ñ′_\(i) (sample \(k), traversal m = \(m), v = \(v))", error),
                            Side("the claimed error", claimed),
                        ]
                    }
                }
            }
        }
        return []
    }

    /// The first EQV[m,i] whose deficit a translation of the response space changes.
    static func translationSides(_ t: Translated) throws -> [Side] {
        let s = try t.translated
        for m in 0..<t.map.dimension {
            for i in 0..<t.map.dimension {
                let (a, b) = (
                    try t.map.equivariance(m: m, i: i, index: .intervened),
                    try s.equivariance(m: m, i: i, index: .intervened)
                )
                if a != b {
                    return [
                        Side("E_{I_m}[r_{I_m,i}] of R at (m, i) = (\(m), \(i))", a.deficit),
                        Side("E_{I_m}[r_{I_m,i}] of R + c", b.deficit),
                    ]
                }
            }
        }
        return [Side("every EQV of R + c equals R's", true), Side("claimed", true)]
    }
}
