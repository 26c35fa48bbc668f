import Reference

/// Sec. 2.3 and App. B.6: the composed over-parameterisation set (Prop. 1, Cor. 1, Cor. 2).
enum SolutionSetClaims: ClaimSection {
    static let title = "Solution sets (Sec. 2, Prop. 1, Cor. 1–2)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] { prop1 + cor1 + cor1Observed + cor2 }

    /// Model 1 parameters: a true pair, two elements of Ω, and a second solution built from its composite.
    struct ConvolutionCase: Sendable, JSONRenderable {
        let k1Star: RationalImage, k2Star: RationalImage, omega: RationalImage, omegaPrime: RationalImage,
            k1: RationalImage
        var json: JSONValue {
            .object([
                "k1*": k1Star.json, "k2*": k2Star.json, "omega": omega.json, "omega'": omegaPrime.json, "k1": k1.json,
            ])
        }
    }

    static func convolutionCase(length: Gen<Int>) -> Gen<ConvolutionCase> {
        length.flatMap { n in
            let kernel = Domain.invertibleKernel(rows: 1, columns: n)
            return Gen.zip(Gen.zip(kernel, kernel), Gen.zip(kernel, kernel), kernel).map {
                ConvolutionCase(k1Star: $0.0.0, k2Star: $0.0.1, omega: $0.1.0, omegaPrime: $0.1.1, k1: $0.2)
            }
        }
    }

    /// Prop. 1 on Model 1 with Ω the invertible kernels of the model's own size:
    /// Ω is a group (δ ∈ Ω, closed under ⊛ and inverses); S^Ω ⊆ S (ω⁻¹⊛k₁*, k₂*⊛ω has the composite k₂*⊛k₁*);
    /// S ⊆ S^Ω (any (k₁, k₂) with that composite — functional identifiability — is (ω⁻¹⊛k₁*, k₂*⊛ω) for ω = k₁*⊛k₁⁻¹ ∈
    /// Ω).
    static func convolutionCOSEqualsSolutionSet(_ c: ConvolutionCase) throws -> Bool {
        let conv = Signals.circularConvolution as (RationalImage, RationalImage) throws(ReferenceError) -> RationalImage
        let n = c.k1Star.count
        var dirac = [Rational](repeating: .zero, count: n); dirac[0] = .one
        guard try Signals.isInvertible(try RationalImage(dirac)),
            try Signals.isInvertible(try conv(c.omega, c.omegaPrime)),
            try Signals.isInvertible(try Signals.convolutionInverse(c.omega))
        else { return false }
        let composite = try conv(c.k2Star, c.k1Star)
        let omegaInverse = try Signals.convolutionInverse(c.omega)
        guard try conv(try conv(c.k2Star, c.omega), try conv(omegaInverse, c.k1Star)) == composite else { return false }
        let k2 = try conv(composite, try Signals.convolutionInverse(c.k1))  // (k₁, k₂) ∈ S
        let omega = try conv(c.k1Star, try Signals.convolutionInverse(c.k1))
        guard try Signals.isInvertible(omega) else { return false }
        return try conv(try Signals.convolutionInverse(omega), c.k1Star) == c.k1 && conv(c.k2Star, omega) == k2
    }

    /// Model 2 parameters.
    struct DiagonalCase: Sendable, JSONRenderable {
        let aStar: [Rational], bStar: [Rational], omega: [Rational], omegaPrime: [Rational], a: [Rational]
        var json: JSONValue {
            .object(["a*": aStar.json, "b*": bStar.json, "omega": omega.json, "omega'": omegaPrime.json, "a": a.json])
        }
    }

    static var diagonalCase: Gen<DiagonalCase> {
        Domain.prime(in: 2...31).flatMap { d in
            let diagonal = Domain.positiveDiagonal(length: d - 1)
            return Gen.zip(Gen.zip(diagonal, diagonal), Gen.zip(diagonal, diagonal), diagonal).map {
                DiagonalCase(aStar: $0.0.0, bStar: $0.0.1, omega: $0.1.0, omegaPrime: $0.1.1, a: $0.2)
            }
        }
    }

    /// Cor. 2 / Prop. 1 on Model 2 (X = A B Z, f₁ = B, f₂ = A): Ω = positive diagonals is a group, and
    /// S = {(a, b) : a⊙b = a*⊙b*} equals S^Ω = {(a*⊙ω, b*/ω) : ω > 0}.
    static func diagonalCOSEqualsSolutionSet(_ c: DiagonalCase) throws -> Bool {
        let product = zip(c.omega, c.omegaPrime).map { $0 * $1 }
        let inverse = try c.omega.map { try $0.reciprocal() }
        guard product.allSatisfy({ $0.signum > 0 }), inverse.allSatisfy({ $0.signum > 0 }) else { return false }
        let scales = zip(c.aStar, c.bStar).map { $0 * $1 }
        // S^Ω ⊆ S.
        let aOmega = zip(c.aStar, c.omega).map { $0 * $1 }, bOmega = try zip(c.bStar, c.omega).map { try $0 / $1 }
        guard zip(aOmega, bOmega).map({ $0 * $1 }) == scales else { return false }
        // S ⊆ S^Ω: b = c/a, ω = a/a*.
        let b = try zip(scales, c.a).map { try $0 / $1 }
        let omega = try zip(c.a, c.aStar).map { try $0 / $1 }
        guard omega.allSatisfy({ $0.signum > 0 }) else { return false }
        let bFromOmega = try zip(c.bStar, omega).map { try $0 / $1 }
        return zip(c.aStar, omega).map { $0 * $1 } == c.a && bFromOmega == b
    }

    enum Case: Sendable, JSONRenderable {
        case convolution(ConvolutionCase), diagonal(DiagonalCase)
        var json: JSONValue {
            switch self {
            case .convolution(let c): return .object(["model": .string("Model 1"), "parameters": c.json])
            case .diagonal(let c): return .object(["model": .string("Model 2"), "parameters": c.json])
            }
        }
    }

    /// A true Model 1 (prime length, a latent law π that is not constant) and a candidate pair, built three ways:
    /// from an ω (in S^Ω by construction), with a circularly shifted composite (same kernels' product up to a shift,
    /// so the same support of outcomes), or at random.
    struct ObservedCase: Sendable, JSONRenderable {
        enum Family: String, Sendable, CaseIterable { case omega, shiftedComposite, random }
        let family: Family, k1Star: RationalImage, k2Star: RationalImage, pi: RationalImage
        let k1: RationalImage, k2: RationalImage
        var json: JSONValue {
            .object([
                "family": .string(family.rawValue), "k1*": k1Star.json, "k2*": k2Star.json, "pi": pi.json,
                "k1": k1.json, "k2": k2.json,
            ])
        }
    }

    static var observedCase: Gen<ObservedCase> { observedCase(lengths: Domain.prime(in: 3...31), periodic: false) }

    /// A latent law on Z_n with a proper period p | n (π(i) = π(i + p)), not constant.
    static func periodicLatent(_ n: Int) -> Gen<RationalImage> {
        let periods = (2..<n).filter { n % $0 == 0 }
        guard !periods.isEmpty else { return Domain.probability(rows: 1, columns: n) }
        return Gen.element(of: periods).flatMap { p in
            Domain.probability(rows: 1, columns: p).map { block in
                try RationalImage((0..<n).map { try block.values[$0 % p] / Rational(n / p) })
            }
        }
    }

    /// Observed-law cases on Z_n for n from `lengths`; with `periodic`, half the latent laws have a proper period.
    static func observedCase(lengths: Gen<Int>, periodic: Bool) -> Gen<ObservedCase> {
        Gen.zip(lengths, Gen.element(of: ObservedCase.Family.allCases)).flatMap { n, family in
            let kernel = Domain.invertibleKernel(rows: 1, columns: n)
            let pi =
                (periodic
                ? Gen.oneOf(Domain.probability(rows: 1, columns: n), periodicLatent(n))
                : Domain.probability(rows: 1, columns: n))
                .filter("a latent law that is not constant", maxTries: 20) { Set($0.values).count > 1 }
            return Gen.zip(Gen.zip(kernel, kernel), pi, Gen.zip(kernel, kernel), Gen.int(in: 1...(n - 1)))
                .map { truth, pi, pair, shift -> ObservedCase in
                    let conv =
                        Signals.circularConvolution
                        as (RationalImage, RationalImage) throws(ReferenceError)
                        -> RationalImage
                    let (k1Star, k2Star) = truth
                    let (k1, k2): (RationalImage, RationalImage)
                    switch family {
                    case .omega:
                        let omega = pair.0
                        (k1, k2) = (try conv(try Signals.convolutionInverse(omega), k1Star), try conv(k2Star, omega))
                    case .shiftedComposite:
                        var delta = [Rational](repeating: .zero, count: n)
                        delta[shift] = .one
                        let shifted = try conv(try conv(k2Star, k1Star), try RationalImage(delta))
                        (k1, k2) = (pair.0, try conv(shifted, try Signals.convolutionInverse(pair.0)))
                    case .random: (k1, k2) = pair
                    }
                    return ObservedCase(family: family, k1Star: k1Star, k2Star: k2Star, pi: pi, k1: k1, k2: k2)
                }
        }
    }

    /// (the candidate's output law equals the truth's — what is observed; the candidate is (ω⁻¹⊛k₁*, k₂*⊛ω) for an
    /// invertible ω — membership of S^Ω).
    static func observedJudgements(_ c: ObservedCase) throws -> (sameLaw: Bool, inSOmega: Bool) {
        let truth = try Model1(k1: c.k1Star, k2: c.k2Star, latent: c.pi)
        let candidate = try Model1(k1: c.k1, k2: c.k2, latent: c.pi)
        let sameLaw = candidate.outputDistribution == truth.outputDistribution
        let omega = try Signals.circularConvolution(c.k1Star, try Signals.convolutionInverse(c.k1))
        let inSOmega = try Signals.isInvertible(omega) && Signals.circularConvolution(c.k2Star, omega) == c.k2
        return (sameLaw, inSOmega)
    }

    static var prop1: [ClaimReading] {
        [
            .property(
                id: "prop1", reading: "printed",
                statement:
                    "On Models 1 and 2 (normalizing flows): Ω is a group, and for a functionally identifiable θ* the "
                    + "composed over-parameterisation set equals the solution set, S^Ω = S.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: Gen.oneOf(
                    convolutionCase(length: Gen.element(of: [3, 5, 9])).map { Case.convolution($0) },
                    diagonalCase.map { Case.diagonal($0) }),
                render: { $0.json },
                check: { c in
                    switch c {
                    case .convolution(let m): return try convolutionCOSEqualsSolutionSet(m)
                    case .diagonal(let m): return try diagonalCOSEqualsSolutionSet(m)
                    }
                }),
            .property(
                id: "prop1", reading: "observed-law",
                statement:
                    "Model 1 on Z_n (n prime, a latent law π that is not constant, so θ* is functionally "
                    + "identifiable): "
                    + "a pair (k₁, k₂) has the true model's output law — S, decided on what is observed — iff it is "
                    + "(ω⁻¹⊛k₁*, k₂*⊛ω) for an invertible ω — S^Ω.",
                expected: .holds, cases: 200, gen: observedCase, render: { $0.json },
                classify: { c in
                    [.nonTrivial(c.family != .random && c.k1.count >= 5), .event("family=\(c.family.rawValue)")]
                },
                nonTrivialShare: 0.25,
                relation: "⟺",
                sides: { c in
                    let j = try observedJudgements(c)
                    return [
                        ClaimReading.Side("same output law as (k₁*, k₂*)", j.sameLaw),
                        ClaimReading.Side("(k₁, k₂) = (ω⁻¹⊛k₁*, k₂*⊛ω), ω invertible", j.inSOmega),
                    ]
                },
                check: { c in
                    let j = try observedJudgements(c)
                    return j.sameLaw == j.inSOmega
                }),
        ]
    }

    static var cor1: [ClaimReading] {
        [
            .property(
                id: "cor1", reading: "printed",
                statement:
                    "Model 1 (kernels of size 2d−1) is NF with S = S^Ω, Ω the invertible (2d+1)-sized convolution "
                    + "kernels: each ω ∈ Ω gives a solution (ω⁻¹⊛k₁*, k₂*⊛ω) of Model 1.",
                expected: .refuted, exhaustiveBudget: 50, exhaustiveValueCap: 2,
                gen: Domain.prime(in: 2...5).flatMap { d in
                    Gen.zip(
                        convolutionCase(length: .constant(2 * d - 1)),
                        Domain.invertibleKernel(rows: 1, columns: 2 * d + 1)
                    )
                    .map { (d, $0.0, $0.1) }
                },
                render: {
                    .object([
                        "d": .int($0.0), "k1*": $0.1.k1Star.json, "k2*": $0.1.k2Star.json,
                        "omega (size 2d+1)": $0.2.json,
                    ])
                },
                sides: { d, c, omega in
                    let sizes: (Int, Int) = (c.k1Star.count, omega.count)
                    return [
                        ClaimReading.Side("size of Model 1's kernels k₁*, k₂* (2d−1)", Rational(sizes.0)),
                        ClaimReading.Side(
                            "size of ω ∈ Ω (2d+1), which ω⁻¹⊛k₁* and k₂*⊛ω need equal", Rational(sizes.1)),
                    ]
                },
                check: { d, c, omega in
                    // A (2d+1)-periodic kernel does not act on (2d−1)-periodic signals: the convolution is undefined.
                    do {
                        let k2 = try Signals.circularConvolution(c.k2Star, omega)
                        let k1 = try Signals.circularConvolution(try Signals.convolutionInverse(omega), c.k1Star)
                        return k1.count == 2 * d - 1 && k2.count == 2 * d - 1
                    } catch let error as ReferenceError {
                        if case .shapeMismatch = error { return false }
                        throw error
                    }
                }),
            .property(
                id: "cor1", reading: "size-2d-1",
                statement:
                    "Model 1 is NF with S = S^Ω, Ω the invertible convolution kernels of the model's own size 2d−1.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: Domain.prime(in: 2...5).flatMap { d in convolutionCase(length: .constant(2 * d - 1)) },
                render: { $0.json }, check: { try convolutionCOSEqualsSolutionSet($0) }),
        ]
    }

    /// The latent law has no proper period: π(i + p) = π(i) for all i only for p ≡ 0 mod n.
    static func isAperiodic(_ pi: RationalImage) -> Bool {
        let n = pi.count
        return (1..<n).allSatisfy { p in (0..<n).contains { pi.values[$0] != pi.values[($0 + p) % n] } }
    }

    /// cor1 on what is observed, at the printed kernel size 2d−1 (d prime ≤ 11: n ∈ {3, 5, 9, 13, 21}, the composite
    /// sizes 9 and 21 — where a latent law can have a period — drawn as often as the prime ones).
    static var cor1ObservedCase: Gen<ObservedCase> {
        observedCase(lengths: Gen.oneOf(Gen.element(of: [3, 5, 13]), Gen.element(of: [9, 21])), periodic: true)
    }

    static var cor1Observed: [ClaimReading] {
        let bites: @Sendable (ObservedCase) -> [CoverageLabel] = { c in
            [
                .nonTrivial(c.family != .random && !Primes.isPrime(c.k1.count)),
                .event(isAperiodic(c.pi) ? "π aperiodic" : "π periodic"), .event("family=\(c.family.rawValue)"),
            ]
        }
        let sides: @Sendable (ObservedCase) throws -> [ClaimReading.Side] = { c in
            let j = try observedJudgements(c)
            return [
                ClaimReading.Side("same output law as (k₁*, k₂*)", j.sameLaw),
                ClaimReading.Side("(k₁, k₂) = (ω⁻¹⊛k₁*, k₂*⊛ω), ω invertible of size 2d−1", j.inSOmega),
                ClaimReading.Side("π has no proper period", isAperiodic(c.pi)),
            ]
        }
        return [
            .property(
                id: "cor1", reading: "observed-law",
                statement:
                    "Cor. 1 decided on what is observed, kernels of the model's size 2d−1 (Ω the invertible kernels of "
                    + "that size), any non-constant latent law: (k₁, k₂) has the true output law iff it is in S^Ω.",
                expected: .refuted, cases: 200, gen: cor1ObservedCase, render: { $0.json }, classify: bites,
                relation: "⟺", sides: sides,
                check: { c in
                    let j = try observedJudgements(c); return j.sameLaw == j.inSOmega
                }),
            .property(
                id: "cor1", reading: "observed-law-latent-without-zeros",
                statement:
                    "Corrected: the same with a latent law whose DFT π̂ has no zero (as Cor. 1's functional "
                    + "identifiability assumes; it excludes every periodic π): the mean E[X] = π ⊛ (k₂ ⊛ k₁) "
                    + "determines "
                    + "the composite, so S = S^Ω.",
                expected: .holds, cases: 200,
                gen: cor1ObservedCase.filter("π̂ without zeros", maxTries: 20) {
                    (try? Signals.isInvertible($0.pi)) ?? false
                },
                render: { $0.json },
                classify: { c in
                    [.nonTrivial(c.family != .random && c.k1.count >= 5), .event("family=\(c.family.rawValue)")]
                },
                nonTrivialShare: 0.25, relation: "⟺", sides: sides,
                check: { c in
                    let j = try observedJudgements(c); return j.sameLaw == j.inSOmega
                }),
        ]
    }

    static var cor2: [ClaimReading] {
        [
            .property(
                id: "cor2", reading: "printed",
                statement: "Model 2 is NF; Ω is the set of positive definite diagonal matrices and S^Ω = S.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: diagonalCase, render: { $0.json }, check: { try diagonalCOSEqualsSolutionSet($0) })
        ]
    }
}
