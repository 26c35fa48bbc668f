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

/// Example 1 (the eyes) read with Definition 2: its generic ratio computed literally, 1D and d×d, both averagings,
/// against ρ = 1 as printed and against the closed form that holds.
extension GenericityClaims {
    struct EyeGenericCase: Sendable, JSONRenderable {
        let d: Int, rows: Int, delta: Int, k2: RationalImage, m0: Int, n0: Int, averaging: FrequencyAveraging
        /// Two unit Diracs: at the origin and at the offset (m₀, n₀) (1D: m₀ = 0, offset n₀).
        var k1: RationalImage { eyes(rows: rows, columns: d, offset: m0 * d + n0) }
        /// Circular distance of the offset along its farthest axis.
        var separation: Int { max(min(m0, d - m0), min(n0, d - n0)) }
        /// Model 1 with the latent pixel at the origin.
        var model: Model1 { get throws(ReferenceError) { try Model1(k1: k1, k2: k2) } }
        var json: JSONValue {
            .object([
                "shape": .string("\(rows)x\(d)"), "delta": .int(delta), "k2": k2.json,
                "eyes": .array([.array([.int(0), .int(0)]), .array([.int(m0), .int(n0)])]),
                "averaging": averaging.json,
            ])
        }
    }

    /// k₂ non-zero on a δ-window (δ×δ square in 2D) at the origin, δ < d; eyes at 0 and a non-zero offset; d prime,
    /// up to 31 in 1D and 7 in 2D (the literal ratio averages d − 1 stretched models of d² pixels).
    static func eyeGenericCase(square: Gen<Bool>, averaging: Gen<FrequencyAveraging>) -> Gen<EyeGenericCase> {
        Gen.zip(square, averaging).flatMap { square, averaging in
            (square ? Domain.prime(in: 3...7) : Domain.prime(in: 3...31)).flatMap { d in
                let rows = square ? d : 1
                return Gen.int(in: 1...(d - 1)).flatMap { delta in
                    Gen.zip(
                        Domain.vector(length: square ? delta * delta : delta, entry: Domain.nonZeroRational()),
                        Gen.int(in: 0...(rows - 1)), Gen.int(in: 0...(d - 1))
                    )
                    .filter("two distinct eyes", maxTries: 20) { $0.1 != 0 || $0.2 != 0 }
                    .map { window, m0, n0 in
                        var v = [Rational](repeating: .zero, count: rows * d)
                        for i in 0..<(square ? delta : 1) {
                            for j in 0..<delta { v[i * d + j] = window[i * delta + j] }
                        }
                        return EyeGenericCase(
                            d: d, rows: rows, delta: delta, k2: try RationalImage(rows: rows, columns: d, values: v),
                            m0: m0, n0: n0, averaging: averaging)
                    }
                }
            }
        }
    }

    /// The eyes' generic ratio in closed form. With S = Σk₂, N = d^dim, r₂ k₂'s autocorrelation, m the offset:
    /// |k̂₁(u)|² = 2 + 2cos(2π⟨u,m⟩/d), so Σ_U |k̂₁k̂₂|² = 2N(r₂(0) + r₂(m)) (less 4S² without u = 0), and its orbit
    /// average O₁ is 4 on the line ⟨u,m⟩ ≡ 0 and 2(d−2)/(d−1) off it (a Ramanujan sum). That line is {t·w},
    /// w = (−n₀, m₀) (only u = 0 in 1D), where Σ_t |k̂₂(t·w)|² = d·Σ_c q(c)², q(c) = Σ_{⟨w,x⟩ ≡ c} k₂(x): so
    /// Σ_U O₁O₂ = 4E⊥ + 2(d−2)/(d−1)·(N·r₂(0) − S² − E⊥) (+ 4S² with u = 0), E⊥ = d·Σ_c q(c)² − S² (0 in 1D).
    static func eyeGenericRatio(_ c: EyeGenericCase) throws -> Rational {
        let d = c.d, n = c.rows * d
        let r = c.k2.autocorrelation, s = c.k2.sum
        var perpendicular = Rational.zero
        if c.rows > 1 {
            var q = [Rational](repeating: .zero, count: d)
            for x in 0..<n { q[((d - c.n0) * (x / d) + c.m0 * (x % d)) % d] += c.k2.values[x] }
            perpendicular = Rational(d) * q.reduce(Rational.zero) { $0 + $1 * $1 } - s * s
        }
        let four = Rational(4), offLine = try Rational(2 * (d - 2), d - 1)
        var joint = Rational(2 * n) * (r[0] + r[c.m0 * d + c.n0])
        var orbital = four * perpendicular + offLine * (Rational(n) * r[0] - s * s - perpendicular)
        if c.averaging == .nonZero { joint -= four * s * s } else { orbital += four * s * s }
        guard !orbital.isZero else { throw Discard("ratio undefined") }
        return try joint / orbital
    }

    static let eyeGenericBites: @Sendable (EyeGenericCase) -> [CoverageLabel] = { c in
        [
            .nonTrivial(c.d >= 5 && c.delta >= 2), .parameter("shape", "\(c.rows)x\(c.d)"),
            .event(c.separation >= c.delta ? "eyes separated" : "eyes overlapping"), .event(c.averaging.rawValue),
        ]
    }

    static func eyeSides(_ c: EyeGenericCase) throws -> [ClaimReading.Side] {
        [
            ClaimReading.Side("S-generic ratio w.r.t. P (Def. 2, computed literally)", try eyeLiteral(c)),
            ClaimReading.Side("1", Rational.one),
            ClaimReading.Side(
                "closed form 2N(r₂(0) + r₂(m)) [− 4S²] / (4E⊥ + 2(d−2)/(d−1)(N r₂(0) − S² − E⊥) [+ 4S²])",
                try eyeGenericRatio(c)),
        ]
    }

    static func eyeLiteral(_ c: EyeGenericCase) throws -> Rational {
        try definedOrDiscarded { () throws(ReferenceError) in try c.model.genericRatio(.modular, averaging: c.averaging)
        }
    }

    static var eyeGenericRatioReadings: [ClaimReading] {
        [
            .property(
                id: "prop4.eye", reading: "printed-generic-ratio-2d",
                statement:
                    "Example 1 read with Def. 2 on d×d images (S acting on both axes): the S-generic ratio w.r.t. P of "
                    + "the eyes (k₁ two unit Diracs, k₂ in a δ×δ square), computed literally with ⟨·⟩ over the "
                    + "non-zero frequencies, is 1.",
                expected: .refuted, cases: 150,
                gen: eyeGenericCase(square: .constant(true), averaging: .constant(.nonZero)), render: { $0.json },
                classify: eyeGenericBites, nonTrivialShare: 0.3, sides: eyeSides,
                check: { c in try eyeLiteral(c) == 1 }),
            .property(
                id: "prop4.eye", reading: "generic-ratio-separated-all-frequencies",
                statement:
                    "App. A.3's setting read with Def. 2, 1D and d×d: with ⟨·⟩ over all frequencies and separated eyes "
                    + "(circular distance ≥ δ), the S-generic ratio w.r.t. P computed literally is 1 (as the SDR is).",
                expected: .refuted, cases: 150,
                gen: eyeGenericCase(square: Gen.bool, averaging: .constant(.all)), render: { $0.json },
                classify: eyeGenericBites, nonTrivialShare: 0.3, sides: eyeSides,
                check: { c in
                    guard c.separation >= c.delta else { throw Discard("eyes overlap") }
                    return try eyeLiteral(c) == 1
                }),
            .property(
                id: "prop4.eye", reading: "generic-ratio-closed-form",
                statement:
                    "Corrected, 1D and d×d, both averagings, any offset: the eyes' S-generic ratio w.r.t. P (Def. 2, "
                    + "computed literally) is 2N(r₂(0) + r₂(m)) [− 4S²] / (4E⊥ + 2(d−2)/(d−1)·(N·r₂(0) − S² − E⊥) "
                    + "[+ 4S²]) — S = Σk₂, N = d^dim, r₂ k₂'s autocorrelation, E⊥ = d·Σ_c q(c)² − S² the power of k̂₂ "
                    + "off 0 on the line ⟨u, m⟩ ≡ 0, q(c) = Σ_{⟨w,x⟩ ≡ c} k₂(x), w ⊥ m (E⊥ = 0 in 1D); the brackets "
                    + "without u = 0. So it is 1 in 1D over the non-zero frequencies exactly when ρ is.",
                expected: .holds, cases: 200,
                gen: eyeGenericCase(square: Gen.bool, averaging: Gen.element(of: FrequencyAveraging.allCases)),
                render: { $0.json }, classify: eyeGenericBites, nonTrivialShare: 0.3,
                check: { c in try eyeLiteral(c) == eyeGenericRatio(c) }),
        ]
    }
}
