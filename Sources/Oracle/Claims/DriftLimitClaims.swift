import Reference

/// Sec. 3.3 / eq. (12): the solution SGD drifts to, |k̂₁|² = |k̂₂|² = |ĉ| with ĉ = k̂₁*k̂₂* the composite's spectrum,
/// and whether it is S-generic. Its SDR is ρ_drift = ⟨|ĉ|²⟩/⟨|ĉ|⟩² — moduli, not squares, so it is irrational in
/// general: it is decided exactly when |ĉ|² is flat (then every |ĉ| is the same number and ρ_drift = 1) and otherwise
/// bounded by certified intervals around the exact |ĉ(u)|² ∈ Q(ζ_d).
extension LearningClaims {
    /// Certified bounds on ρ_drift = f·Σ_{u≠0}|ĉ|² / (Σ_{u≠0}|ĉ|)², f = d − 1: Σ|ĉ|² = d·Σc² − (Σc)² is rational and
    /// exact; each |ĉ(u)| = √|ĉ(u)|² is enclosed from the Double approximation of the exact |ĉ(u)|² and its error
    /// bound, with the square roots and sums rounded outwards (a relative 4u per operation).
    ///
    /// With ⟨·⟩ over all frequencies, Def. 2's ratio (by orbit averages, `prop4.formula/orbit-average`: the orbit of
    /// u ≠ 0 is all of Z_d \ {0}, so O₁ = O₂ = ⟨|ĉ|⟩ there and |ĉ(0)| at 0) is
    /// R = (|ĉ(0)|² + Σ_{u≠0}|ĉ|²) / (|ĉ(0)|² + (Σ_{u≠0}|ĉ|)²/f), |ĉ(0)|² = (Σc)² exact: bounded the same way.
    static func driftRatioBounds(composite c: RationalImage, averaging: FrequencyAveraging = .nonZero) throws
        -> (lower: Double, upper: Double)
    {
        let d = c.count, u = 0x1p-53
        let power = (Rational(d) * Signals.energy(c) - c.sum.squared).doubleValue
        var low = 0.0, high = 0.0
        for p in try FourierClaims.spectrum(c).dropFirst().map(\.squaredModulus) {
            let a = p.approximation()
            low += max(0, a.real - a.errorBound).squareRoot() * (1 - 4 * u)
            high += (a.real + a.errorBound).squareRoot() * (1 + 4 * u)
        }
        low *= 1 - Double(d) * u
        high *= 1 + Double(d) * u
        let f = Double(d - 1)
        guard averaging == .all else {
            return (
                f * power * (1 - 4 * u) / (high * high) * (1 - 4 * u),
                f * power * (1 + 4 * u) / (low * low) * (1 + 4 * u)
            )
        }
        let zero = c.sum.squared.doubleValue
        return (
            (zero + power) * (1 - 8 * u) / ((zero + high * high / f) * (1 + 8 * u)),
            (zero + power) * (1 + 8 * u) / ((zero + low * low / f) * (1 - 8 * u))
        )
    }

    /// Where ρ_drift lies against 1.
    enum DriftRatio { case one, above, below }

    /// ρ_drift against 1, decided: exactly 1 when |ĉ|² is flat over the non-zero frequencies; otherwise the certified
    /// interval must exclude 1 (a case it cannot separate from 1 is discarded, and counted).
    static func driftRatio(_ c: GenericityClaims.DirectionCase, averaging: FrequencyAveraging = .nonZero) throws
        -> DriftRatio
    {
        let composite = try Signals.circularConvolution(c.k2, c.k1)
        guard Rational(composite.count) * Signals.energy(composite) != composite.sum.squared else {
            throw Discard("the composite has no power at the non-zero frequencies")
        }
        if Bites.isFlat(composite) { return .one }
        let bounds = try driftRatioBounds(composite: composite, averaging: averaging)
        if bounds.lower > 1 { return .above }
        if bounds.upper < 1 { return .below }
        throw Discard("ρ_drift cannot be told from 1 at Double precision")
    }

    /// The printed claim under `averaging`: from an S-generic truth, the drifted solution's ratio is not 1.
    static func violatesGenericity(_ c: GenericityClaims.DirectionCase, _ averaging: FrequencyAveraging) throws
        -> Bool
    {
        guard
            try GenericityClaims.definedOrDiscarded({ () throws(ReferenceError) in
                try SpectralDensityRatio.ratio(c.k1, c.k2)
            }) == 1
        else { throw Discard("the truth is not S-generic") }
        return try driftRatio(c, averaging: averaging) != .one
    }

    /// Both sides of the printed claim: the truth's ρ, whether |ĉ|² is flat, and the drifted ratio's verdict.
    static func violationSides(
        _ c: GenericityClaims.DirectionCase, _ averaging: FrequencyAveraging, ratio name: String
    ) throws -> [ClaimReading.Side] {
        let composite = try Signals.circularConvolution(c.k2, c.k1)
        return [
            ClaimReading.Side("ρ(k₁*, k₂*)", try SpectralDensityRatio.ratio(c.k1, c.k2)),
            ClaimReading.Side("|ĉ|² = |k̂₁*k̂₂*|² flat over u ≠ 0", Bites.isFlat(composite)),
            ClaimReading.Side(name, try driftRatio(c, averaging: averaging) != .one),
        ]
    }

    static var driftLimit: [ClaimReading] {
        [
            .property(
                id: "sec3.3.drift", reading: "limit-violates-genericity", kind: .exact,
                statement:
                    "Sec. 3.3: from an S-generic truth (ρ(k₁*, k₂*) = 1), the solution SGD drifts to, |k̂₁|² = |k̂₂|² "
                    + "= |k̂₁*k̂₂*|, violates S-genericity: its SDR ⟨|ĉ|²⟩/⟨|ĉ|⟩² is not 1.",
                expected: .refuted, cases: 200, gen: GenericityClaims.directionCase, render: { $0.json },
                classify: GenericityClaims.directionBites,
                sides: { try violationSides($0, .nonZero, ratio: "ρ_drift = ⟨|ĉ|²⟩/⟨|ĉ|⟩² ≠ 1") },
                check: { try violatesGenericity($0, .nonZero) }),
            .property(
                id: "sec3.3.drift", reading: "limit-iff-composite-not-flat", kind: .exact,
                statement:
                    "Corrected: for any truth with ⟨|ĉ|²⟩ > 0 the drifted solution's SDR ⟨|ĉ|²⟩/⟨|ĉ|⟩² is at least 1, "
                    + "and it is 1 — the drifted solution S-generic — exactly when |ĉ|² = |k̂₁*k̂₂*|² is constant over "
                    + "the non-zero frequencies (decided exactly in the flat case, by certified intervals otherwise).",
                expected: .holds, cases: 200, gen: GenericityClaims.directionCase, render: { $0.json },
                classify: GenericityClaims.directionBites, nonTrivialShare: 0.25,
                check: { try driftRatio($0) != .below }),
            .property(
                id: "sec3.3.drift", reading: "limit-violates-genericity-all-frequencies", kind: .exact,
                statement:
                    "Sec. 3.3 with Def. 2's ratio under the other averaging (⟨·⟩ over all frequencies, by orbit "
                    + "averages): from an S-generic truth, the drifted solution |k̂₁|² = |k̂₂|² = |ĉ| has ratio "
                    + "(|ĉ(0)|² + Σ_{u≠0}|ĉ|²)/(|ĉ(0)|² + (Σ_{u≠0}|ĉ|)²/(d−1)) ≠ 1.",
                expected: .refuted, cases: 200, gen: GenericityClaims.directionCase, render: { $0.json },
                classify: GenericityClaims.directionBites,
                sides: { try violationSides($0, .all, ratio: "Def. 2's ratio (all frequencies) ≠ 1") },
                check: { try violatesGenericity($0, .all) }),
            .property(
                id: "sec3.3.drift", reading: "limit-iff-composite-not-flat-all-frequencies", kind: .exact,
                statement:
                    "Corrected, ⟨·⟩ over all frequencies: the drifted solution's Def. 2 ratio "
                    + "(|ĉ(0)|² + Σ_{u≠0}|ĉ|²)/(|ĉ(0)|² + (Σ_{u≠0}|ĉ|)²/(d−1)) is at least 1, and 1 exactly "
                    + "when |ĉ|² is constant over the non-zero frequencies — the same condition as under the paper's "
                    + "average.",
                expected: .holds, cases: 200, gen: GenericityClaims.directionCase, render: { $0.json },
                classify: GenericityClaims.directionBites, nonTrivialShare: 0.25,
                check: { try driftRatio($0, averaging: .all) != .below }),
        ]
    }
}
