import Reference

/// Fourier-domain facts about Model 1: eqs. (14), (16), (17), (22), Sec. 2.4's stretch/DFT duality, App. B.10's
/// up-sampling.
enum FourierClaims: ClaimSection {
    static let title = "Fourier domain (Sec. 2.4, eq. 14–24)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] { eq16 + eq17 + stretchDFT + eq14 + eq22 + eq22Definition + upsample }

    static func spectrum(_ k: RationalImage) throws -> [Cyclotomic] { try ExactDFT.forward2D(k).values }

    // MARK: eq16

    struct ModelCase: Sendable, JSONRenderable {
        let k1: RationalImage, k2: RationalImage, row: Int, column: Int
        var json: JSONValue {
            .object([
                "shape": .string("\(k1.rows)x\(k1.columns)"), "k1": k1.json, "k2": k2.json,
                "latentPixel": .array([.int(row), .int(column)]),
            ])
        }
        /// Z: a one-hot image with its pixel at (row, column).
        var latent: RationalImage {
            var values = [Rational](repeating: .zero, count: k1.count)
            values[row * k1.columns + column] = .one
            return try! RationalImage(rows: k1.rows, columns: k1.columns, values: values)
        }
    }

    /// A Model 1 identity bites on kernels of three or more entries with two or more non-zero ones each.
    static let modelBites: @Sendable (ModelCase) -> [CoverageLabel] = { c in
        [.nonTrivial(c.k1.count >= 3 && Bites.support(c.k1.values) >= 2 && Bites.support(c.k2.values) >= 2)]
    }

    static func modelCase(rows: ClosedRange<Int>, columns: ClosedRange<Int>) -> Gen<ModelCase> {
        Gen.zip(Gen.int(in: rows), Gen.int(in: columns)).flatMap { r, c in
            Gen.zip(
                Domain.kernel2D(rows: r, columns: c), Domain.kernel2D(rows: r, columns: c),
                Gen.int(in: 0...(r - 1)), Gen.int(in: 0...(c - 1))
            )
            .map { ModelCase(k1: $0.0, k2: $0.1, row: $0.2, column: $0.3) }
        }
    }

    static var eq16: [ClaimReading] {
        [
            .property(
                id: "eq16", reading: "printed",
                statement: "For X = k₂ ⊛ k₁ ⊛ Z (Model 1, Z one-hot), X̂ = k̂₂ · k̂₁ · Ẑ at every frequency (1D and "
                    + "2D).",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: modelCase(rows: 1...7, columns: 1...7), render: { $0.json }, classify: modelBites,
                nonTrivialShare: 0.2,
                check: { m in
                    let x = try Signals.circularConvolution(m.k2, try Signals.circularConvolution(m.k1, m.latent))
                    let (fx, f1, f2, fz) = (
                        try spectrum(x), try spectrum(m.k1), try spectrum(m.k2), try spectrum(m.latent)
                    )
                    for u in fx.indices where try f2[u] * f1[u] * fz[u] != fx[u] { return false }
                    return true
                })
        ]
    }

    // MARK: eq17

    /// Σ over all frequencies of |k̂₂ k̂₁|², which is rational.
    static func totalJointPower(_ k1: RationalImage, _ k2: RationalImage) throws -> Rational {
        let (f1, f2) = (try spectrum(k1), try spectrum(k2))
        var sum = Cyclotomic(0, in: f1[0].field)
        for u in f1.indices { sum = try sum + (try f2[u] * f1[u]).squaredModulus }
        guard let value = sum.rationalValue else {
            throw ReferenceError.invalidArgument("Σ|k̂₂k̂₁|² is not rational: \(sum)")
        }
        return value
    }

    /// Square d×d models (d = 2, 3, 5, 7), the shape eq. (17) normalises by d².
    static var squareModel: Gen<ModelCase> {
        Gen.element(of: [2, 3, 5, 7]).flatMap { d in
            Gen.zip(
                Domain.kernel2D(rows: d, columns: d), Domain.kernel2D(rows: d, columns: d), Gen.int(in: 0...(d - 1)),
                Gen.int(in: 0...(d - 1))
            )
            .map { ModelCase(k1: $0.0, k2: $0.1, row: $0.2, column: $0.3) }
        }
    }

    /// Both sides of eq. (17): P(X) with the given averaging, and (1/d²) Σ_{i,j} |k̂₂ k̂₁|².
    static func eq17Sides(_ m: ModelCase, averaging: FrequencyAveraging) throws -> (power: Rational, formula: Rational)
    {
        let x = try Signals.circularConvolution(m.k2, try Signals.circularConvolution(m.k1, m.latent))
        return (
            Model1.averagePower(x, averaging: averaging),
            (try totalJointPower(m.k1, m.k2)).divided(byNonZero: m.k1.count)
        )
    }

    static var eq17: [ClaimReading] {
        [
            .property(
                id: "eq17", reading: "printed",
                statement:
                    "P(X) (eq. 7: the mean of |X̂|² over the non-zero frequencies) equals (1/d²) Σ_{i,j} |k̂₂(i,j) "
                    + "k̂₁(i,j)|² on a d×d grid.",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: squareModel, render: { $0.json }, classify: modelBites, nonTrivialShare: 0.3,
                sides: { m in
                    let s = try eq17Sides(m, averaging: .nonZero)
                    return [
                        ClaimReading.Side("P(X), mean of |X̂|² over the non-zero frequencies", s.power),
                        ClaimReading.Side("(1/d²) Σ_{i,j} |k̂₂ k̂₁|²", s.formula),
                    ]
                },
                check: { m in
                    let s = try eq17Sides(m, averaging: .nonZero); return s.power == s.formula
                }),
            .property(
                id: "eq17", reading: "all-frequencies",
                statement:
                    "With P(X) the mean of |X̂|² over all d² frequencies (zero included): P(X) = (1/d²) Σ_{i,j} |k̂₂ "
                    + "k̂₁|², since |Ẑ| = 1.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: squareModel, render: { $0.json }, classify: modelBites, nonTrivialShare: 0.3,
                check: { m in
                    let s = try eq17Sides(m, averaging: .all); return s.power == s.formula
                }),
        ]
    }

    // MARK: sec2.4.stretch-dft and eq14

    struct StretchCase: Sendable, JSONRenderable {
        let d: Int, g: Int, kernel: RationalImage
        var json: JSONValue { .object(["d": .int(d), "g": .int(g), "k": kernel.json]) }
    }

    /// d prime, g ∈ Z_d^*, a kernel of `length(d)` (1D) or d×d (2D when `square`).
    static func stretchCase(primes: ClosedRange<Int>, square: Bool, length: @escaping @Sendable (Int) -> Int) -> Gen<
        StretchCase
    > {
        Domain.prime(in: primes).flatMap { d in
            let n = length(d)
            return Gen.zip(
                Domain.groupElement(d),
                square ? Domain.kernel2D(rows: n, columns: n) : Domain.kernel(length: n).map { try RationalImage($0) }
            )
            .map { StretchCase(d: d, g: $0.0, kernel: $0.1) }
        }
    }

    static var stretchDFT: [ClaimReading] {
        [
            .property(
                id: "sec2.4.stretch-dft", reading: "printed",
                statement:
                    "On Z_d × Z_d (d prime): (g·k)(m,n) = k(gm, gn) has DFT (g·k̂)(u,v) = k̂(ug⁻¹, vg⁻¹) (1D and 2D).",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: Gen.bool.flatMap { square in
                    stretchCase(primes: square ? 2...13 : 2...31, square: square, length: { $0 })
                },
                render: { $0.json },
                classify: { c in [.nonTrivial(Bites.stretches(c.g, c.d) && Bites.support(c.kernel.values) >= 2)] },
                nonTrivialShare: 0.15,
                check: { c in
                    let group = try StretchGroup(c.d)
                    let stretched = try Model1.stretch(c.kernel, by: c.g, reading: .modular)
                    let (lhs, rhs) = (try spectrum(stretched), try spectrum(c.kernel))
                    let inverse = try group.inverse(c.g)
                    let n = c.kernel.columns
                    for (i, x) in lhs.enumerated() {
                        let (u, v) = (i / n, i % n)
                        let source =
                            c.kernel.rows == 1 ? (v * inverse) % c.d : ((u * inverse) % c.d) * n + (v * inverse) % c.d
                        if x != rhs[source] { return false }
                    }
                    return true
                }),
            .property(
                id: "sec2.4.stretch-dft", reading: "printed-signed",
                statement:
                    "On Model 1's signed axis {−d+1,…,d−1} (length 2d−1, App. B.5's action): the DFT of g·k is k̂ "
                    + "stretched by g⁻¹, i.e. (g·k)^(ν) = k̂(sign(ν)(g⁻¹|ν| mod d)).",
                expected: .refuted, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: stretchCase(primes: 2...7, square: false, length: { 2 * $0 - 1 }), render: { $0.json },
                sides: { c in
                    let s = try signedStretchSides(c)
                    guard let i = s.lhs.indices.first(where: { s.lhs[$0] != s.rhs[$0] }) else { return [] }
                    let nu = i <= c.d - 1 ? i : i - s.lhs.count
                    return [
                        ClaimReading.Side("(g·k)^(ν) at ν = \(nu)", s.lhs[i]),
                        ClaimReading.Side("k̂(sign(ν)(g⁻¹|ν| mod d)) at ν = \(nu)", s.rhs[i]),
                    ]
                },
                check: { c in
                    let s = try signedStretchSides(c); return s.lhs == s.rhs
                }),
        ]
    }

    /// The DFT of g·k on the signed axis, and k̂ stretched by g⁻¹ (both sides of the printed-signed reading).
    static func signedStretchSides(_ c: StretchCase) throws -> (lhs: [Cyclotomic], rhs: [Cyclotomic]) {
        let group = try StretchGroup(c.d)
        let lhs = try spectrum(try Model1.stretch(c.kernel, by: c.g, reading: .signed))
        let rhs = try group.stretchSigned(try spectrum(c.kernel), by: try group.inverse(c.g))
        return (lhs, rhs)
    }

    struct ActionCase: Sendable, JSONRenderable {
        let d: Int, g: Int
        var json: JSONValue { .object(["d": .int(d), "g": .int(g)]) }
    }

    static var actionCase: Gen<ActionCase> {
        Domain.prime(in: 2...11).flatMap { d in Domain.groupElement(d).map { ActionCase(d: d, g: $0) } }
    }

    /// The matrix M_g = F S_g F⁻¹ of the stretch in the frequency domain, column by column:
    /// column ν is the DFT of g·(F⁻¹ e_ν). Returns the images: for each ν, the frequency its column's
    /// single 1 sits at, or nil when the column is not a unit vector (M_g is then no permutation).
    static func frequencyPermutation(n: Int, stretch: ([Cyclotomic]) throws -> [Cyclotomic]) throws -> [Int?] {
        let field = try CyclotomicField(order: n)
        return try (0..<n).map { nu in
            var e = [Cyclotomic](repeating: Cyclotomic(0, in: field), count: n)
            e[nu] = Cyclotomic(1, in: field)
            let column = try ExactDFT.forward(try stretch(try ExactDFT.inverse(e)))
            let ones = column.indices.filter { column[$0] == Cyclotomic(1, in: field) }
            let zeros = column.filter(\.isZero).count
            return ones.count == 1 && zeros == n - 1 ? ones[0] : nil
        }
    }

    /// Eq. (14)'s block form on signed frequencies: 0 fixed, positives to positives by a permutation P,
    /// negatives to negatives by its mirror P_σ (−ν ↦ −P(ν)). `image[ν]` is where column ν's 1 sits
    /// (frequencies in circular order on Z_n, n = 2d−1, signed as ν ≤ d−1 positive).
    static func hasEquation14BlockForm(_ image: [Int?], d: Int) -> Bool { equation14Failure(image, d: d) == nil }

    /// Where eq. (14)'s block form fails, as the two things that disagree (nil when it holds).
    static func equation14Failure(_ image: [Int?], d: Int) -> [ClaimReading.Side]? {
        let n = image.count
        let signed: (Int) -> Int = { $0 <= d - 1 ? $0 : $0 - n }
        if let nu = image.firstIndex(where: { $0 == nil }) {
            return [
                ClaimReading.Side("column ν = \(signed(nu)) of M_g", exact: "not a unit vector"),
                ClaimReading.Side("eq. (14): a column of a permutation matrix", exact: "a unit vector"),
            ]
        }
        if image[0] != 0 {
            return [
                ClaimReading.Side("image of frequency 0", exact: String(signed(image[0]!))),
                ClaimReading.Side("eq. (14): 0 fixed", exact: "0"),
            ]
        }
        for nu in 1..<n {
            let from = signed(nu), to = signed(image[nu]!)
            if (from > 0) != (to > 0) {
                return [
                    ClaimReading.Side("frequency ν = \(from)", exact: from > 0 ? "positive" : "negative"),
                    ClaimReading.Side("its image under the stretch, \(to)", exact: to > 0 ? "positive" : "negative"),
                ]
            }
            // The negative block mirrors the positive one.
            let mirror = signed(image[Primes.mod(-from, n)]!)
            if mirror != -to {
                return [
                    ClaimReading.Side("image of −ν = \(-from)", exact: String(mirror)),
                    ClaimReading.Side("−(image of ν) (P_σ mirrors P)", exact: String(-to)),
                ]
            }
        }
        return nil
    }

    /// Where each column of the signed-axis stretch's frequency matrix has its 1.
    static func signedFrequencyImage(_ c: ActionCase) throws -> [Int?] {
        let group = try StretchGroup(c.d)
        return try frequencyPermutation(n: 2 * c.d - 1) { try group.stretchSigned($0, by: c.g) }
    }

    static var eq14: [ClaimReading] {
        [
            .property(
                id: "eq14", reading: "printed",
                statement:
                    "On Model 1's signed axis (length 2d−1, App. B.5's action), the stretch acts on k̂ as the block "
                    + "matrix diag(P_σ^g, 1, P^g) over (negative, zero, positive) frequencies, P a permutation "
                    + "matrix.",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 10,
                exhaustiveBound: "prime d ≤ 11, every g ∈ Z_d^*", gen: actionCase, render: { $0.json },
                classify: { [.nonTrivial(Bites.stretches($0.g, $0.d))] }, nonTrivialShare: 0.5,
                sides: { c in equation14Failure(try signedFrequencyImage(c), d: c.d) ?? [] },
                check: { c in hasEquation14BlockForm(try signedFrequencyImage(c), d: c.d) }),
            .property(
                id: "eq14", reading: "zd",
                statement:
                    "On Z_d (kernels of length d, (g·k)[m] = k[gm]), the stretch acts on k̂ as diag(1, P^g): 0 fixed, "
                    + "the d−1 non-zero frequencies permuted by u ↦ g⁻¹u.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 10,
                exhaustiveBound: "prime d ≤ 11, every g ∈ Z_d^*", gen: actionCase, render: { $0.json },
                classify: { [.nonTrivial(Bites.stretches($0.g, $0.d))] }, nonTrivialShare: 0.5,
                check: { c in
                    let group = try StretchGroup(c.d)
                    let image = try frequencyPermutation(n: c.d) { try group.stretch($0, by: c.g) }
                    let inverse = try group.inverse(c.g)
                    // Column ν holds its 1 at the frequency u with g⁻¹u = ν, i.e. u = gν.
                    return image.enumerated().allSatisfy { nu, u in u == (nu * c.g) % c.d } && inverse * c.g % c.d == 1
                }),
        ]
    }

    // MARK: eq22

    struct ChannelCase: Sendable, JSONRenderable {
        let k1: [RationalImage], k2: [RationalImage], bias: Rational, row: Int, column: Int
        var json: JSONValue {
            .object([
                "k1": k1.json, "k2": k2.json, "bias": bias.json, "latentPixel": .array([.int(row), .int(column)]),
            ])
        }
    }

    static var channelCase: Gen<ChannelCase> {
        Gen.zip(Gen.int(in: 1...3), Gen.int(in: 1...7), Gen.int(in: 1...7)).flatMap { channels, r, c in
            Gen.zip(
                Gen.array(of: Domain.kernel2D(rows: r, columns: c), count: channels...channels),
                Gen.array(of: Domain.kernel2D(rows: r, columns: c), count: channels...channels),
                Domain.rational(), Gen.int(in: 0...(r - 1))
            )
            .flatMap { k1, k2, bias, row in
                Gen.int(in: 0...(c - 1)).map { ChannelCase(k1: k1, k2: k2, bias: bias, row: row, column: $0) }
            }
        }
    }

    static var eq22: [ClaimReading] {
        [
            .property(
                id: "eq22", reading: "printed",
                statement:
                    "X = Σ_i k₂ⁱ ⊛ V_i + b with V_i = k₁ⁱ ⊛ Z: each partial map k₂ⁱ ⊛ V_i is a Model 1 realisation "
                    + "(X̂_i = k̂₂ⁱ k̂₁ⁱ Ẑ), they add up to X − b, and b touches only the zero frequency.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: channelCase, render: { $0.json },
                check: { m in
                    let (r, c) = (m.k1[0].rows, m.k1[0].columns)
                    var z = [Rational](repeating: .zero, count: r * c); z[m.row * c + m.column] = .one
                    let latent = try RationalImage(rows: r, columns: c, values: z)
                    var total = [Rational](repeating: m.bias, count: r * c)
                    let fz = try spectrum(latent)
                    var partialSum: [Cyclotomic]? = nil
                    for (a, b) in zip(m.k1, m.k2) {
                        let partial = try Signals.circularConvolution(b, try Signals.circularConvolution(a, latent))
                        for i in total.indices { total[i] += partial.values[i] }
                        let (fp, f1, f2) = (try spectrum(partial), try spectrum(a), try spectrum(b))
                        for u in fp.indices where try f2[u] * f1[u] * fz[u] != fp[u] { return false }
                        partialSum = try partialSum.map { s in try zip(s, fp).map { try $0 + $1 } } ?? fp
                    }
                    let fx = try spectrum(try RationalImage(rows: r, columns: c, values: total))
                    // Away from frequency 0 the bias is invisible: X̂ = Σ_i X̂_i.
                    return fx.indices.dropFirst().allSatisfy { fx[$0] == partialSum![$0] }
                })
        ]
    }

    // MARK: eq22 under Model 1's own definition

    /// A finite law of one channel's activation map V: drawn as Model 1's k₁ ⊛ Z (k₁ invertible, Z one-hot with law
    /// π) or as any 1 to 3 images with any probabilities (what a trained layer's activations are).
    struct ActivationLawCase: Sendable, JSONRenderable {
        let k2: RationalImage, law: [(image: RationalImage, probability: Rational)], drawnAsModel1: Bool
        var json: JSONValue {
            .object([
                "k2": k2.json, "V": .array(law.map { .object(["p": $0.probability.json, "v": $0.image.json]) }),
            ])
        }
    }

    static var activationLawCase: Gen<ActivationLawCase> {
        Gen.zip(Gen.int(in: 1...3), Gen.int(in: 2...5), Gen.bool).flatMap { r, c, asModel1 in
            let image = Domain.kernel2D(rows: r, columns: c)
            if asModel1 {
                return Gen.zip(
                    Domain.invertibleKernel(rows: r, columns: c), Domain.probability(rows: r, columns: c), image
                )
                .map { k1, pi, k2 in
                    var law: [(image: RationalImage, probability: Rational)] = []
                    for t in 0..<r {
                        for u in 0..<c where !pi[t, u].isZero {
                            law.append((try Signals.shifted(k1, rows: t, columns: u), pi[t, u]))
                        }
                    }
                    return ActivationLawCase(k2: k2, law: law, drawnAsModel1: true)
                }
            }
            return Gen.zip(Gen.array(of: image, count: 1...3), image).map { images, k2 in
                let weight = try Rational(1, images.count)
                return ActivationLawCase(k2: k2, law: images.map { ($0, weight) }, drawnAsModel1: false)
            }
        }
    }

    /// The Model 1 whose output law is that of k₂ ⊛ V, if one exists: V = k₁ ⊛ Z with Z one-hot means every support
    /// image of V is a shift of one image k₁ (shift t with probability π_t), and Model 1 needs k₁ invertible.
    static func model1Witness(_ c: ActivationLawCase) throws -> Model1? {
        let k1 = c.law[0].image
        guard try Signals.isInvertible(k1) else { return nil }
        var pi = [Rational](repeating: .zero, count: k1.count)
        for (v, p) in c.law {
            guard let t = try shift(taking: k1, to: v) else { return nil }
            pi[t] += p
        }
        return try Model1(k1: k1, k2: c.k2, latent: try RationalImage(rows: k1.rows, columns: k1.columns, values: pi))
    }

    /// The first shift t (row-major) with shift_t(k) = v, if any.
    static func shift(taking k: RationalImage, to v: RationalImage) throws -> Int? {
        try (0..<k.count).first { try Signals.shifted(k, rows: $0 / k.columns, columns: $0 % k.columns) == v }
    }

    static let activationLawBites: @Sendable (ActivationLawCase) -> [CoverageLabel] = { c in
        [.nonTrivial(c.k2.count >= 4 && c.law.count >= 2), .event(c.drawnAsModel1 ? "model1" : "any")]
    }

    /// The law of k₂ ⊛ V.
    static func partialMapLaw(_ c: ActivationLawCase) throws -> FiniteDistribution<RationalImage> {
        FiniteDistribution(try c.law.map { (try Signals.circularConvolution(c.k2, $0.image), $0.probability) })
    }

    static var eq22Definition: [ClaimReading] {
        [
            .property(
                id: "eq22", reading: "model1-definition",
                statement:
                    "Each partial map k₂ⁱ ⊛ V_i of a layer is an instance of Model 1 by Model 1's own definition "
                    + "(eq. 3): for whatever law the activation map V_i has, there are an invertible kernel k₁ of "
                    + "V_i's "
                    + "size and a one-hot Z with V_i = k₁ ⊛ Z in law.",
                expected: .refuted, cases: 200, gen: activationLawCase, render: { $0.json },
                classify: activationLawBites,
                sides: { c in
                    let first = c.law[0].image
                    let shifts = try c.law.allSatisfy { try shift(taking: first, to: $0.image) != nil }
                    return [
                        ClaimReading.Side("some invertible k₁ and one-hot Z give V = k₁ ⊛ Z in law", false),
                        ClaimReading.Side("a support image of V is invertible", try Signals.isInvertible(first)),
                        ClaimReading.Side("the support of V is one shift orbit", shifts),
                    ]
                },
                check: { try model1Witness($0) != nil }),
            .property(
                id: "eq22", reading: "shift-orbit",
                statement:
                    "Corrected: k₂ ⊛ V is an instance of Model 1 exactly when V's law sits on the shifts of one "
                    + "invertible image; then the witness (k₁, π) is computed from the law — k₁ a support image, π the "
                    + "law of its shift — and Model 1 with (k₁, k₂, π) has exactly the law of k₂ ⊛ V. Every V drawn as "
                    + "k₁ ⊛ Z is recognised.",
                expected: .holds, cases: 200, gen: activationLawCase, render: { $0.json },
                classify: activationLawBites,
                nonTrivialShare: 0.3,
                check: { c in
                    guard let witness = try model1Witness(c) else { return !c.drawnAsModel1 }
                    return try witness.outputDistribution == partialMapLaw(c)
                }),
        ]
    }

    // MARK: b10.upsample

    struct UpsampleCase: Sendable, JSONRenderable {
        let x: RationalImage, s: Int
        var json: JSONValue { .object(["x": x.json, "s": .int(s)]) }
    }

    static var upsampleCase: Gen<UpsampleCase> {
        Gen.zip(Gen.int(in: 1...7), Gen.int(in: 1...7), Gen.int(in: 1...3)).flatMap { r, c, s in
            Domain.kernel2D(rows: r, columns: c).map { UpsampleCase(x: $0, s: s) }
        }
    }

    /// Compares the DFT of x↑s (on the sr×sc grid) with x̂ at the index `source(u, v)` of x's grid.
    static func upsampledSpectrumMatches(_ c: UpsampleCase, source: (Int, Int) -> (Int, Int)) throws -> Bool {
        try upsampledSpectrumMismatch(c, source: source) == nil
    }

    /// The first (u, v) where the two spectra differ, with (a, b) = source(u, v) and both values.
    static func upsampledSpectrumMismatch(_ c: UpsampleCase, source: (Int, Int) -> (Int, Int)) throws
        -> (u: Int, v: Int, a: Int, b: Int, upsampled: Cyclotomic, original: Cyclotomic)?
    {
        let up = try Signals.upsampled(c.x, by: c.s)
        let field = try CyclotomicField(order: Primes.lcm(up.rows, up.columns))
        let fUp = try ExactDFT.forward2D(up, in: field), fx = try ExactDFT.forward2D(c.x, in: field)
        for u in 0..<up.rows {
            for v in 0..<up.columns {
                let (a, b) = source(u, v)
                if fUp[u, v] != fx[a, b] { return (u, v, a, b, fUp[u, v], fx[a, b]) }
            }
        }
        return nil
    }

    static func printedUpsampleSource(_ c: UpsampleCase) -> (Int, Int) -> (Int, Int) {
        { u, v in ((c.s * u) % c.x.rows, (c.s * v) % c.x.columns) }
    }

    static var upsample: [ClaimReading] {
        [
            .property(
                id: "b10.upsample", reading: "printed",
                statement:
                    "With integer frequency indices: the DFT of x↑s at (u,v) is x̂(su, sv) (indices mod the size of "
                    + "x).",
                expected: .refuted, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: upsampleCase, render: { $0.json },
                classify: { c in [.nonTrivial(c.s >= 2 && Bites.support(c.x.values) >= 2)] }, nonTrivialShare: 0.3,
                sides: { c in
                    guard let m = try upsampledSpectrumMismatch(c, source: printedUpsampleSource(c)) else { return [] }
                    return [
                        ClaimReading.Side("DFT of x↑s at (u,v) = (\(m.u), \(m.v))", m.upsampled),
                        ClaimReading.Side("x̂(su, sv) = x̂(\(m.a), \(m.b))", m.original),
                    ]
                },
                check: { c in try upsampledSpectrumMatches(c, source: printedUpsampleSource(c)) }),
            .property(
                id: "b10.upsample", reading: "normalised-frequency",
                statement:
                    "With normalised (1-periodic) frequencies: the DFT of x↑s at ν is x̂(sν); on the grids, "
                    + "(x↑s)^[u,v] = x̂[u mod n, v mod m] — the spectrum of x repeated s times.",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: upsampleCase, render: { $0.json },
                classify: { c in [.nonTrivial(c.s >= 2 && Bites.support(c.x.values) >= 2)] }, nonTrivialShare: 0.2,
                check: { c in try upsampledSpectrumMatches(c) { u, v in (u % c.x.rows, v % c.x.columns) } }),
        ]
    }
}
