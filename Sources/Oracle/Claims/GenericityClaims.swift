import Reference

/// Sec. 2.5–2.7 and App. A.2–A.3: S-equivalence (Prop. 2), genericity (Prop. 3, Prop. 4, Example 1),
/// the steps of App. A.3, and the direction of causation (Sec. 2.6).
enum GenericityClaims: ClaimSection {
    static let title = "Genericity (Sec. 2.5–2.7, Prop. 2–4, App. A.3)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] {
        prop2 + prop3 + prop4Formula + genericRatioReadings + prop4Eye + eyeGenericRatioReadings
            + eyePower + a3Step + a3DiracPair + direction
    }

    static func kernel(_ values: [Rational]) throws -> RationalImage { try RationalImage(values) }

    /// An undefined ratio (a kernel without power at the averaged frequencies) is outside the claim: discard the case.
    static func definedOrDiscarded<T>(_ body: () throws(ReferenceError) -> T) throws -> T {
        do { return try body() } catch {
            if case .undefined = error { throw Discard("ratio undefined") }
            throw error
        }
    }
    static func conv(_ a: RationalImage, _ b: RationalImage) throws -> RationalImage {
        try Signals.circularConvolution(a, b)
    }

    // MARK: prop2

    /// How the candidate solution is built from the true one: k₁ = ω⁻¹ ⊛ k₁*, k₂ = k₂* ⊛ ω.
    enum OmegaFamily: String, Sendable, CaseIterable {
        case scaling, scalingPlusConstant, shift, stretch, legendre, random
    }

    /// The true cause: any invertible kernel, or a constant plus an odd sequence (k[−j] − c = −(k[j] − c)),
    /// whose non-zero frequencies are purely imaginary — the thin corner where Prop. 2's averaging step
    /// (it divides by Σ_{u≠0} k̂₁*(u) = d·k₁*[0] − Σk₁*) breaks down.
    static func trueCause(n: Int) -> Gen<RationalImage> {
        let constantPlusOdd = Gen.zip(Domain.rational(), Domain.vector(length: (n - 1) / 2, entry: Domain.rational()))
            .map { c, half -> RationalImage in
                var v = [Rational](repeating: c, count: n)
                for (j, x) in half.enumerated() { v[j + 1] = c + x; v[n - 1 - j] = c - x }
                return try kernel(v)
            }
        return Gen.oneOf(
            Domain.invertibleKernel(rows: 1, columns: n),
            constantPlusOdd.filter("invertible constant-plus-odd cause", maxTries: 20) {
                (try? Signals.isInvertible($0)) ?? false
            })
    }

    struct EquivalenceCase: Sendable, JSONRenderable {
        let reading: StretchReading, d: Int, k1Star: RationalImage, k2Star: RationalImage, pi: RationalImage
        let family: OmegaFamily, omega: RationalImage
        var json: JSONValue {
            .object([
                "d": .int(d), "axis": .string(reading == .signed ? "signed, length 2d-1" : "Z_d"), "k1*": k1Star.json,
                "k2*": k2Star.json, "pi": pi.json, "omegaFamily": .string(family.rawValue), "omega": omega.json,
            ])
        }
    }

    /// Mostly d ∈ {3, 5, 7}; one case in sixteen reaches a prime from 11 to 31 (their extrapolated classes cost
    /// O(d⁴) exact operations each).
    static let largePrimeReach = Gen.weighted(
        (15, Gen.element(of: [3, 5, 7])), (1, Gen.element(of: [11, 13, 17, 19, 23, 29, 31])))

    static func equivalenceCase(_ reading: StretchReading, primes: Gen<Int>) -> Gen<EquivalenceCase> {
        primes.flatMap { d in
            let n = reading == .signed ? 2 * d - 1 : d
            let invertible = Domain.invertibleKernel(rows: 1, columns: n)
            return Gen.zip(
                trueCause(n: n), invertible, Domain.probability(rows: 1, columns: n),
                Gen.element(of: OmegaFamily.allCases)
            )
            .flatMap { k1Star, k2Star, pi, family in
                omega(family, n: n, d: d, k1Star: k1Star, reading: reading).map {
                    EquivalenceCase(
                        reading: reading, d: d, k1Star: k1Star, k2Star: k2Star, pi: pi, family: family, omega: $0)
                }
            }
        }
    }

    static func omega(_ family: OmegaFamily, n: Int, d: Int, k1Star: RationalImage, reading: StretchReading) -> Gen<
        RationalImage
    > {
        let dirac: @Sendable (Int, Rational) -> [Rational] = { position, value in
            var v = [Rational](repeating: .zero, count: n); v[position] = value; return v
        }
        let candidate: Gen<RationalImage>
        switch family {
        case .scaling: candidate = Domain.nonZeroRational().map { try kernel(dirac(0, $0)) }
        case .scalingPlusConstant:
            candidate = Gen.zip(Domain.nonZeroRational(), Domain.rational()).map { lambda, c in
                try kernel(dirac(0, lambda).map { $0 + c })
            }
        case .shift: candidate = Gen.int(in: 0...(n - 1)).map { try kernel(dirac($0, .one)) }
        case .stretch:
            // k₁ = h·k₁*: ω = k₁* ⊛ (h·k₁*)⁻¹.
            // (On the signed axis h·k₁* need not be invertible: such draws are discarded.)
            candidate = Domain.groupElement(d).map { h in
                guard let inverse = try? Signals.convolutionInverse(try Model1.stretch(k1Star, by: h, reading: reading))
                else {
                    throw Discard("h·k₁* is not invertible")
                }
                return try conv(k1Star, inverse)
            }
        case .legendre:
            // ω = a + b·χ with χ the Legendre symbol mod d (read on j mod d).
            candidate = Gen.zip(Domain.nonZeroRational(), Domain.nonZeroRational()).map { a, b in
                try kernel((0..<n).map { j in a + b * Rational(legendreSymbol(j, d)) })
            }
        case .random: candidate = Domain.invertibleKernel(rows: 1, columns: n)
        }
        return candidate.filter("invertible ω (\(family.rawValue))", maxTries: 20) {
            (try? Signals.isInvertible($0)) ?? false
        }
    }

    /// (j / d): 0 when d | j, 1 for a non-zero square mod d, −1 otherwise (d an odd prime; d = 2 gives 1).
    static func legendreSymbol(_ j: Int, _ d: Int) -> Int {
        let r = Primes.mod(j, d)
        if r == 0 { return 0 }
        return (1..<d).contains { ($0 * $0) % d == r } ? 1 : -1
    }

    /// Prop. 2's λ condition: k̂₁*(u)/k̂₁(u) is one constant over the positive frequencies u.
    static func hasCommonRatio(_ k1: RationalImage, _ k1Star: RationalImage, positive: [Int]) throws -> Bool {
        let (f, fStar) = (try FourierClaims.spectrum(k1), try FourierClaims.spectrum(k1Star))
        let ratios = try positive.map { try fStar[$0] / f[$0] }
        return ratios.allSatisfy { $0 == ratios[0] }
    }

    /// S-equivalence (decided on the extrapolated classes) ⟺ the λ condition, for (k₁, k₂) ∈ S.
    static func equivalenceMatchesLambda(_ c: EquivalenceCase) throws -> Bool {
        let j = try equivalenceJudgements(c)
        return j.equivalent == j.lambda
    }

    /// Prop. 2's two sides on a case: S-equivalence (decided on the extrapolated classes) and the λ condition.
    static func equivalenceJudgements(_ c: EquivalenceCase) throws -> (equivalent: Bool, lambda: Bool) {
        let k1 = try conv(try Signals.convolutionInverse(c.omega), c.k1Star), k2 = try conv(c.k2Star, c.omega)
        let truth = try Model1(k1: c.k1Star, k2: c.k2Star, latent: c.pi)
        let candidate = try Model1(k1: k1, k2: k2, latent: c.pi)
        let equivalent = try candidate.isEquivalent(to: truth, c.reading)
        // "u > 0": the positive frequencies 1…d−1 (signed axis of Z_{2d−1}, or the non-zero frequencies of Z_d).
        let lambda = try hasCommonRatio(k1, c.k1Star, positive: Array(1...(c.d - 1)))
        return (equivalent, lambda)
    }

    /// The λ condition with "u > 0" read as the half 1…(d−1)/2 of Z_d's non-zero frequencies, λ ∈ ℂ (for real
    /// kernels the other half then carries conj λ); the ratio is non-real only where that half generates no −1.
    static func halfFrequencyLambda(_ c: EquivalenceCase) throws -> (equivalent: Bool, lambda: Bool, real: Bool) {
        let k1 = try conv(try Signals.convolutionInverse(c.omega), c.k1Star)
        let equivalent = try equivalenceJudgements(c).equivalent
        let half = Array(1...max(1, (c.d - 1) / 2))
        let lambda = try hasCommonRatio(k1, c.k1Star, positive: half)
        let ratio = try FourierClaims.spectrum(c.k1Star)[1] / FourierClaims.spectrum(k1)[1]
        return (equivalent, lambda, ratio == ratio.conjugate)
    }

    static let prop2Sides: @Sendable (EquivalenceCase) throws -> [ClaimReading.Side] = { c in
        let j = try equivalenceJudgements(c)
        return [
            ClaimReading.Side("(k₁, k₂) = (ω⁻¹⊛k₁*, k₂*⊛ω) S-equivalent to (k₁*, k₂*)", j.equivalent),
            ClaimReading.Side("λ condition: k̂₁*(u)/k̂₁(u) constant over u > 0", j.lambda),
        ]
    }

    /// Prop. 2 bites beyond the trivial rescaling, on d ≥ 5, with a non-flat true cause.
    static let equivalenceBites: @Sendable (EquivalenceCase) -> [CoverageLabel] = { c in
        [
            .nonTrivial(c.d >= 5 && c.family != .scaling && !Bites.isFlat(c.k1Star)),
            .event("family=\(c.family.rawValue)"),
        ]
    }

    static var prop2: [ClaimReading] {
        [
            .property(
                id: "prop2", reading: "printed",
                statement:
                    "Model 1 as printed (kernels on the signed axis of length 2d−1, App. B.5's action), π̂ without "
                    + "zeros, d′ = 1: a solution (k₁,k₂) is S-equivalent to (k₁*,k₂*) iff (k̂₁(u), k̂₂(u)) = "
                    + "(λ⁻¹k̂₁*(u), λk̂₂*(u)) for all u > 0, some λ ∈ ℂ.",
                expected: .refuted, cases: 600, exhaustiveBudget: 60, exhaustiveValueCap: 1,
                gen: equivalenceCase(.signed, primes: Gen.element(of: [3, 5])), render: { $0.json },
                classify: equivalenceBites, nonTrivialShare: 0.3,
                relation: "⟺", sides: prop2Sides, check: { try equivalenceMatchesLambda($0) }),
            .property(
                id: "prop2", reading: "zd",
                statement:
                    "Model 1 on Z_d (kernels of length d, (g·k)[m] = k[gm]), π̂ without zeros: S-equivalent iff k̂₁ = "
                    + "λ⁻¹k̂₁*, k̂₂ = λk̂₂* on the non-zero frequencies.",
                expected: .refuted, cases: 300, exhaustiveBudget: 60, exhaustiveValueCap: 1,
                gen: equivalenceCase(.modular, primes: largePrimeReach), render: { $0.json },
                classify: equivalenceBites, nonTrivialShare: 0.3,
                relation: "⟺", sides: prop2Sides, check: { try equivalenceMatchesLambda($0) }),
            .property(
                id: "prop2", reading: "zd-only-if",
                statement:
                    "Model 1 on Z_d, π̂ without zeros, one direction: if (k₁, k₂) is S-equivalent to (k₁*, k₂*), then "
                    + "k̂₁ = λ⁻¹k̂₁*, k̂₂ = λk̂₂* on the non-zero frequencies for some λ.",
                expected: .refuted, cases: 300, exhaustiveBudget: 60, exhaustiveValueCap: 1,
                gen: equivalenceCase(.modular, primes: largePrimeReach), render: { $0.json },
                classify: equivalenceBites, nonTrivialShare: 0.2,
                relation: "⟹", sides: prop2Sides,
                check: { c in
                    let j = try equivalenceJudgements(c)
                    return !j.equivalent || j.lambda
                }),
            .property(
                id: "prop2", reading: "zd-if",
                statement:
                    "Model 1 on Z_d, π̂ without zeros, the other direction: if k̂₁ = λ⁻¹k̂₁*, k̂₂ = λk̂₂* on the "
                    + "non-zero "
                    + "frequencies for some λ, then (k₁, k₂) is S-equivalent to (k₁*, k₂*).",
                expected: .holds, cases: 300, exhaustiveBudget: 60, exhaustiveValueCap: 1,
                gen: equivalenceCase(.modular, primes: largePrimeReach), render: { $0.json },
                classify: { c in
                    equivalenceBites(c) + [
                        .event(((try? equivalenceJudgements(c).lambda) ?? false) ? "λ holds" : "λ fails")
                    ]
                },
                nonTrivialShare: 0.2,
                check: { c in
                    let j = try equivalenceJudgements(c)
                    return !j.lambda || j.equivalent
                }),
            .property(
                id: "prop2", reading: "zd-complex-lambda",
                statement:
                    "Model 1 on Z_d, π̂ without zeros, \"u > 0\" read as the half 1…(d−1)/2 of the non-zero "
                    + "frequencies (the other half is its conjugate for real kernels) and λ ∈ ℂ as printed: "
                    + "S-equivalent "
                    + "iff k̂₁ = λ⁻¹k̂₁*, k̂₂ = λk̂₂* on that half.",
                expected: .refuted, cases: 300, exhaustiveBudget: 60, exhaustiveValueCap: 1,
                gen: equivalenceCase(.modular, primes: largePrimeReach), render: { $0.json },
                classify: { c in
                    let j = try? halfFrequencyLambda(c)
                    return equivalenceBites(c) + [
                        .event(j.map { !$0.lambda ? "λ fails" : $0.real ? "λ real" : "λ non-real" } ?? "undecided")
                    ]
                },
                relation: "⟺",
                sides: { c in
                    let j = try halfFrequencyLambda(c)
                    return [
                        ClaimReading.Side("(k₁, k₂) = (ω⁻¹⊛k₁*, k₂*⊛ω) S-equivalent to (k₁*, k₂*)", j.equivalent),
                        ClaimReading.Side("λ condition on u = 1…(d−1)/2, λ ∈ ℂ", j.lambda),
                        ClaimReading.Side("λ = k̂₁*(1)/k̂₁(1) real", j.real),
                    ]
                },
                check: { c in
                    let j = try halfFrequencyLambda(c); return j.equivalent == j.lambda
                }),
            .property(
                id: "prop2", reading: "zd-nonzero-average",
                statement:
                    "Model 1 on Z_d, π̂ without zeros, and Σ_{u≠0} k̂₁*(u) = d·k₁*[0] − Σk₁* ≠ 0: S-equivalent iff k̂₁ "
                    + "= λ⁻¹k̂₁*, k̂₂ = λk̂₂* on the non-zero frequencies.",
                expected: .holds, cases: 300, exhaustiveBudget: 60, exhaustiveValueCap: 1,
                gen: equivalenceCase(.modular, primes: largePrimeReach), render: { $0.json },
                classify: equivalenceBites, nonTrivialShare: 0.2,
                check: { c in
                    guard Rational(c.d) * c.k1Star.values[0] != c.k1Star.sum else {
                        throw Discard("Σ_{u≠0} k̂₁*(u) = 0")
                    }
                    return try equivalenceMatchesLambda(c)
                }),
        ]
    }

    // MARK: prop3

    enum GenericityCase: Sendable, JSONRenderable {
        /// Model 1 on Z_d with φ = P; the candidate is built by stretching k₁* by h and scaling by λ.
        case convolution(k1Star: RationalImage, k2Star: RationalImage, h: Int, lambda: Rational)
        /// Model 2 with φ = φ̃; the candidate stretches b* by h and scales by λ.
        case diagonal(aStar: [Rational], bStar: [Rational], h: Int, lambda: Rational)

        var json: JSONValue {
            switch self {
            case let .convolution(k1, k2, h, lambda):
                return .object([
                    "model": .string("Model 1 on Z_d, phi = P"), "k1*": k1.json, "k2*": k2.json, "h": .int(h),
                    "lambda": lambda.json,
                ])
            case let .diagonal(a, b, h, lambda):
                return .object([
                    "model": .string("Model 2, phi = trace contrast"), "a*": a.json, "b*": b.json, "h": .int(h),
                    "lambda": lambda.json,
                ])
            }
        }
    }

    /// True models drawn half the time with a flat first mechanism (so φ is constant on M^S).
    static var genericityCase: Gen<GenericityCase> {
        let flatOrNot = Gen.bool
        // d from 3 (the smallest non-trivial Z_d^*) to 13: d = 2 has a one-element class, where Prop. 3 cannot fail.
        let convolution = Domain.prime(in: 3...31).flatMap { d in
            Gen.zip(
                flatOrNot, Domain.invertibleKernel(rows: 1, columns: d), Domain.invertibleKernel(rows: 1, columns: d),
                Gen.zip(Domain.groupElement(d), Domain.positiveRational())
            )
            .map { flat, k1, k2, hl -> GenericityCase in
                var values = [Rational](repeating: .zero, count: d); values[0] = .one
                return .convolution(k1Star: flat ? try kernel(values) : k1, k2Star: k2, h: hl.0, lambda: hl.1)
            }
        }
        let diagonal = Domain.prime(in: 3...31).flatMap { d in
            Gen.zip(
                flatOrNot, Domain.positiveDiagonal(length: d - 1), Domain.positiveDiagonal(length: d - 1),
                Gen.zip(Domain.groupElement(d), Domain.positiveRational())
            )
            .map { flat, a, b, hl -> GenericityCase in
                .diagonal(
                    aStar: a, bStar: flat ? [Rational](repeating: b[0], count: b.count) : b, h: hl.0, lambda: hl.1)
            }
        }
        return Gen.oneOf(convolution, diagonal)
    }

    /// Prop. 3: if φ is constant on M^S_θ* and θ is S-equivalent to θ*, then ρ_φ(θ) = 1. Cases where the
    /// premises fail are discarded.
    static func equivalenceImpliesGenericity(_ c: GenericityCase) throws -> Bool {
        switch c {
        case let .convolution(k1Star, k2Star, h, lambda):
            let truth = try Model1(k1: k1Star, k2: k2Star)
            let k1 = try Model1.stretch(k1Star, by: h, reading: .modular)
            let candidate = try Model1(k1: try RationalImage(k1.values.map { $0 * lambda }), k2: k2Star)
            let contrasts = try truth.extrapolatedClass(.modular).map { Model1.powerContrast($0) }
            guard Set(contrasts).count == 1, try candidate.isEquivalent(to: truth, .modular) else {
                throw Discard("premises fail")
            }
            return try candidate.genericRatio(.modular) == 1
        case let .diagonal(aStar, bStar, h, lambda):
            let truth = try Model2(a: aStar, b: bStar)
            let candidate = try Model2(
                a: aStar.map { $0 * lambda },
                b: try Model2.stretch(bStar, by: h, in: truth.group).map { try $0 / lambda })
            let contrasts = try truth.extrapolatedClass().map { scales in Model2.mean(scales.map(\.squared)) }
            guard Set(contrasts).count == 1, try candidate.isEquivalent(to: truth) else {
                throw Discard("premises fail")
            }
            return try candidate.genericRatio() == 1
        }
    }

    static var prop3: [ClaimReading] {
        [
            .property(
                id: "prop3", reading: "printed",
                statement:
                    "For φ constant on M^S_θ*, S-equivalence to the true solution implies S-genericity w.r.t. φ (on "
                    + "Model 1 over Z_d with φ = P, and Model 2 with φ = φ̃).",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: genericityCase, render: { $0.json },
                classify: { c in
                    // A class of more than one element (d ≥ 5) and a true stretch (h ∉ {±1}).
                    switch c {
                    case let .convolution(k1, _, h, _): [.nonTrivial(k1.count >= 5 && Bites.stretches(h, k1.count))]
                    case let .diagonal(a, _, h, _): [.nonTrivial(a.count + 1 >= 5 && Bites.stretches(h, a.count + 1))]
                    }
                }, nonTrivialShare: 0.2,
                check: { try equivalenceImpliesGenericity($0) })
        ]
    }

    // MARK: prop4.formula

    struct KernelPair: Sendable, JSONRenderable {
        let k1: RationalImage, k2: RationalImage
        var json: JSONValue { .object(["k1": k1.json, "k2": k2.json]) }
    }

    static func kernelPair(lengths: [Int]) -> Gen<KernelPair> {
        Gen.element(of: lengths).flatMap { n in
            Gen.zip(Domain.kernel(length: n), Domain.kernel(length: n)).map {
                KernelPair(k1: try kernel($0.0), k2: try kernel($0.1))
            }
        }
    }

    /// Prop. 4: the literal generic ratio (Def. 2 with φ = P) = the cause–mechanism form = the SDR (eq. 8).
    static func genericRatioIsSDR(_ p: KernelPair, _ reading: StretchReading) throws -> Bool {
        let r = try prop4Ratios(p, reading)
        return r.generic == r.sdr && r.middle == r.sdr
    }

    /// Prop. 4's three expressions: Def. 2's ratio computed literally, the cause–mechanism form, the SDR of eq. (8).
    static func prop4Ratios(_ p: KernelPair, _ reading: StretchReading) throws -> (
        generic: Rational, middle: Rational, sdr: Rational
    ) {
        let model = try Model1(k1: p.k1, k2: p.k2)
        let (generic, sdr) = try definedOrDiscarded { () throws(ReferenceError) in
            (try model.genericRatio(reading), try SpectralDensityRatio.ratio(p.k1, p.k2))
        }
        // ⟨E|k̂₂⊙V̂|²⟩ / (⟨E|V̂|²⟩⟨|k̂₂|²⟩), V = k₁ ⊛ Z: V's law is Model 1's output law with k₂ = δ.
        let vLaw = try Model1(
            k1: p.k1, k2: try kernel([Rational.one] + [Rational](repeating: .zero, count: p.k1.count - 1))
        ).outputDistribution
        let middle =
            try Model1.powerContrast(model.outputDistribution)
            / (Model1.powerContrast(vLaw) * Model1.averagePower(p.k2))
        return (generic, middle, sdr)
    }

    /// An SDR identity bites on d ≥ 5 with both spectra non-flat over the non-zero frequencies.
    static let kernelPairBites: @Sendable (KernelPair) -> [CoverageLabel] = { p in
        [.nonTrivial(p.k1.count >= 5 && !Bites.isFlat(p.k1) && !Bites.isFlat(p.k2))]
    }

    static var prop4Formula: [ClaimReading] {
        [
            .property(
                id: "prop4.formula", reading: "printed",
                statement:
                    "Model 1 in 1D on Z_d (d prime): the S-generic ratio w.r.t. φ = P (Def. 2, computed literally) "
                    + "equals ⟨E|k̂₂⊙V̂|²⟩/(⟨E|V̂|²⟩⟨|k̂₂|²⟩) = ⟨|k̂₂⊙k̂₁|²⟩/(⟨|k̂₁|²⟩⟨|k̂₂|²⟩), ⟨·⟩ over non-zero "
                    + "frequencies.",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: kernelPair(lengths: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31]), render: { $0.json },
                classify: kernelPairBites, nonTrivialShare: 0.2,
                check: { try genericRatioIsSDR($0, .modular) }),
            .property(
                id: "prop4.formula", reading: "printed-signed",
                statement:
                    "Model 1 as printed (kernels on the signed axis of length 2d−1, App. B.5's action): the S-generic "
                    + "ratio w.r.t. P equals the SDR of eq. (8) over the non-zero frequencies of Z_{2d−1}.",
                expected: .refuted, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: kernelPair(lengths: [3, 5, 9]), render: { $0.json }, classify: kernelPairBites,
                nonTrivialShare: 0.3,
                sides: { p in
                    let r = try prop4Ratios(p, .signed)
                    let first: ClaimReading.Side = ClaimReading.Side(
                        "S-generic ratio w.r.t. P (Def. 2, signed axis)", r.generic)
                    let sdr: ClaimReading.Side = ClaimReading.Side(
                        "SDR ⟨|k̂₂⊙k̂₁|²⟩/(⟨|k̂₁|²⟩⟨|k̂₂|²⟩), eq. "
                            + "(8)", r.sdr)
                    let middle: ClaimReading.Side = ClaimReading.Side("⟨E|k̂₂⊙V̂|²⟩/(⟨E|V̂|²⟩⟨|k̂₂|²⟩)", r.middle)
                    return r.generic != r.sdr ? [first, sdr, middle] : [middle, sdr, first]
                },
                check: { try genericRatioIsSDR($0, .signed) }),
        ]
    }

    // MARK: prop4.eye and a3.dirac-pair

    /// Example 1's k₁: unit Diracs at the origin and at `offset` (row-major) of a rows × columns grid.
    static func eyes(rows: Int, columns: Int, offset: Int) -> RationalImage {
        var v = [Rational](repeating: .zero, count: rows * columns)
        v[0] += .one
        v[offset] += .one
        return try! RationalImage(rows: rows, columns: columns, values: v)
    }

    struct EyeCase: Sendable, JSONRenderable {
        let d: Int, delta: Int, k2: RationalImage, m0: Int, n0: Int
        var k1: RationalImage { eyes(rows: d, columns: d, offset: m0 * d + n0) }
        var json: JSONValue {
            .object([
                "d": .int(d), "delta": .int(delta), "k2": k2.json,
                "eyes": .array([.array([.int(0), .int(0)]), .array([.int(m0), .int(n0)])]),
            ])
        }
        /// Circular distance of the lag along each axis.
        var separation: Int { max(min(m0, d - m0), min(n0, d - n0)) }
    }

    /// Example 1: k₂ non-zero inside a δ×δ square at the origin (δ < d), k₁ two unit Diracs.
    static var eyeCase: Gen<EyeCase> {
        Gen.element(of: [2, 3, 5, 7, 11]).flatMap { d in
            Gen.int(in: 1...(d - 1)).flatMap { delta in
                Gen.zip(
                    Domain.vector(length: delta * delta, entry: Domain.nonZeroRational()),
                    Gen.int(in: 0...(d - 1)), Gen.int(in: 0...(d - 1))
                )
                .filter("two distinct eyes", maxTries: 20) { $0.1 != 0 || $0.2 != 0 }
                .map { box, m0, n0 in
                    var v = [Rational](repeating: .zero, count: d * d)
                    for i in 0..<delta { for j in 0..<delta { v[i * d + j] = box[i * delta + j] } }
                    return EyeCase(
                        d: d, delta: delta, k2: try RationalImage(rows: d, columns: d, values: v), m0: m0, n0: n0)
                }
            }
        }
    }

    /// Example 1 bites on grids of 5×5 and more, with a δ ≥ 2 square; separated eyes are counted apart.
    static let eyeBites: @Sendable (EyeCase) -> [CoverageLabel] = { c in
        [
            .nonTrivial(c.d >= 5 && c.delta >= 2),
            .event(c.separation >= c.delta ? "eyes separated" : "eyes overlapping"),
        ]
    }

    static var prop4Eye: [ClaimReading] {
        [
            .property(
                id: "prop4.eye", reading: "printed",
                statement:
                    "Example 1 (k₂ supported in a δ×δ square, δ < d; k₁ two unit Diracs): ρ = 1 with eq. (8)'s ⟨·⟩ "
                    + "over non-zero frequencies.",
                expected: .refuted, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: eyeCase, render: { $0.json }, classify: eyeBites, nonTrivialShare: 0.4,
                sides: { c in
                    let rho: Rational = try SpectralDensityRatio.ratio(c.k1, c.k2)
                    return [
                        ClaimReading.Side("ρ(k₁, k₂), ⟨·⟩ over the non-zero frequencies", rho),
                        ClaimReading.Side("1", Rational.one),
                    ]
                },
                check: { c in try SpectralDensityRatio.ratio(c.k1, c.k2) == 1 }),
            .property(
                id: "prop4.eye", reading: "appendix-condition",
                statement: "App. A.3's version: with ⟨·⟩ over all frequencies and 2δ < max(m₀, n₀, d−m₀, d−n₀), ρ = 1.",
                expected: .refuted, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: eyeCase, render: { $0.json }, classify: eyeBites, nonTrivialShare: 0.4,
                sides: { c in
                    let rho: Rational = try SpectralDensityRatio.ratio(c.k1, c.k2, averaging: .all)
                    return [
                        ClaimReading.Side("ρ(k₁, k₂), ⟨·⟩ over all frequencies", rho),
                        ClaimReading.Side("1", Rational.one),
                    ]
                },
                check: { c in
                    guard 2 * c.delta < max(c.m0, c.n0, c.d - c.m0, c.d - c.n0) else {
                        throw Discard("outside A.3's assumption")
                    }
                    return try SpectralDensityRatio.ratio(c.k1, c.k2, averaging: .all) == 1
                }),
            .property(
                id: "prop4.eye", reading: "separated-all-frequencies",
                statement:
                    "With ⟨·⟩ over all frequencies and the eyes' offset outside the support of k₂'s autocorrelation "
                    + "(circular distance ≥ δ along some axis), ρ = 1; in general ρ_all = 1 + r₂(m₀,n₀)/r₂(0,0).",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: eyeCase, render: { $0.json }, classify: eyeBites, nonTrivialShare: 0.4,
                check: { c in
                    let r = c.k2.autocorrelation
                    let rho = try SpectralDensityRatio.ratio(c.k1, c.k2, averaging: .all)
                    let identity = try rho == Rational.one + r[c.m0 * c.d + c.n0] / r[0]
                    return identity && (c.separation < c.delta || rho == 1)
                }),
            .property(
                id: "prop4.eye", reading: "printed-1d-separated",
                statement:
                    "Example 1 in 1D with separated eyes (circular distance ≥ δ) and eq. (8)'s ⟨·⟩ over the non-zero "
                    + "frequencies: ρ = 1.",
                expected: .refuted, cases: 300, gen: eyeCase1D, render: { $0.json },
                classify: { c in [.nonTrivial(c.d >= 5 && c.delta >= 2)] }, nonTrivialShare: 0.3,
                sides: { c in
                    [
                        ClaimReading.Side(
                            "ρ(k₁, k₂), ⟨·⟩ over the non-zero frequencies",
                            try SpectralDensityRatio.ratio(c.k1, c.k2)),
                        ClaimReading.Side("1", Rational.one),
                    ]
                },
                check: { c in
                    guard c.separation >= c.delta else { throw Discard("eyes overlap") }
                    return try SpectralDensityRatio.ratio(c.k1, c.k2) == 1
                }),
            .property(
                id: "prop4.eye", reading: "separated-all-frequencies-1d",
                statement:
                    "Example 1 in 1D (k₂ supported in a window of δ < d samples, k₁ = δ₀ + δ_{m₀}), ⟨·⟩ over all "
                    + "frequencies: ρ_all = 1 + r₂(m₀)/r₂(0), so ρ = 1 when the eyes are separated (circular "
                    + "distance ≥ δ).",
                expected: .holds, cases: 300, gen: eyeCase1D, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(c.d >= 5 && c.delta >= 2),
                        .event(c.separation >= c.delta ? "eyes separated" : "eyes overlapping"),
                    ]
                },
                nonTrivialShare: 0.4,
                check: { c in
                    let r = c.k2.autocorrelation
                    let rho = try SpectralDensityRatio.ratio(c.k1, c.k2, averaging: .all)
                    let identity = try rho == Rational.one + r[c.m0] / r[0]
                    return identity && (c.separation < c.delta || rho == 1)
                }),
        ]
    }

    /// Example 1 in 1D and a stretch g of the eyes' distance: P(X) = ⟨|k̂₂ ⊙ k̂₁|²⟩ before and after (Sec. 2.7, eq. 7).
    struct EyeStretch: Sendable, JSONRenderable {
        let eye: EyeCase1D, g: Int
        /// (g·k)[m] = k[gm] moves the Dirac at m₀ to g⁻¹m₀ (mod d).
        var stretchedOffset: Int {
            let inverse = (1..<eye.d).first { $0 * g % eye.d == 1 } ?? 1
            return eye.m0 * inverse % eye.d
        }
        /// Neither the eyes nor the stretched eyes overlap: both offsets at circular distance ≥ δ.
        var separatedBeforeAndAfter: Bool {
            eye.separation >= eye.delta && min(stretchedOffset, eye.d - stretchedOffset) >= eye.delta
        }
        var json: JSONValue {
            guard case var .object(members) = eye.json else { return eye.json }
            members.append(.init("g", .int(g)))
            return .object(members)
        }
    }

    static var eyeStretch: Gen<EyeStretch> {
        eyeCase1D.flatMap { eye in Domain.groupElement(eye.d).map { EyeStretch(eye: eye, g: $0) } }
    }

    /// (P(k₂ ⊛ k₁), P(k₂ ⊛ g·k₁)).
    static func eyePowers(_ c: EyeStretch) throws -> (before: Rational, after: Rational) {
        let stretched = try Model1.stretch(c.eye.k1, by: c.g, reading: .modular)
        return (
            try SpectralDensityRatio.parts(c.eye.k1, c.eye.k2).jointPower,
            try SpectralDensityRatio.parts(stretched, c.eye.k2).jointPower
        )
    }

    static let eyePowerSides: @Sendable (EyeStretch) throws -> [ClaimReading.Side] = { c in
        let p = try eyePowers(c)
        return [
            ClaimReading.Side("P(X) = ⟨|k̂₂ ⊙ k̂₁|²⟩", p.before),
            ClaimReading.Side("P after stretching the eyes' distance by g", p.after),
        ]
    }

    static var eyePower: [ClaimReading] {
        [
            .property(
                id: "sec2.7.power", reading: "printed",
                statement:
                    "Example 1 in 1D (k₂ on a window of δ samples, k₁ = δ₀ + δ_{m₀}) on Z_d, d prime: stretching the "
                    + "eyes' distance by g ∈ Z_d^* preserves P(X) = ⟨|k̂₂ ⊙ k̂₁|²⟩ (non-zero frequencies) when the "
                    + "eyes "
                    + "overlap neither before nor after (circular distances m₀ and g·m₀ ≥ δ).",
                expected: .holds, cases: 300, gen: eyeStretch, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(
                            c.eye.d >= 5 && c.eye.delta >= 2 && Bites.stretches(c.g, c.eye.d)
                                && c.separatedBeforeAndAfter)
                    ]
                },
                nonTrivialShare: 0.15,
                check: { c in
                    guard c.separatedBeforeAndAfter else { throw Discard("the eyes overlap") }
                    let p = try eyePowers(c)
                    return p.before == p.after
                }),
            .property(
                id: "sec2.7.power", reading: "overlapping",
                statement:
                    "The same without the condition: stretching the eyes' distance preserves P(X) whatever the "
                    + "overlap.",
                expected: .refuted, cases: 300, gen: eyeStretch, render: { $0.json },
                classify: { c in [.nonTrivial(c.eye.d >= 5 && !c.separatedBeforeAndAfter)] }, nonTrivialShare: 0.2,
                sides: eyePowerSides,
                check: { c in
                    let p = try eyePowers(c); return p.before == p.after
                }),
        ]
    }

    /// Example 1 on Z_d: k₂ non-zero on a window of δ samples at the origin, k₁ = δ₀ + δ_{m₀}, m₀ ≠ 0.
    struct EyeCase1D: Sendable, JSONRenderable {
        let d: Int, delta: Int, k2: RationalImage, m0: Int
        var k1: RationalImage { eyes(rows: 1, columns: d, offset: m0) }
        var separation: Int { min(m0, d - m0) }
        var json: JSONValue {
            .object(["d": .int(d), "delta": .int(delta), "k2": k2.json, "eyes": .array([.int(0), .int(m0)])])
        }
    }

    static var eyeCase1D: Gen<EyeCase1D> {
        Domain.prime(in: 3...31).flatMap { d in
            Gen.zip(Gen.int(in: 1...(d - 1)), Gen.int(in: 1...(d - 1))).flatMap { delta, m0 in
                Domain.vector(length: delta, entry: Domain.nonZeroRational()).map { window in
                    var v = [Rational](repeating: .zero, count: d)
                    for (i, x) in window.enumerated() { v[i] = x }
                    return EyeCase1D(d: d, delta: delta, k2: try RationalImage(v), m0: m0)
                }
            }
        }
    }

    struct DiracPairCase: Sendable, JSONRenderable {
        let d: Int, m0: Int, n0: Int
        var json: JSONValue { .object(["d": .int(d), "m0": .int(m0), "n0": .int(n0)]) }
    }

    static var diracPairCase: Gen<DiracPairCase> {
        Gen.int(in: 2...7).flatMap { d in
            Gen.zip(Gen.int(in: 0...(d - 1)), Gen.int(in: 0...(d - 1))).filter("distinct Diracs", maxTries: 20) {
                $0.0 != 0 || $0.1 != 0
            }
            .map { DiracPairCase(d: d, m0: $0.0, n0: $0.1) }
        }
    }

    /// |v̂(u,v)|² for v = δ(0,0) + δ(m₀,n₀) on d×d (unnormalised DFT), in Q(ζ_d).
    static func diracPairPower(_ c: DiracPairCase) throws -> [Cyclotomic] {
        var values = [Rational](repeating: .zero, count: c.d * c.d)
        values[0] += .one
        values[c.m0 * c.d + c.n0] += .one
        return try ExactDFT.forward2D(try RationalImage(rows: c.d, columns: c.d, values: values)).values.map(
            \.squaredModulus)
    }

    /// The printed reading's sides: |Fv|² per frequency (F unitary), the printed right side 4/d²
    /// (cos(2π·integer) = 1), and the average of |Fv|² over the frequencies.
    static func printedDiracPairSides(_ c: DiracPairCase) throws -> (
        power: [Cyclotomic], printed: Cyclotomic, average: Cyclotomic
    ) {
        let raw = try diracPairPower(c), field = raw[0].field
        let scale = try Rational(1, c.d * c.d)
        let power = raw.map { $0.scaled(by: scale) }
        var total = Cyclotomic(0, in: field)
        for p in power { total = try total + p }
        return (power, Cyclotomic(scale * 4, in: field), total.scaled(by: scale))
    }

    static var a3DiracPair: [ClaimReading] {
        [
            .property(
                id: "a3.dirac-pair", reading: "printed",
                statement:
                    "For v two unit Diracs at (0,0) and (m₀,n₀), with F the unitary DFT: |Fv(u,v)|² = (1/d²)(2 + "
                    + "2cos(2π(m₀u + n₀v))) at integer (u,v), and its average over frequencies is 2.",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 6,
                gen: diracPairCase, render: { $0.json }, classify: { [.nonTrivial($0.d >= 5)] }, nonTrivialShare: 0.3,
                sides: { c in
                    let s = try printedDiracPairSides(c)
                    var sides: [ClaimReading.Side] = []
                    if let i = s.power.indices.first(where: { s.power[$0] != s.printed }) {
                        let at = "(u,v) = (\(i / c.d), \(i % c.d))"
                        sides += [
                            ClaimReading.Side("|Fv(u,v)|² at \(at)", s.power[i]),
                            ClaimReading.Side("(1/d²)(2 + 2cos(2π(m₀u + n₀v))) at \(at)", s.printed),
                        ]
                    }
                    return sides + [
                        ClaimReading.Side("average of |Fv|² over the d² frequencies", s.average),
                        ClaimReading.Side("2", Rational(2)),
                    ]
                },
                check: { c in
                    let s = try printedDiracPairSides(c)
                    return s.power.allSatisfy { $0 == s.printed } && s.average == Cyclotomic(2, in: s.printed.field)
                }),
            .property(
                id: "a3.dirac-pair", reading: "normalised",
                statement:
                    "With the paper's unnormalised DFT (App. B.4): |v̂(u,v)|² = 2 + 2cos(2π(m₀u + n₀v)/d), whose "
                    + "average over the d² frequencies is 2 (equivalently, with the unitary F, Σ|Fv|² = 2).",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 6,
                gen: diracPairCase, render: { $0.json }, classify: { [.nonTrivial($0.d >= 5)] }, nonTrivialShare: 0.3,
                check: { c in
                    let power = try diracPairPower(c), field = power[0].field
                    for (i, p) in power.enumerated() {
                        let t = c.m0 * (i / c.d) + c.n0 * (i % c.d)
                        let expected =
                            try Cyclotomic(2, in: field) + Cyclotomic.zeta(t, in: field)
                            + Cyclotomic.zeta(-t, in: field)
                        if p != expected { return false }
                    }
                    var total = Cyclotomic(0, in: field)
                    for p in power { total = try total + p }
                    return total.scaled(by: try Rational(1, c.d * c.d)) == Cyclotomic(2, in: field)
                }),
        ]
    }

    // MARK: a3.step

    struct StepCase: Sendable, JSONRenderable {
        let d: Int, k1: RationalImage, k2: RationalImage, p: Int
        var json: JSONValue { .object(["d": .int(d), "k1": k1.json, "k2": k2.json, "latentPixel": .int(p)]) }
    }

    static var stepCase: Gen<StepCase> {
        Domain.prime(in: 2...31).flatMap { d in
            Gen.zip(Domain.kernel(length: d), Domain.kernel(length: d), Gen.int(in: 0...(d - 1)))
                .map { StepCase(d: d, k1: try kernel($0.0), k2: try kernel($0.1), p: $0.2) }
        }
    }

    /// ⟨x⟩ over the non-zero frequencies of a spectrum.
    static func nonZeroMean(_ x: [Cyclotomic]) throws -> Cyclotomic {
        var sum = Cyclotomic(0, in: x[0].field)
        for u in x.indices.dropFirst() { sum = try sum + x[u] }
        return sum.scaled(by: try Rational(1, x.count - 1))
    }

    /// Signed-axis cases: kernels of length 2d−1 (d prime ≤ 11), Z a Dirac on Z_{2d−1}.
    static var signedStepCase: Gen<StepCase> {
        Domain.prime(in: 2...11).flatMap { d in
            Gen.zip(
                Domain.kernel(length: 2 * d - 1), Domain.kernel(length: 2 * d - 1), Gen.int(in: 0...(2 * d - 2))
            )
            .map { StepCase(d: d, k1: try kernel($0.0), k2: try kernel($0.1), p: $0.2) }
        }
    }

    /// A.3's first display, every quantity in Q(ζ_n) over the non-zero frequencies of the kernels' axis (n = d, or
    /// 2d − 1 on the signed axis): E_g⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩, ⟨|k̂₂ ⊙ E_g[g·k̂₁] ⊙ Ẑ|²⟩, ⟨|k̂₂|²⟩⟨|k̂₁|²⟩, and
    /// ⟨|k̂₂|² ⊙ E_g|(g·k₁)^|²⟩ (the average moved inside the modulus squared).
    static func stepSides(_ c: StepCase, reading: StretchReading = .modular) throws -> StepSides {
        let group = try StretchGroup(c.d)
        let f2 = try FourierClaims.spectrum(c.k2)
        var z = [Rational](repeating: .zero, count: c.k1.count); z[c.p] = .one
        let fz = try FourierClaims.spectrum(try kernel(z))
        let field = f2[0].field
        let stretched = try group.elements.map { g in
            try FourierClaims.spectrum(try Model1.stretch(c.k1, by: g, reading: reading))
        }
        let scale = try Rational(1, group.order)
        // E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩.
        var lhs = Cyclotomic(0, in: field)
        for s in stretched {
            lhs = try lhs + nonZeroMean(try f2.indices.map { try (f2[$0] * s[$0] * fz[$0]).squaredModulus })
        }
        lhs = lhs.scaled(by: scale)
        // ⟨|k̂₂ ⊙ E_g[g·k̂₁] ⊙ Ẑ|²⟩ and ⟨|k̂₂|² ⊙ E_g|(g·k₁)^|²⟩.
        var mean: [Cyclotomic] = [], meanSquare: [Cyclotomic] = []
        for u in f2.indices {
            var sum = Cyclotomic(0, in: field), squares = Cyclotomic(0, in: field)
            for s in stretched { sum = try sum + s[u]; squares = try squares + s[u].squaredModulus }
            mean.append(sum.scaled(by: scale)); meanSquare.append(squares.scaled(by: scale))
        }
        let rhs = try nonZeroMean(try f2.indices.map { try (f2[$0] * mean[$0] * fz[$0]).squaredModulus })
        let inside = try nonZeroMean(try f2.indices.map { try f2[$0].squaredModulus * meanSquare[$0] })
        let f1 = try FourierClaims.spectrum(c.k1)
        let product = try nonZeroMean(f2.map(\.squaredModulus)) * nonZeroMean(f1.map(\.squaredModulus))
        return (lhs, rhs, product, inside)
    }

    static var a3Step: [ClaimReading] {
        [
            .property(
                id: "a3.step", reading: "printed",
                statement: "E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ = ⟨|k̂₂ ⊙ E_g[g·k̂₁] ⊙ Ẑ|²⟩ (Model 1 on Z_d, Z a Dirac).",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: stepCase, render: { $0.json },
                classify: { c in [.nonTrivial(c.d >= 5 && !Bites.isFlat(c.k1) && !Bites.isFlat(c.k2))] },
                nonTrivialShare: 0.3,
                sides: { c in
                    let s = try stepSides(c)
                    return [
                        ClaimReading.Side("E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩", s.averageOfSquares),
                        ClaimReading.Side("⟨|k̂₂ ⊙ E_g[g·k̂₁] ⊙ Ẑ|²⟩", s.squareOfAverage),
                    ]
                },
                check: { c in
                    let s = try stepSides(c); return s.averageOfSquares == s.squareOfAverage
                }),
            .property(
                id: "a3.step", reading: "squared-modulus",
                statement:
                    "E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ = ⟨|k̂₂|² ⊙ E_g[|g·k̂₁|²]⟩ = ⟨|k̂₂|²⟩⟨|k̂₁|²⟩ (the average moves "
                    + "inside the modulus squared, not inside the modulus).",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: stepCase, render: { $0.json },
                classify: { c in [.nonTrivial(c.d >= 5 && !Bites.isFlat(c.k1) && !Bites.isFlat(c.k2))] },
                nonTrivialShare: 0.15,
                check: { c in
                    let s = try stepSides(c); return s.averageOfSquares == s.product
                }),
            signedStepReading(
                id: "a3.step", reading: "printed-signed",
                statement:
                    "The printed display on the signed axis (kernels of length 2d−1, App. B.5's action, ⟨·⟩ over the "
                    + "non-zero frequencies of Z_{2d−1}): E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ = ⟨|k̂₂ ⊙ E_g[g·k̂₁] ⊙ Ẑ|²⟩.",
                rightName: "⟨|k̂₂ ⊙ E_g[g·k̂₁] ⊙ Ẑ|²⟩ (signed axis)", right: { $0.squareOfAverage }),
            signedStepReading(
                id: "a3.step", reading: "squared-modulus-signed",
                statement:
                    "squared-modulus on the signed axis: E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ = ⟨|k̂₂|²⟩⟨|k̂₁|²⟩ over the non-zero "
                    + "frequencies of Z_{2d−1}.",
                rightName: "⟨|k̂₂|²⟩⟨|k̂₁|²⟩ (signed axis)", right: { $0.product }),
            .property(
                id: "a3.step", reading: "inside-square-both-axes",
                statement:
                    "The correct half on both axes: E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ = ⟨|k̂₂|² ⊙ E_g|(g·k₁)^|²⟩ — the average "
                    + "moves inside the modulus squared (Z a Dirac, |Ẑ| = 1); on Z_d this is ⟨|k̂₂|²⟩⟨|k̂₁|²⟩, on the "
                    + "signed axis it is not.",
                expected: .holds, cases: 200,
                gen: Gen.bool.flatMap { signed in
                    (signed ? signedStepCase : stepCase).map { (signed, $0) }
                }.map { SignedStepCase(signed: $0.0, step: $0.1) },
                render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(c.step.d >= 3 && !Bites.isFlat(c.step.k1) && !Bites.isFlat(c.step.k2)),
                        .event(c.signed ? "signed axis" : "Z_d"), .parameter("d", c.step.d),
                    ]
                },
                nonTrivialShare: 0.25,
                check: { c in
                    let s = try stepSides(c.step, reading: c.signed ? .signed : .modular)
                    return s.averageOfSquares == s.insideSquare && (c.signed || s.insideSquare == s.product)
                }),
        ]
    }

    typealias StepSides = (
        averageOfSquares: Cyclotomic, squareOfAverage: Cyclotomic, product: Cyclotomic, insideSquare: Cyclotomic
    )

    /// A.3's left side E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ on the signed axis against one right side of `stepSides`.
    static func signedStepReading(
        id: String, reading: String, statement: String, rightName: String,
        right: @escaping @Sendable (StepSides) -> Cyclotomic
    ) -> ClaimReading {
        .property(
            id: id, reading: reading, statement: statement, expected: .refuted, cases: 200, gen: signedStepCase,
            render: { $0.json },
            classify: { c in [.nonTrivial(c.d >= 3 && !Bites.isFlat(c.k1) && !Bites.isFlat(c.k2))] },
            sides: { c in
                let s = try stepSides(c, reading: .signed)
                return [
                    ClaimReading.Side("E_g ⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ (signed axis)", s.averageOfSquares),
                    ClaimReading.Side(rightName, right(s)),
                ]
            },
            check: { c in
                let s = try stepSides(c, reading: .signed); return s.averageOfSquares == right(s)
            })
    }

    struct SignedStepCase: Sendable, JSONRenderable {
        let signed: Bool, step: StepCase
        var json: JSONValue {
            .object([.init("axis", .string(signed ? "signed, length 2d-1" : "Z_d")), .init("case", step.json)])
        }
    }

    // MARK: sec2.6.direction

    enum DirectionFamily: String, Sendable, CaseIterable { case flatCause, flatMechanism, random }

    struct DirectionCase: Sendable, JSONRenderable {
        let family: DirectionFamily, k1: RationalImage, k2: RationalImage
        var json: JSONValue { .object(["family": .string(family.rawValue), "k1": k1.json, "k2": k2.json]) }
    }

    /// The direction claim bites on d ≥ 5 with a mechanism whose spectrum is not flat (the causal side is
    /// generic through a flat cause, so only the mechanism can make the anti-causal side differ).
    static let directionBites: @Sendable (DirectionCase) -> [CoverageLabel] = { c in
        [.nonTrivial(c.k1.count >= 5 && !Bites.isFlat(c.k2)), .event("family=\(c.family.rawValue)")]
    }

    /// Pairs with ρ(k₁, k₂) = 1: a spectrally flat cause (a·δ + b·1), a flat mechanism, or random pairs (kept when ρ =
    /// 1).
    static var directionCase: Gen<DirectionCase> {
        Gen.zip(Domain.prime(in: 3...31), Gen.element(of: DirectionFamily.allCases)).flatMap { d, family in
            let flat = Gen.zip(Domain.nonZeroRational(), Domain.rational(), Gen.int(in: 0...(d - 1))).map {
                a, b, p -> RationalImage in
                var v = [Rational](repeating: b, count: d); v[p] += a; return try kernel(v)
            }
            let invertible = Domain.invertibleKernel(rows: 1, columns: d)
            let pair: Gen<(RationalImage, RationalImage)>
            switch family {
            case .flatCause: pair = Gen.zip(flat, invertible)
            case .flatMechanism:
                pair = Gen.zip(
                    Domain.kernel(length: d).map { try kernel($0) },
                    flat.filter("invertible flat", maxTries: 10) { (try? Signals.isInvertible($0)) ?? false })
            case .random: pair = Gen.zip(Domain.kernel(length: d).map { try kernel($0) }, invertible)
            }
            return pair.map { DirectionCase(family: family, k1: $0.0, k2: $0.1) }
        }
    }

    /// (ρ(k₁,k₂), ρ(k₂⊛k₁, k₂⁻¹), whether |k̂₂|² is constant on the non-zero frequencies); discards undefined ratios.
    static func directionRatios(_ c: DirectionCase) throws -> (
        causal: Rational, anticausal: Rational, flatMechanism: Bool
    ) {
        let (causal, anticausal) = try definedOrDiscarded { () throws(ReferenceError) in
            (
                try SpectralDensityRatio.ratio(c.k1, c.k2),
                try SpectralDensityRatio.ratio(
                    try Signals.circularConvolution(c.k2, c.k1), try Signals.convolutionInverse(c.k2))
            )
        }
        let power = try FourierClaims.spectrum(c.k2).dropFirst().map(\.squaredModulus)
        return (causal, anticausal, power.allSatisfy { $0 == power.first! })
    }

    /// 1/(⟨|k̂₂|²⟩⟨|k̂₂|⁻²⟩) over the non-zero frequencies, computed in Q(ζ_d) (nil when it is not rational).
    static func cauchySchwarzRatio(_ k2: RationalImage) throws -> Rational? {
        let power = try FourierClaims.spectrum(k2).dropFirst().map(\.squaredModulus)
        guard let field = power.first?.field else { return nil }
        var sum = Cyclotomic(0, in: field), inverseSum = Cyclotomic(0, in: field)
        for p in power {
            sum = try sum + p
            inverseSum = try inverseSum + p.inverse()
        }
        guard let product = try (sum * inverseSum).rationalValue, !product.isZero else { return nil }
        return try Rational(power.count * power.count) / product
    }

    static var direction: [ClaimReading] {
        [
            .property(
                id: "sec2.6.direction", reading: "printed",
                statement:
                    "If the causal direction is generic, ρ(k₁, k₂) = 1, then the anti-causal direction (cause X = "
                    + "k₂⊛k₁, mechanism k₂⁻¹) is not: ρ(X, k₂⁻¹) ≠ 1.",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: directionCase, render: { $0.json }, classify: directionBites, nonTrivialShare: 0.3,
                relation: "≠",
                sides: { c in
                    let r = try directionRatios(c)
                    return [
                        ClaimReading.Side("ρ(k₂⊛k₁, k₂⁻¹), the anti-causal direction", r.anticausal),
                        ClaimReading.Side("1", Rational.one),
                        ClaimReading.Side("ρ(k₁, k₂), the causal direction", r.causal),
                    ]
                },
                check: { c in
                    let r = try directionRatios(c)
                    guard r.causal == 1 else { throw Discard("causal direction not generic") }
                    return r.anticausal != 1
                }),
            .property(
                id: "sec2.6.direction", reading: "non-flat",
                statement:
                    "If ρ(k₁, k₂) = 1 and |k̂₂|² is not constant on the non-zero frequencies, then ρ(k₂⊛k₁, k₂⁻¹) = "
                    + "1/(⟨|k̂₂|²⟩⟨|k̂₂|⁻²⟩) < 1 (Cauchy–Schwarz).",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: directionCase, render: { $0.json }, classify: directionBites, nonTrivialShare: 0.3,
                check: { c in
                    let r = try directionRatios(c)
                    guard r.causal == 1, !r.flatMechanism else { throw Discard("premises fail") }
                    // The whole statement: the equality, and the strict inequality it implies.
                    return try r.anticausal == cauchySchwarzRatio(c.k2) && r.anticausal < 1
                }),
        ]
    }
}
