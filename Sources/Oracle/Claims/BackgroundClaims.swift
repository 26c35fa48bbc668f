import Reference

/// The background claims of App. B (group, convolution, DFT, the signed-index action).
enum BackgroundClaims: ClaimSection {
    static let title = "Background (App. B)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] { group + convolution + dftInverse + parseval + convolutionTheorem + action }

    // MARK: b2.group — App. B.5, fn. 13

    /// Decides the group axioms by brute force on Z_d^* (all triples for small d, a fixed sample otherwise).
    static func isCommutativeCyclicGroup(_ d: Int) throws -> Bool {
        let group = try StretchGroup(d)
        let elements = group.elements
        let sample =
            d <= 23 ? elements : Array(Set([1, 2, 3, d / 2, d - 2, d - 1].filter { $0 >= 1 && $0 < d })).sorted()
        for g in sample {
            guard try group.product(1, g) == g, try group.product(g, group.inverse(g)) == 1 else { return false }
            for h in sample {
                let gh = try group.product(g, h)
                guard group.contains(gh), gh == (try group.product(h, g)) else { return false }
                for k in sample where try group.product(gh, k) != (try group.product(g, group.product(h, k))) {
                    return false
                }
            }
        }
        // Cyclic: some element's powers run through every element (checked directly, not through orders).
        for g in elements {
            var seen = Set<Int>(), x = 1
            for _ in 0..<group.order { x = x * g % d; seen.insert(x) }
            if seen.count == group.order { return true }
        }
        return false
    }

    static var group: [ClaimReading] {
        [
            .property(
                id: "b2.group", reading: "printed",
                statement: "For prime d, Z_d^* = {1,…,d−1} under multiplication mod d is a commutative cyclic group.",
                expected: .holds, cases: 200, exhaustiveBudget: 100, exhaustiveValueCap: 63,
                exhaustiveBound: "prime d ≤ 293",
                gen: Domain.prime(in: 2...300), render: { .object(["d": .int($0)]) },
                classify: { [.nonTrivial($0 >= 5)] }, nonTrivialShare: 0.8,
                check: { try isCommutativeCyclicGroup($0) })
        ]
    }

    // MARK: b3.conv — App. B.3

    /// The printed 1D formula Σ_{k=1}^{d} a[k] b[n−k], indices periodic.
    static func printedConvolution1D(_ a: [Rational], _ b: [Rational]) -> [Rational] {
        let d = a.count
        return (0..<d).map { n in
            var sum = Rational.zero
            for k in 1...d { sum += a[k % d] * b[Primes.mod(n - k, d)] }
            return sum
        }
    }

    /// The printed 2D formula Σ_{k=1}^{d} a[k, j] b[n−k, m−j]: only k is summed; j is free (held at `j`).
    static func printedConvolution2D(_ a: RationalImage, _ b: RationalImage, freeIndex j: Int) throws -> RationalImage {
        var values: [Rational] = []
        for n in 0..<a.rows {
            for m in 0..<a.columns {
                var sum = Rational.zero
                for k in 1...a.rows { sum += a[k, j] * b[n - k, m - j] }
                values.append(sum)
            }
        }
        return try RationalImage(rows: a.rows, columns: a.columns, values: values)
    }

    /// Whether a candidate convolution c of a and b satisfies the convolution theorem ĉ = â·b̂.
    static func satisfiesConvolutionTheorem(_ a: RationalImage, _ b: RationalImage, _ c: RationalImage) throws -> Bool {
        try convolutionTheoremMismatch(a, b, c) == nil
    }

    /// The first frequency (row-major) where ĉ ≠ â·b̂, with both values.
    static func convolutionTheoremMismatch(_ a: RationalImage, _ b: RationalImage, _ c: RationalImage) throws
        -> (index: Int, transform: Cyclotomic, product: Cyclotomic)?
    {
        let (fa, fb, fc) = (try ExactDFT.forward2D(a), try ExactDFT.forward2D(b), try ExactDFT.forward2D(c))
        for i in 0..<fa.values.count {
            let product = try fa.values[i] * fb.values[i]
            if product != fc.values[i] { return (i, fc.values[i], product) }
        }
        return nil
    }

    /// The printed convolution of a case (1D or 2D formula).
    static func printedConvolution(_ p: ImagePair) throws -> RationalImage {
        p.a.rows == 1
            ? try RationalImage(printedConvolution1D(p.a.values, p.b.values))
            : try printedConvolution2D(p.a, p.b, freeIndex: p.freeIndex)
    }

    struct ImagePair: Sendable, JSONRenderable {
        let a: RationalImage, b: RationalImage, freeIndex: Int
        var json: JSONValue {
            .object(["shape": .string("\(a.rows)x\(a.columns)"), "a": a.json, "b": b.json, "j": .int(freeIndex)])
        }
    }

    /// Two images of one shape (1D when rows = 1) and a free index j for the printed 2D formula.
    static func imagePair(rows: ClosedRange<Int>, columns: ClosedRange<Int>) -> Gen<ImagePair> {
        Gen.zip(Gen.int(in: rows), Gen.int(in: columns)).flatMap { r, c in
            Gen.zip(
                Domain.kernel2D(rows: r, columns: c), Domain.kernel2D(rows: r, columns: c), Gen.int(in: 0...(c - 1))
            )
            .map { ImagePair(a: $0.0, b: $0.1, freeIndex: $0.2) }
        }
    }

    /// A convolution identity bites when both images have length ≥ 3 and two or more non-zero entries.
    static let imagePairBites: @Sendable (ImagePair) -> [CoverageLabel] = { p in
        [.nonTrivial(p.a.count >= 3 && Bites.support(p.a.values) >= 2 && Bites.support(p.b.values) >= 2)]
    }

    /// A DFT identity bites on signals of length ≥ 3 with two or more non-zero entries.
    static let signalBites: @Sendable ([Rational]) -> [CoverageLabel] = { a in
        [.nonTrivial(a.count >= 3 && Bites.support(a) >= 2)]
    }

    static var convolution: [ClaimReading] {
        [
            .property(
                id: "b3.conv", reading: "printed",
                statement:
                    "Both printed formulas define circular convolution (the DFT turns them into products); in 2D the "
                    + "printed sum runs over k only, j left free.",
                expected: .refuted, exhaustiveBudget: 300, exhaustiveValueCap: 2,
                gen: imagePair(rows: 1...3, columns: 1...3), render: { $0.json }, classify: imagePairBites,
                nonTrivialShare: 0.25,
                sides: { p in
                    let c = try printedConvolution(p)
                    guard let m = try convolutionTheoremMismatch(p.a, p.b, c) else { return [] }
                    let at = "(\(m.index / p.a.columns), \(m.index % p.a.columns))"
                    return [
                        ClaimReading.Side("DFT of the printed a⊛b at \(at)", m.transform),
                        ClaimReading.Side("â·b̂ at \(at)", m.product),
                        ClaimReading.Side("printed a⊛b", c.values),
                    ]
                },
                check: { p in try satisfiesConvolutionTheorem(p.a, p.b, try printedConvolution(p)) }),
            .property(
                id: "b3.conv", reading: "printed-1d",
                statement:
                    "The printed 1D formula Σ_{k=1}^{d} a[k] b[n−k] is circular convolution: equal to Σ_{k∈Z_d} and "
                    + "turned into â·b̂ by the DFT.",
                expected: .holds, exhaustiveBudget: 300, exhaustiveValueCap: 2,
                gen: imagePair(rows: 1...1, columns: 1...9), render: { $0.json }, classify: imagePairBites,
                nonTrivialShare: 0.2,
                check: { p in
                    let printed = printedConvolution1D(p.a.values, p.b.values)
                    return try printed == Signals.circularConvolution(p.a.values, p.b.values)
                        && satisfiesConvolutionTheorem(p.a, p.b, try RationalImage(printed))
                }),
            .property(
                id: "b3.conv", reading: "double-sum",
                statement:
                    "Corrected 2D formula a⊛b[n,m] = Σ_{k,j} a[k,j] b[n−k, m−j] (sum over both indices) is circular "
                    + "convolution.",
                expected: .holds, exhaustiveBudget: 300, exhaustiveValueCap: 2,
                gen: imagePair(rows: 1...7, columns: 1...7), render: { $0.json }, classify: imagePairBites,
                nonTrivialShare: 0.2,
                check: { p in try satisfiesConvolutionTheorem(p.a, p.b, try Signals.circularConvolution(p.a, p.b)) }),
        ]
    }

    // MARK: b4.dft-inverse, b4.parseval, b4.conv-theorem — App. B.4

    /// A rational signal of length 1…12.
    static var signal: Gen<[Rational]> {
        Gen.int(in: 1...12).flatMap { n in Domain.kernel(length: n) }
    }

    /// Σ_n â[n] ζ^{nk} (the printed inverse, without 1/d), computed directly.
    static func unnormalisedInverse(_ spectrum: [Cyclotomic]) throws -> [Cyclotomic] {
        let d = spectrum.count
        return try (0..<d).map { k in
            var sum = Cyclotomic(0, in: spectrum[0].field)
            for n in 0..<d { sum = try sum + spectrum[n].multipliedByZetaPower(n * k) }
            return sum
        }
    }

    static var dftInverse: [ClaimReading] {
        [
            .property(
                id: "b4.dft-inverse", reading: "printed",
                statement: "a[k] = Σ_n â[n] e^{i2πnk/d} with â[n] = Σ_k a[k] e^{−i2πnk/d} (no 1/d).",
                expected: .refuted, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: signal, render: { .object(["a": $0.json]) }, classify: signalBites, nonTrivialShare: 0.4,
                sides: { a in
                    let back = try unnormalisedInverse(try ExactDFT.forward(a))
                    guard let k = a.indices.first(where: { back[$0].rationalValue != a[$0] }) else { return [] }
                    return [
                        ClaimReading.Side("a[\(k)]", a[k]), ClaimReading.Side("Σ_n â[n] e^{i2πn·\(k)/d}", back[k]),
                        ClaimReading.Side("a", a),
                        ClaimReading.Side(
                            "Σ_n â[n] e^{i2πnk/d}, k = 0…d−1",
                            exact: "[" + back.map(\.description).joined(separator: ", ") + "]"),
                    ]
                },
                check: { a in
                    let back = try unnormalisedInverse(try ExactDFT.forward(a))
                    return back.map(\.rationalValue) == a.map { Optional($0) }
                }),
            .property(
                id: "b4.dft-inverse", reading: "normalised",
                statement: "a[k] = (1/d) Σ_n â[n] e^{i2πnk/d}.",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: signal, render: { .object(["a": $0.json]) }, classify: signalBites, nonTrivialShare: 0.4,
                check: { a in
                    let back = try unnormalisedInverse(try ExactDFT.forward(a)).map {
                        $0.scaled(by: Rational.one.divided(byNonZero: a.count))
                    }
                    return back.map(\.rationalValue) == a.map { Optional($0) }
                }),
        ]
    }

    /// Σ_k |â[k]|², which is rational.
    static func spectralEnergy(_ a: [Rational]) throws -> Rational {
        let spectrum = try ExactDFT.forward(a)
        var sum = Cyclotomic(0, in: spectrum[0].field)
        for x in spectrum { sum = try sum + x.squaredModulus }
        guard let value = sum.rationalValue else {
            throw ReferenceError.invalidArgument("Σ|â|² is not rational: \(sum)")
        }
        return value
    }

    static var parseval: [ClaimReading] {
        [
            .property(
                id: "b4.parseval", reading: "printed",
                statement: "‖a‖²₂ = (1/d) Σ_k |a[k]|² d, read literally (no hats): Σ|a[k]|².",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: signal, render: { .object(["a": $0.json]) }, classify: signalBites, nonTrivialShare: 0.4,
                check: { a in
                    let d = Rational(a.count)
                    return try Signals.energy(a)
                        == (a.reduce(Rational.zero) { $0 + $1.squared }.divided(byNonZero: a.count) * d)
                }),
            .property(
                id: "b4.parseval", reading: "printed-hat",
                statement: "With the hat the extraction lost: ‖a‖²₂ = (1/d) Σ_k |â[k]|² · d.",
                expected: .refuted, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: signal, render: { .object(["a": $0.json]) }, classify: signalBites, nonTrivialShare: 0.4,
                sides: { a in
                    let (energy, spectral): (Rational, Rational) = (try Signals.energy(a), try spectralEnergy(a))
                    return [ClaimReading.Side("‖a‖²₂", energy), ClaimReading.Side("(1/d) Σ_k |â[k]|² · d", spectral)]
                },
                check: { a in try Signals.energy(a) == spectralEnergy(a) }),
            .property(
                id: "b4.parseval", reading: "fourier",
                statement: "‖a‖²₂ = (1/d) Σ_k |â[k]|².",
                expected: .holds, exhaustiveBudget: 200, exhaustiveValueCap: 2,
                gen: signal, render: { .object(["a": $0.json]) }, classify: signalBites, nonTrivialShare: 0.4,
                check: { a in try Signals.energy(a) == spectralEnergy(a).divided(byNonZero: a.count) }),
        ]
    }

    static var convolutionTheorem: [ClaimReading] {
        [
            .property(
                id: "b4.conv-theorem", reading: "printed",
                statement: "The DFT of a⊛b is the entrywise product â·b̂ (1D and 2D).",
                expected: .holds, exhaustiveBudget: 300, exhaustiveValueCap: 2,
                gen: imagePair(rows: 1...7, columns: 1...7), render: { $0.json }, classify: imagePairBites,
                nonTrivialShare: 0.25,
                check: { p in try satisfiesConvolutionTheorem(p.a, p.b, try Signals.circularConvolution(p.a, p.b)) })
        ]
    }

    // MARK: b5.action — App. B.5

    struct ActionCase: Sendable, JSONRenderable {
        let d: Int, g: Int
        var json: JSONValue { .object(["d": .int(d), "g": .int(g)]) }
    }

    static var actionCase: Gen<ActionCase> {
        Domain.prime(in: 2...61).flatMap { d in Domain.groupElement(d).map { ActionCase(d: d, g: $0) } }
    }

    /// The three printed properties of an index map on {−d+1,…,d−1}: a permutation mapping positives
    /// to positives and negatives to negatives (so 0 is fixed), undone by the map of g^{−1}.
    static func actionHolds(_ c: ActionCase, image: (Int, Int) throws -> Int, inverseOf: (Int) throws -> Int) throws
        -> Bool
    {
        try actionFailure(c, image: image, inverseOf: inverseOf) == nil
    }

    /// The first of the three printed properties that fails, as the two things that disagree.
    static func actionFailure(_ c: ActionCase, image: (Int, Int) throws -> Int, inverseOf: (Int) throws -> Int) throws
        -> [ClaimReading.Side]?
    {
        let domain = Array(-(c.d - 1)...(c.d - 1))
        let images = try domain.map { try image($0, c.g) }
        let list: ([Int]) -> String = { "{" + $0.map(String.init).joined(separator: ", ") + "}" }
        guard Set(images) == Set(domain) else {  // a permutation of the tuple
            return [
                ClaimReading.Side("{−d+1,…,d−1}", exact: list(domain)),
                ClaimReading.Side("{g·i : i ∈ {−d+1,…,d−1}}", exact: list(images.sorted())),
            ]
        }
        let sign: (Int) -> String = { $0 > 0 ? "positive" : ($0 < 0 ? "negative" : "zero") }
        for (i, x) in zip(domain, images) where (i > 0) != (x > 0) || (i < 0) != (x < 0) {  // signs kept, 0 fixed
            return [
                ClaimReading.Side("sign of i = \(i)", exact: sign(i)),
                ClaimReading.Side("sign of g·i = \(x)", exact: sign(x)),
            ]
        }
        let back = try inverseOf(c.g)
        for (i, x) in zip(domain, images) where try image(x, back) != i {  // undone by g^{−1}
            return [
                ClaimReading.Side("i", exact: String(i)),
                ClaimReading.Side("g⁻¹·(g·i), g⁻¹ = \(back)", exact: String(try image(x, back))),
            ]
        }
        return nil
    }

    /// Multiplication on Z_{2d−1}, indices shown signed (the printed-mod-2d-1 reading).
    static func modTwoDMinusOne(_ c: ActionCase) -> (Int, Int) -> Int {
        let n = 2 * c.d - 1
        return { i, g in
            let r = Primes.mod(i * g, n); return r <= c.d - 1 ? r : r - n
        }
    }

    static var action: [ClaimReading] {
        [
            .property(
                id: "b5.action", reading: "printed",
                statement:
                    "g ∈ Z_d^* maps i ↦ sign(i)(g|i| mod d) on {−d+1,…,d−1}: permutes positives and negatives, fixes "
                    + "0, undone by g^{−1}.",
                expected: .holds, exhaustiveBudget: 400, exhaustiveValueCap: 20,
                gen: actionCase, render: { $0.json }, classify: { [.nonTrivial(Bites.stretches($0.g, $0.d))] },
                nonTrivialShare: 0.4,
                check: { c in
                    let group = try StretchGroup(c.d)
                    return try actionHolds(
                        c, image: { try group.stretchSignedIndex($0, by: $1) }, inverseOf: { try group.inverse($0) })
                }),
            .property(
                id: "b5.action", reading: "printed-integer",
                statement:
                    "The tuple {−g(d−1),…,−g,0,g,…,g(d−1)} read with integer products (no reduction) is a permutation "
                    + "of {−d+1,…,d−1}, undone by g^{−1}.",
                expected: .refuted, exhaustiveBudget: 400, exhaustiveValueCap: 20,
                gen: actionCase, render: { $0.json }, classify: { [.nonTrivial(Bites.stretches($0.g, $0.d))] },
                nonTrivialShare: 0.4,
                sides: { c in
                    let group = try StretchGroup(c.d)
                    return try actionFailure(c, image: { i, g in i * g }, inverseOf: { try group.inverse($0) }) ?? []
                },
                check: { c in
                    let group = try StretchGroup(c.d)
                    return try actionHolds(c, image: { i, g in i * g }, inverseOf: { try group.inverse($0) })
                }),
            .property(
                id: "b5.action", reading: "printed-mod-2d-1",
                statement:
                    "Multiplication by g on the kernel's circular index set Z_{2d−1} (indices taken mod 2d−1, shown "
                    + "signed) permutes positives and negatives, fixes 0, undone by g^{−1} mod d.",
                expected: .refuted, exhaustiveBudget: 400, exhaustiveValueCap: 20,
                gen: actionCase, render: { $0.json }, classify: { [.nonTrivial(Bites.stretches($0.g, $0.d))] },
                nonTrivialShare: 0.4,
                sides: { c in
                    let group = try StretchGroup(c.d)
                    return try actionFailure(c, image: modTwoDMinusOne(c), inverseOf: { try group.inverse($0) }) ?? []
                },
                check: { c in
                    let group = try StretchGroup(c.d)
                    return try actionHolds(c, image: modTwoDMinusOne(c), inverseOf: { try group.inverse($0) })
                }),
            .property(
                id: "b5.action", reading: "kernel-action",
                statement:
                    "The correct half of the signed-axis readings: on kernels of length 2d−1 in circular storage "
                    + "(StretchGroup.stretchSigned), (g·k)(i) = k(sign(i)(g|i| mod d)) is a group action — 1·k = k, "
                    + "g·(h·k) = (gh)·k — that permutes the entries and fixes index 0.",
                expected: .holds, exhaustiveBudget: 400, exhaustiveValueCap: 20,
                gen: actionCase.flatMap { c in Domain.groupElement(c.d).map { (c, $0) } }
                    .map { KernelActionCase(d: $0.0.d, g: $0.0.g, h: $0.1) },
                render: { $0.json },
                classify: { [.nonTrivial(Bites.stretches($0.g, $0.d) && Bites.stretches($0.h, $0.d))] },
                nonTrivialShare: 0.4, check: kernelActionHolds),
        ]
    }

    struct KernelActionCase: Sendable, JSONRenderable {
        let d: Int, g: Int, h: Int
        var json: JSONValue { .object(["d": .int(d), "g": .int(g), "h": .int(h)]) }
    }

    /// The group-action laws of `stretchSigned` on the kernel k(j) = j (j ∈ 0..<2d−1, all entries distinct).
    static func kernelActionHolds(_ c: KernelActionCase) throws -> Bool {
        let group = try StretchGroup(c.d)
        let k = Array(0..<(2 * c.d - 1))
        let hk = try group.stretchSigned(k, by: c.h)
        return try group.stretchSigned(k, by: 1) == k
            && group.stretchSigned(hk, by: c.g) == group.stretchSigned(k, by: try group.product(c.g, c.h))
            && hk.sorted() == k && hk[0] == 0
    }
}
