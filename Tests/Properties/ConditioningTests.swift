import Foundation
import Oracle
import Reference
import Testing

/// `Conditioning`: the Double gradient of ρ against exact central differences of the Reference's ρ (rational
/// step h, so (ρ(x + h·e_j) − ρ(x − h·e_j)) / 2h is exact and differs from ∂ρ/∂x_j by O(h²)), on small cases
/// of every task; and the condition number's invariances.
@Suite struct ConditioningTests {
    static func image(_ rows: Int, _ columns: Int, _ values: [Int]) -> RationalImage {
        try! RationalImage(rows: rows, columns: columns, values: values.map { Rational($0) })
    }

    static func image(_ rows: Int, _ columns: Int, _ values: [Rational]) -> RationalImage {
        try! RationalImage(rows: rows, columns: columns, values: values)
    }

    /// The case with entry `j` of array `a` (0: filter/k₁/kernel, then k₂/samples/maps in order) moved by `delta`.
    static func perturbed(_ input: EstimatorCase, array a: Int, entry j: Int, by delta: Rational) -> EstimatorCase {
        func moved(_ image: RationalImage) -> RationalImage {
            var values = image.values
            values[j] += delta
            return Self.image(image.rows, image.columns, values)
        }
        func at(_ images: [RationalImage], _ k: Int) -> [RationalImage] {
            images.enumerated().map { $0.offset == k ? moved($0.element) : $0.element }
        }
        switch input {
        case let .sdr1d(k1, k2): return a == 0 ? .sdr1d(k1: moved(k1), k2: k2) : .sdr1d(k1: k1, k2: moved(k2))
        case let .sdr2d(k1, k2): return a == 0 ? .sdr2d(k1: moved(k1), k2: k2) : .sdr2d(k1: k1, k2: moved(k2))
        case let .batch(kernel, samples):
            return a == 0
                ? .batch(kernel: moved(kernel), samples: samples) : .batch(kernel: kernel, samples: at(samples, a - 1))
        case let .strided(filter, samples, s):
            return a == 0
                ? .strided(filter: moved(filter), samples: samples, stride: s)
                : .strided(filter: filter, samples: at(samples, a - 1), stride: s)
        case .layer, .icScores, .cageScores: fatalError("layer entries are checked through their strided pairs")
        }
    }

    /// The arrays of a case and the gradient's arrays, in the same order.
    static func arrays(_ input: EstimatorCase, _ g: Conditioning.Gradient) -> [(RationalImage, [Double])] {
        switch input {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2): return [(k1, g.filter), (k2, g.samples[0])]
        case let .batch(kernel, samples): return [(kernel, g.filter)] + zip(samples, g.samples).map { ($0, $1) }
        case let .strided(filter, samples, _): return [(filter, g.filter)] + zip(samples, g.samples).map { ($0, $1) }
        case .layer, .icScores, .cageScores: return []
        }
    }

    /// Every entry's ∂ρ/∂x_j against the exact central difference, and κ = Σ|x_j||∂ρ/∂x_j| / |ρ| from those
    /// differences. Scale-invariant: array a's step is h_a = 2⁻²⁴·S_a, S_a the power of two at or below its spread
    /// (max − min; its largest magnitude when constant), so the differences are exact rationals whose truncation
    /// error is O((h_a/S_a)²) = O(2⁻⁴⁸) relative to S_a·|∂ρ/∂x| whatever the array's scale or offset. The Double
    /// gradient errs by a few u·N relative to the largest S_a·|∂ρ/∂x_j| (or |ρ|, where the gradient vanishes, as on
    /// a flat spectrum): so each S_a·|analytic − exact| is held to 1e-8 of that, and κ to 1e-7·κ + N·1e-12.
    static func checkGradient(_ input: EstimatorCase, convention: SDRConvention = .paper) throws {
        let g = try #require(
            Conditioning.gradients(input, convention: convention).first ?? nil, "\(input.json.serialized())")
        let rho = try input.exactValues(convention)[0]
        #expect(abs(g.rho - rho.doubleValue) <= 1e-12 * abs(rho.doubleValue), "\(input.json.serialized())")
        var sensitivity = 0.0, largest = abs(rho.doubleValue)
        var pairs: [(scale: Double, analytic: Double, exact: Double)] = []
        for (a, (image, gradient)) in arrays(input, g).enumerated() {
            #expect(gradient.count == image.values.count)
            let spread = (image.values.max() ?? .zero) - (image.values.min() ?? .zero)
            let size = spread.isZero ? (image.values.map(\.magnitude).max() ?? .zero) : spread
            let scale = size.isZero ? 0 : Int(size.doubleValue.exponent)
            let h = Rational(1).multiplied(byPowerOfTwo: scale - 24)
            let s = 0x1p0 * Double(sign: .plus, exponent: scale, significand: 1)
            for j in image.values.indices {
                let plus = try perturbed(input, array: a, entry: j, by: h).exactValues(convention)[0]
                let minus = try perturbed(input, array: a, entry: j, by: -h).exactValues(convention)[0]
                let difference = try ((plus - minus) / (h * 2)).doubleValue
                pairs.append((s, gradient[j], difference))
                largest = max(largest, s * abs(difference))
                sensitivity += abs(image.values[j].doubleValue) * abs(difference)
            }
        }
        for (s, analytic, exact) in pairs {
            #expect(
                s * abs(analytic - exact) <= 1e-8 * largest, "\(analytic) vs \(exact) on \(input.json.serialized())")
        }
        let kappa = Conditioning.conditionNumbers(input, convention: convention, exact: [rho])[0]
        let n = Double(Conditioning.transformLength(input))
        #expect(
            abs(kappa - sensitivity / abs(rho.doubleValue)) <= 1e-7 * kappa + n * 1e-12, "\(input.json.serialized())")
    }

    @Test func sdrGradientMatchesExactDifferences() throws {
        try Self.checkGradient(.sdr1d(k1: Self.image(1, 5, [1, 2, 0, -1, 3]), k2: Self.image(1, 5, [2, -1, 1, 1, 0])))
        try Self.checkGradient(.sdr1d(k1: Self.image(1, 4, [3, 1, 2, 2]), k2: Self.image(1, 4, [1, 0, 0, 2])))
        try Self.checkGradient(
            .sdr2d(k1: Self.image(2, 3, [1, 0, 2, -1, 1, 1]), k2: Self.image(2, 3, [0, 1, 1, 2, -2, 1])))
    }

    @Test func batchGradientMatchesExactDifferences() throws {
        try Self.checkGradient(
            .batch(
                kernel: Self.image(2, 2, [1, 2, 0, -1]),
                samples: [Self.image(2, 2, [1, 0, 3, 1]), Self.image(2, 2, [-1, 2, 1, 1])]))
        try Self.checkGradient(
            .batch(kernel: Self.image(3, 2, [1, 2, 0, -1, 1, 1]), samples: [Self.image(3, 2, [2, 0, 1, 1, -1, 3])]))
    }

    @Test func stridedGradientMatchesExactDifferences() throws {
        // Stride 2: the maps' zero frequency is averaged on the up-sampled grid, so their mean matters.
        try Self.checkGradient(
            .strided(
                filter: Self.image(4, 4, [1, 2, 0, -1, 1, 0, 0, 2, 0, 1, 1, 0, 3, 0, -1, 1]),
                samples: [Self.image(2, 2, [1, 0, 3, 1]), Self.image(2, 2, [2, 2, 1, -1])], stride: 2))
        try Self.checkGradient(
            .strided(
                filter: Self.image(6, 6, (0..<36).map { ($0 * 7 + 3) % 5 - 2 }),
                samples: [Self.image(2, 2, [1, 5, 3, 1])], stride: 3))
        try Self.checkGradient(
            .strided(
                filter: Self.image(4, 4, (0..<16).map { ($0 * 3 + 1) % 4 - 1 }),
                samples: [Self.image(4, 4, (0..<16).map { ($0 * 5) % 7 - 3 })], stride: 1))
    }

    /// The request's other conventions: ⟨·⟩ over all frequencies (the means now matter: offsets in every array),
    /// and eq. (24)'s activations averaged on their native grid, with either averaging.
    @Test(arguments: [
        SDRConvention(averaging: .all), SDRConvention(grid: .native), SDRConvention(averaging: .all, grid: .native),
    ])
    func gradientMatchesExactDifferencesUnderEveryConvention(_ convention: SDRConvention) throws {
        try Self.checkGradient(
            .sdr1d(k1: Self.image(1, 5, [4, 2, 3, 1, 3]), k2: Self.image(1, 5, [2, -1, 1, 1, 0])),
            convention: convention)
        try Self.checkGradient(
            .batch(kernel: Self.image(2, 3, [1, 2, 0, -1, 5, 1]), samples: [Self.image(2, 3, [2, 0, 1, 1, -1, 3])]),
            convention: convention)
        try Self.checkGradient(
            .strided(
                filter: Self.image(4, 4, [1, 2, 0, -1, 1, 0, 0, 2, 0, 1, 1, 0, 3, 0, -1, 1]),
                samples: [Self.image(2, 2, [1, 0, 3, 1]), Self.image(2, 2, [2, 2, 1, -1])], stride: 2),
            convention: convention)
        try Self.checkGradient(
            .strided(
                filter: Self.image(6, 6, (0..<36).map { ($0 * 7 + 3) % 5 + 1 }),
                samples: [Self.image(2, 2, [1, 5, 3, 1])], stride: 3),
            convention: convention)
    }

    @Test func layerEntriesAreTheirStridedPairs() throws {
        // A layer's entry (o, c) is the strided SDR of W[o, c] zero-padded to n×n and the maps X[·, c].
        let filters = [[1, 2, 0, -1], [0, 1, 1, 1], [2, 0, 1, 3], [1, -1, 0, 2]].map { Self.image(2, 2, $0) }
        let maps = [[1, 0, 3, 1], [2, 2, 1, -1], [0, 1, 1, 1], [1, 1, 2, 0]].map { Self.image(2, 2, $0) }
        let layer = EstimatorCase.layer(.init(filters: filters, outChannels: 2, inChannels: 2, maps: maps, stride: 2))
        let gradients = Conditioning.gradients(layer)
        let kappas = Conditioning.conditionNumbers(layer)
        #expect(gradients.count == 4 && kappas.count == 4)
        for o in 0..<2 {
            for c in 0..<2 {
                var padded = [Rational](repeating: .zero, count: 16)
                for r in 0..<2 { for q in 0..<2 { padded[r * 4 + q] = filters[o * 2 + c].values[r * 2 + q] } }
                let pair = EstimatorCase.strided(
                    filter: Self.image(4, 4, padded), samples: [maps[c], maps[2 + c]], stride: 2)
                try Self.checkGradient(pair)
                let g = try #require(gradients[o * 2 + c])
                let p = try #require(Conditioning.gradients(pair)[0])
                // The layer's filter gradient is the padded one's top-left 2×2 block.
                for r in 0..<2 {
                    for q in 0..<2 { #expect(abs(g.filter[r * 2 + q] - p.filter[r * 4 + q]) <= 1e-12 * p.sensitivity) }
                }
                #expect(abs(kappas[o * 2 + c] - Conditioning.conditionNumbers(pair)[0]) <= 1e-12 * kappas[o * 2 + c])
            }
        }
    }

    @Test func generatedCasesMatchExactDifferences() throws {
        // A few small cases of every task but the layer, from the fuzzer's own generator (dyadic entries).
        for (t, task) in [EstimatorTask.sdr1d, .sdr2d, .batch, .strided].enumerated() {
            var checked = 0
            for seed in 0..<60 where checked < 3 {
                var source = ChoiceSource.random(seed: UInt64(100 * t + seed), size: 10)
                guard let input = try? Domain.estimatorCase(task).run(&source),
                    Conditioning.transformLength(input) <= 16, (try? input.exactValues()) != nil
                else { continue }
                try Self.checkGradient(input)
                checked += 1
            }
            #expect(checked == 3, "\(task)")
        }
    }

    @Test func conditionNumberIsScaleAndOffsetAware() throws {
        let k1 = [3, 1, 4, 1, 5, 9, 2, 6], k2 = [2, 7, 1, 8, 2, 8, 1, 8]
        let base = EstimatorCase.sdr1d(k1: Self.image(1, 8, k1), k2: Self.image(1, 8, k2))
        let kappa = Conditioning.conditionNumbers(base)[0]
        #expect(kappa > 0.1 && kappa < 100)
        // Scaling either kernel by 2^±40 changes neither ρ nor κ.
        let scaled = EstimatorCase.sdr1d(
            k1: Self.image(1, 8, k1.map { Rational($0).multiplied(byPowerOfTwo: 40) }),
            k2: Self.image(1, 8, k2.map { Rational($0).multiplied(byPowerOfTwo: -40) }))
        #expect(abs(Conditioning.conditionNumbers(scaled)[0] - kappa) <= 1e-12 * kappa)
        // A constant offset c leaves ρ alone but makes it ill-conditioned: κ grows like c.
        let offset = 9 << 20
        let shifted = EstimatorCase.sdr1d(k1: Self.image(1, 8, k1.map { $0 + offset }), k2: Self.image(1, 8, k2))
        let shiftedKappa = Conditioning.conditionNumbers(shifted)[0]
        #expect(try shifted.exactValues() == base.exactValues())
        #expect(shiftedKappa > 1e5 * kappa && shiftedKappa < 1e8 * kappa, "\(shiftedKappa) vs \(kappa)")
        // One non-zero frequency (N = 2): ρ ≡ 1, so κ = 0 and the budget is factor·u.
        let two = EstimatorCase.sdr1d(k1: Self.image(1, 2, [3, 1]), k2: Self.image(1, 2, [1, 2]))
        #expect(Conditioning.conditionNumbers(two)[0] <= 1e-15)
        #expect(Conditioning.budget(conditionNumber: 0, transformLength: 2, precision: .float64) == 16 * 0x1p-53)
        #expect(Conditioning.factor(transformLength: 64) == 56 && Conditioning.factor(transformLength: 81) == 64)
    }
}
