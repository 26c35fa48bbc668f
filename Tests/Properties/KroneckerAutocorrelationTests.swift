import Oracle
import OracleTesting
import Testing

@testable import Reference

/// The fast exact autocorrelations and SDR (`IntegerAutocorrelation`, `SpectralDensityRatio.parts`) against the
/// definitions (`RationalImage.autocorrelation`, `partsByAutocorrelation`), in every size class: both sides of
/// `directLimit` (direct loop / Kronecker), of 62-bit digits (machine / BigInt digits), of the direct loop's 2⁵³
/// bound, and of the machine-integer entries (Int / BigInt).
@Suite struct KroneckerAutocorrelationTests {
    struct Kernel: Sendable, JSONRenderable {
        let rows: Int, columns: Int, values: [BigInt]
        var json: JSONValue {
            .object(["shape": .string("\(rows)x\(columns)"), "k": .array(values.map { .string($0.description) })])
        }
        var image: RationalImage {
            try! RationalImage(rows: rows, columns: columns, values: values.map { Rational($0) })
        }
    }

    static let limit = IntegerAutocorrelation.directLimit

    /// Shapes around the strategy switch, small 1D and 2D shapes, and a few larger ones.
    static let shape: Gen<(Int, Int)> = Gen.oneOf(
        Gen.int(in: (limit - 2)...(limit + 2)).map { (1, $0) },
        Gen.element(of: [(8, 8), (7, 9), (9, 8), (5, 13)]),
        Gen.zip(Gen.int(in: 1...4), Gen.int(in: 1...12)),
        Gen.int(in: 100...200).map { (1, $0) })

    /// Entries of 4 bits, or a quarter of them of 30 bits, 31 (Σk² past the Int128 shortcut's 2³¹ entries), 40 (past
    /// the direct loop's 2⁵³), 62 or 90 bits (beyond machine range); a few 30-bit points take Σk² past 2⁶¹, where the
    /// digits stop being machine integers.
    static let kernel: Gen<Kernel> = shape.flatMap { rows, columns in
        Gen.oneOf(Gen.constant(4), Gen.element(of: [30, 31, 40, 62, 90])).flatMap { bits in
            let small = Gen.int(in: -9...9).map { BigInt($0) }
            let large = Gen.int(in: -1000...1000).map { BigInt($0.signum() | 1).shiftedLeft(bits - 1) + BigInt($0) }
            let entry = bits == 4 ? small : Gen.weighted((3, small), (1, large))
            return Gen.array(of: entry, count: (rows * columns)...(rows * columns))
                .map { Kernel(rows: rows, columns: columns, values: $0) }
        }
    }

    @Test func everyStrategyGivesTheDefinition() throws {
        try propertyCheck(Self.kernel, "autocorrelation strategies", configuration: RunConfiguration(cases: 150)) { k in
            let definition = k.image.autocorrelation.map(\.numerator)
            for strategy in IntegerAutocorrelation.Strategy.allCases {
                let r = try IntegerAutocorrelation(k.values, rows: k.rows, columns: k.columns, strategy: strategy)
                guard r.values == definition else { return false }
                let small = k.values.compactMap(\.intValue)
                if small.count == k.values.count {
                    let fromInts = try IntegerAutocorrelation(
                        small, rows: k.rows, columns: k.columns, strategy: strategy)
                    guard fromInts == r else { return false }
                }
            }
            return true
        }
    }

    /// Rational kernels (denominators cleared first) and integer kernels: the fast parts are the definition's.
    @Test func fastPartsAreTheDefinition() throws {
        let rational = Gen.zip(Gen.int(in: -9...9), Gen.int(in: 1...6)).map { try Rational($0.0, $0.1) }
        let pair = Self.shape.flatMap { rows, columns in
            Gen.zip(
                Gen.array(of: rational, count: (rows * columns)...(rows * columns)),
                Gen.array(of: rational, count: (rows * columns)...(rows * columns))
            ).map {
                (
                    try RationalImage(rows: rows, columns: columns, values: $0.0),
                    try RationalImage(rows: rows, columns: columns, values: $0.1)
                )
            }
        }
        try propertyCheck(
            pair, "fast SDR parts", configuration: RunConfiguration(cases: 100),
            render: { .tuple($0.0.compactDescription, $0.1.compactDescription) }
        ) { a, b in
            for averaging in FrequencyAveraging.allCases {
                let fast = Result { try SpectralDensityRatio.parts(a, b, averaging: averaging) }
                let definition = Result { try SpectralDensityRatio.partsByAutocorrelation(a, b, averaging: averaging) }
                switch (fast, definition) {
                case (.success(let x), .success(let y)): guard x == y else { return false }
                case (.failure(let x as ReferenceError), .failure(let y as ReferenceError)):
                    guard x == y else { return false }
                default: return false
                }
            }
            return true
        }
    }

    /// The machine-integer entry point on entries past 2³¹ and up to Int.max, against the definition.
    @Test func integerRatioBeyondMachineRange() throws {
        let k1 = [Int.max, -Int.max, 3, 1 << 40, -(1 << 33)], k2 = [1, 2, Int.min + 1, 4, 5]
        let image = { (k: [Int]) in try RationalImage(k.map { Rational($0) }) }
        for averaging in FrequencyAveraging.allCases {
            #expect(
                try SpectralDensityRatio.ratio(integer: k1, k2, columns: 5, averaging: averaging)
                    == SpectralDensityRatio.partsByAutocorrelation(image(k1), image(k2), averaging: averaging).ratio())
        }
    }

    /// The first pair of `oracle bench exact-sdr --d D` (SplitMix64 stream 0, entries (z mod 201) − 100), its fraction
    /// pinned by FLINT's autocorrelation route (`bench/exact_sdr_flint.py`, python-flint `fmpz_poly`).
    @Test(arguments: [
        (1009, "175709961986298376/168882011999195457"),
        (10007, "28848881592718999516787/28384586455025656823694"),
    ])
    func pinnedByFLINT(d: Int, fraction: String) throws {
        var rng = SplitMix64(seed: 0)
        let k = (0..<(2 * d)).map { _ in Int(rng.next() % 201) - 100 }
        let rho = try SpectralDensityRatio.ratio(integer: Array(k[..<d]), Array(k[d...]), columns: d)
        #expect("\(rho.numerator)/\(rho.denominator)" == fraction)
    }

    /// Absurd sizes are refused with a typed error before the product is allocated; shapes are checked.
    @Test func refusals() throws {
        let huge = [BigInt](repeating: BigInt(1).shiftedLeft(1 << 20), count: 8200)
        #expect(throws: ReferenceError.self) { try IntegerAutocorrelation(huge, columns: 8200) }
        #expect(throws: ReferenceError.self) { try IntegerAutocorrelation([1, 2, 3], rows: 2, columns: 2) }
        #expect(throws: ReferenceError.self) { try IntegerAutocorrelation([1, 2], rows: 0, columns: 2) }
        #expect(try IntegerAutocorrelation([0, 0, 0], columns: 3, strategy: .kronecker) == .machine([0, 0, 0]))
    }
}
