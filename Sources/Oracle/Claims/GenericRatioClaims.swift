import Reference

/// Definition 2's generic ratio computed as defined (the Haar average of P over the stretched models), 1D and 2D,
/// both averaging conventions: Prop. 4's equality with the SDR where it holds, where it does not, and the closed
/// form by orbit averages that holds everywhere (`Model1.genericRatioByOrbits`).
extension GenericityClaims {
    struct GenericRatioCase: Sendable, JSONRenderable {
        let model: Model1, averaging: FrequencyAveraging
        var d: Int { model.k1.columns }
        var json: JSONValue {
            .object([
                "shape": .string("\(model.k1.rows)x\(model.k1.columns)"), "k1": model.k1.json, "k2": model.k2.json,
                "pi": model.latent.json, "averaging": averaging.json,
            ])
        }
    }

    /// 1×d (d prime ≤ 31) or d×d (d ≤ 7) kernels, a latent pixel with full support or at the origin.
    static func genericRatioCase(square: Gen<Bool>, averaging: Gen<FrequencyAveraging>) -> Gen<GenericRatioCase> {
        Gen.zip(square, averaging).flatMap { square, averaging in
            (square ? Domain.prime(in: 2...7) : Domain.prime(in: 2...31)).flatMap { d in
                let rows = square ? d : 1
                let dirac = try RationalImage(
                    rows: rows, columns: d, values: [.one] + [Rational](repeating: .zero, count: rows * d - 1))
                return Gen.zip(
                    Domain.kernel2D(rows: rows, columns: d), Domain.kernel2D(rows: rows, columns: d),
                    Gen.oneOf(Gen.constant(dirac), Domain.probability(rows: rows, columns: d))
                ).map { GenericRatioCase(model: try Model1(k1: $0.0, k2: $0.1, latent: $0.2), averaging: averaging) }
            }
        }
    }

    /// The literal ratio of Def. 2, the closed form by orbits, and the SDR (eq. 8) under the case's averaging.
    static func genericRatios(_ c: GenericRatioCase) throws -> (literal: Rational, orbits: Rational, sdr: Rational) {
        try definedOrDiscarded { () throws(ReferenceError) in
            (
                try c.model.genericRatio(.modular, averaging: c.averaging),
                try c.model.genericRatioByOrbits(averaging: c.averaging),
                try SpectralDensityRatio.ratio(c.model.k1, c.model.k2, averaging: c.averaging)
            )
        }
    }

    /// Bites with d ≥ 5 and neither spectrum flat (where the orbits of a d×d grid differ from the whole grid).
    static let genericRatioBites: @Sendable (GenericRatioCase) -> [CoverageLabel] = { c in
        [
            .nonTrivial(c.d >= 5 && !Bites.isFlat(c.model.k1) && !Bites.isFlat(c.model.k2)),
            .parameter("shape", "\(c.model.k1.rows)x\(c.d)"), .event(c.averaging.rawValue),
        ]
    }

    static func ratioSides(_ c: GenericRatioCase) throws -> [ClaimReading.Side] {
        let r = try genericRatios(c)
        return [
            ClaimReading.Side("S-generic ratio w.r.t. P (Def. 2, computed literally)", r.literal),
            ClaimReading.Side("SDR of eq. (8), same averaging", r.sdr),
            ClaimReading.Side("closed form Σ|k̂₁k̂₂|² / Σ O₁O₂ (orbit averages)", r.orbits),
        ]
    }

    static var genericRatioReadings: [ClaimReading] {
        [
            .property(
                id: "prop4.formula", reading: "printed-2d",
                statement:
                    "Prop. 4 on d×d images (Sec. 4; S acting by m ↦ gm on both axes, ⟨·⟩ over the non-zero "
                    + "frequencies): the S-generic ratio w.r.t. P (Def. 2, computed literally) equals the 2D SDR "
                    + "⟨|k̂₂⊙k̂₁|²⟩/(⟨|k̂₁|²⟩⟨|k̂₂|²⟩).",
                expected: .refuted, cases: 200,
                gen: genericRatioCase(square: .constant(true), averaging: .constant(.nonZero)), render: { $0.json },
                classify: genericRatioBites, nonTrivialShare: 0.3, sides: ratioSides,
                check: { c in
                    let r = try genericRatios(c); return r.literal == r.sdr
                }),
            .property(
                id: "prop4.formula", reading: "printed-all-frequencies",
                statement:
                    "Prop. 4 in 1D with ⟨·⟩ over all frequencies (the other averaging convention, eq. 8 with u = 0 "
                    + "kept): the S-generic ratio w.r.t. P computed literally with that averaging equals the SDR with "
                    + "that averaging.",
                expected: .refuted, cases: 200,
                gen: genericRatioCase(square: .constant(false), averaging: .constant(.all)), render: { $0.json },
                classify: genericRatioBites, nonTrivialShare: 0.3, sides: ratioSides,
                check: { c in
                    let r = try genericRatios(c); return r.literal == r.sdr
                }),
            .property(
                id: "prop4.formula", reading: "orbit-average",
                statement:
                    "Corrected Prop. 4, 1D and d×d, both averagings, any one-hot latent law: the S-generic ratio "
                    + "w.r.t. P (Def. 2, computed literally) equals Σ_U |k̂₁k̂₂|² / Σ_U O₁O₂, O(u) the average of |k̂|² "
                    + "over the orbit {gu : g ∈ Z_d^*} (U all or the non-zero frequencies); in 1D over the non-zero "
                    + "frequencies this is the SDR.",
                expected: .holds, cases: 200,
                gen: genericRatioCase(square: Gen.bool, averaging: Gen.element(of: FrequencyAveraging.allCases)),
                render: { $0.json }, classify: genericRatioBites, nonTrivialShare: 0.25,
                check: { c in
                    let r = try genericRatios(c)
                    let oneDimensional = c.model.k1.rows == 1 && c.averaging == .nonZero
                    return r.literal == r.orbits && (!oneDimensional || r.literal == r.sdr)
                }),
        ]
    }
}
