import Reference

/// The sides of 003's refuted readings on a case, for `oracle counterexample`.
extension LNCMClaims {
    typealias Side = ClaimReading.Side

    /// The rival ẑ = M⁻¹ z matches p(x|u) yet is no permutation with scaling of z.
    static func rivalSides(_ c: Case) throws -> [Side] {
        let r = try c.model.transformed(by: c.transform)
        let inverse = try inverse(c.transform)
        return [
            Side("the rival ẑ = M⁻¹ z matches p(x|u) for every u", try c.model.isObservationallyEquivalent(to: r)),
            Side("M⁻¹ is a permutation with scaling", RationalMatrix.isScaledPermutation(inverse)),
            Side("M⁻¹ (rows)", inverse.flatMap { $0 }), Side("the rival's λ̂(u)", r.environments.map(\.weight)),
            Side("the rival's λ̂(u₀)", r.environments[0].weight),
        ]
    }

    /// Theorem 2.5(a): ẑ₁'s coefficient of z₂.
    static func rootSides(_ c: Case) throws -> [Side] {
        let r = try c.model.transformed(by: c.transform)
        return [
            Side("the rival ẑ = M⁻¹ z matches p(x|u) for every u", try c.model.isObservationallyEquivalent(to: r)),
            Side("ẑ₁ = s z₁ + c, i.e. (M⁻¹)₁₂ = 0", try inverse(c.transform)[0][1].isZero),
            Side("(M⁻¹)₁₂", try inverse(c.transform)[0][1]),
        ]
    }

    /// The first shift rival λ′ = λ − c (c a non-zero value of λ) that keeps condition (iv).
    static func shiftSides(_ c: Case) throws -> [Side] {
        for w in Set(c.model.environments.map(\.weight)).sorted() where !w.isZero {
            let rival = try c.model.transformed(by: shift(w))
            if rival.satisfiesConditionIV, try c.model.isObservationallyEquivalent(to: rival) {
                return [
                    Side("λ′ = λ − c (c = \(w)) matches p(x|u) for every u", true),
                    Side("λ′ violates condition (iv)", false), Side("λ′(u)", rival.environments.map(\.weight)),
                    Side("λ(u)", c.model.environments.map(\.weight)),
                ]
            }
        }
        return [Side("some λ′ = λ − c matches p(x|u)", false), Side("λ′ violates condition (iv)", true)]
    }

    /// Step I: the rival's noise map at u₀ and u₁.
    static func noiseMapSides(_ c: Case) throws -> [Side] {
        let r = try c.model.transformed(by: c.transform)
        let t0 = try c.model.noiseMap(to: r, transform: c.transform, 0)
        let t1 = try c.model.noiseMap(to: r, transform: c.transform, 1)
        return [
            Side("n̂ = T_u n: T_{u₀} (rows)", t0.flatMap { $0 }), Side("T_{u₁} (rows)", t1.flatMap { $0 }),
            Side("T_{u₀} is a permutation with scaling", RationalMatrix.isScaledPermutation(t0)),
        ]
    }
}
