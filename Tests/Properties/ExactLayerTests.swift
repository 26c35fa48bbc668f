import Oracle
import OracleTesting
import Testing

@testable import Fast
@testable import Reference

/// The exact layer analysis (`SpectralDensityRatio.layer`, once per channel and per filter) against eq. (24) pair by
/// pair (`strided` on the filter zero-padded to n = s·m and the channel's maps), under both averagings and both grids,
/// with dead channels and zero filters (undefined pairs) among the cases.
@Suite struct ExactLayerTests {
    struct LayerCase: Sendable, JSONRenderable {
        let filters: [RationalImage], outChannels: Int, inChannels: Int, maps: [RationalImage], stride: Int
        let averaging: FrequencyAveraging, grid: ActivationGrid
        var json: JSONValue {
            .object([
                "cout": .int(outChannels), "cin": .int(inChannels), "stride": .int(stride),
                "filters": .array(filters.map(\.json)), "maps": .array(maps.map(\.json)),
                "averaging": .string(averaging.rawValue), "grid": .string(grid.rawValue),
            ])
        }
    }

    /// Entries: small integers, dyadics, values across a wide exponent range (as float32 data has), or all zero.
    static func image(_ rows: Int, _ columns: Int) -> Gen<RationalImage> {
        let wide = Gen.zip(Gen.int(in: -99...99), Gen.int(in: -40...40)).map {
            Rational($0).multiplied(byPowerOfTwo: $1)
        }
        let entry = Gen.weighted((4, Domain.dyadic), (2, wide), (1, Gen.constant(Rational.zero)))
        let dense = Domain.vector(length: rows * columns, entry: entry)
        let zero = Gen.constant([Rational](repeating: .zero, count: rows * columns))
        return Gen.weighted((9, dense), (1, zero)).map { try RationalImage(rows: rows, columns: columns, values: $0) }
    }

    static let layerCase: Gen<LayerCase> = Gen.zip(
        Gen.zip(Gen.int(in: 1...3), Gen.int(in: 1...3), Gen.int(in: 1...3)),
        Gen.zip(Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.int(in: 1...3)),
        Gen.element(of: FrequencyAveraging.allCases), Gen.element(of: ActivationGrid.allCases)
    ).flatMap { channels, shape, averaging, grid in
        let (cout, cin, batch) = channels, (m0, m1, s) = shape
        return Gen.zip(Gen.int(in: 1...(s * m0)), Gen.int(in: 1...(s * m1))).flatMap { h, w in
            Gen.zip(
                Gen.array(of: image(h, w), count: (cout * cin)...(cout * cin)),
                Gen.array(of: image(m0, m1), count: (batch * cin)...(batch * cin))
            ).map {
                LayerCase(
                    filters: $0.0, outChannels: cout, inChannels: cin, maps: $0.1, stride: s, averaging: averaging,
                    grid: grid)
            }
        }
    }

    /// eq. (24) pair by pair: nil where it is undefined.
    static func perPair(_ c: LayerCase) throws -> [Rational?] {
        let (m0, m1) = (c.maps[0].rows, c.maps[0].columns), (n0, n1) = (c.stride * m0, c.stride * m1)
        let batch = c.maps.count / c.inChannels
        var out: [Rational?] = []
        for o in 0..<c.outChannels {
            for ch in 0..<c.inChannels {
                let f = c.filters[o * c.inChannels + ch]
                var padded = [Rational](repeating: .zero, count: n0 * n1)
                for i in 0..<f.rows { for j in 0..<f.columns { padded[i * n1 + j] = f.values[i * f.columns + j] } }
                let filter = try RationalImage(rows: n0, columns: n1, values: padded)
                let samples = (0..<batch).map { c.maps[$0 * c.inChannels + ch] }
                let value = Result { () throws(ReferenceError) -> Rational in
                    try SpectralDensityRatio.strided(
                        filter: filter, samples: samples, stride: c.stride, averaging: c.averaging,
                        activationGrid: c.grid)
                }
                switch value {
                case .success(let rho): out.append(rho)
                case .failure(let error):
                    guard case .undefined = error else { throw error }
                    out.append(nil)
                }
            }
        }
        return out
    }

    @Test func everyPairIsEquation24() throws {
        var undefined = 0, defined = 0
        try propertyCheck(
            Self.layerCase, "exact layer = eq. (24) per pair", configuration: RunConfiguration(cases: 150)
        ) { c in
            let layer = try SpectralDensityRatio.layer(
                filters: c.filters, outChannels: c.outChannels, inChannels: c.inChannels, maps: c.maps,
                stride: c.stride, averaging: c.averaging, activationGrid: c.grid)
            let expected = try Self.perPair(c)
            guard layer.count == expected.count else { return false }
            for (entry, value) in zip(layer, expected) {
                switch (entry, value) {
                case (.success(let a), let b?): guard a == b else { return false }; defined += 1
                case (.failure(.undefined), nil): undefined += 1
                default: return false
                }
            }
            return true
        }
        // Both kinds of pair were met.
        #expect(defined > 100 && undefined > 5, "\(defined) defined, \(undefined) undefined pairs")
    }

    @Test func badShapesAreTypedErrors() throws {
        let one = try RationalImage(rows: 1, columns: 1, values: [.one])
        #expect(throws: ReferenceError.self) {
            try SpectralDensityRatio.layer(filters: [one, one], outChannels: 1, inChannels: 1, maps: [one], stride: 1)
        }
        #expect(throws: ReferenceError.self) {
            try SpectralDensityRatio.layer(filters: [one], outChannels: 1, inChannels: 1, maps: [one], stride: 0)
        }
        let big = try RationalImage(rows: 3, columns: 3, values: Array(repeating: .one, count: 9))
        #expect(throws: ReferenceError.self) {
            try SpectralDensityRatio.layer(filters: [big], outChannels: 1, inChannels: 1, maps: [one], stride: 2)
        }
    }
}

/// `oracle layer --exact`'s certificate: Fast's matrix passes within its budgets; a value nudged beyond its pair's
/// budget, a value where ρ is undefined and a refused resolvable ρ each fail, named by their pair.
@Suite struct LayerCertificateTests {
    static let shapes = (weights: [3, 2, 3, 3], activations: [4, 2, 4, 4], stride: 2)

    /// SplitMix64-style values in [−1, 1) (dyadic), with activation channel 1 dead in the second layer.
    static func inputs(deadChannel: Bool) -> (weights: [Double], activations: [Double]) {
        var state: UInt64 = 7
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1p-52 - 1
        }
        let weights = (0..<54).map { _ in next() }
        var activations = (0..<128).map { _ in next() }
        if deadChannel { for b in 0..<4 { for k in 0..<16 { activations[(b * 2 + 1) * 16 + k] = 0 } } }
        return (weights, activations)
    }

    static func certify(_ fast: LayerSDR, deadChannel: Bool = false) throws -> LayerCertificate {
        let (w, x) = inputs(deadChannel: deadChannel)
        return try LayerCertificate.certify(
            weights: w, weightShape: shapes.weights, activations: x, activationShape: shapes.activations,
            stride: shapes.stride, convention: .paper, fast: fast)
    }

    static func fast(deadChannel: Bool = false) throws -> LayerSDR {
        let (w, x) = inputs(deadChannel: deadChannel)
        return try SDREstimators.layer(
            weights: w, weightShape: shapes.weights, activations: x, activationShape: shapes.activations,
            stride: shapes.stride)
    }

    @Test func fastIsCertifiedAndEachKindOfSlipFails() throws {
        let good = try Self.certify(try Self.fast())
        #expect(good.pairs.count == 6 && good.failures.isEmpty, "\(good.failures.map(\.failure))")
        #expect((good.furthest.map { $0.relativeError! / $0.budget } ?? 1) < 0.5)

        var sdr = try Self.fast().sdr
        sdr[4] *= 1 + 1e-9
        let nudged = try Self.certify(try Self.with(sdr))
        #expect(nudged.failures.map { [$0.out, $0.in] } == [[2, 0]])

        // A dead channel: ρ undefined at (·, 1); Fast marks those pairs, and a value there fails.
        let dead = try Self.fast(deadChannel: true)
        #expect(try Self.certify(dead, deadChannel: true).failures.isEmpty)
        var filled = dead.sdr
        filled[1] = 1
        let answered = try Self.certify(try Self.with(filled), deadChannel: true)
        #expect(answered.failures.map { [$0.out, $0.in] } == [[0, 1]])
        #expect(answered.failures.first?.failure?.contains("undefined") == true)

        // Fast's value removed where ρ is defined and resolvable.
        var refused = try Self.fast().sdr
        refused[0] = .nan
        #expect(try Self.certify(try Self.with(refused)).failures.first?.failure?.contains("refused") == true)
    }

    static func with(_ sdr: [Double]) throws -> LayerSDR {
        let base = try fast()
        return LayerSDR(
            outChannels: base.outChannels, inChannels: base.inChannels, sdr: sdr, undefined: base.undefined,
            binEdges: base.binEdges, histogram: base.histogram, underflow: base.underflow, overflow: base.overflow)
    }
}
