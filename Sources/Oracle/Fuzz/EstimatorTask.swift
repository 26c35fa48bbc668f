import Reference

/// The SDR family an estimator can be fuzzed on (App. B.10).
public enum EstimatorTask: String, Sendable, CaseIterable, Codable {
    /// Population SDR of two 1D kernels (eq. 8).
    case sdr1d
    /// Population SDR of two 2D kernels.
    case sdr2d
    /// The batch estimator of eq. (23): a 2D kernel and B samples of its shape.
    case batch
    /// The strided estimator of eq. (24): an n×n filter and B maps of (n/s)×(n/s), stride s.
    case strided
    /// The layer analysis (Sec. 4, Fig. 5): weights [Cout, Cin, h, h], activations [B, Cin, n/s, n/s], stride s;
    /// the answer is the [Cout, Cin] matrix of strided SDRs (eq. 24, each filter zero-padded to n×n).
    case layer
}

/// One input of an estimator task. Entries are dyadic rationals (p/2^k), so the Doubles sent to an
/// estimator are exactly the rationals the Reference computes with.
public struct EstimatorCase: Sendable, Equatable, JSONRenderable {
    public let task: EstimatorTask
    /// k₁ (sdr), the kernel (batch) or the filter (strided).
    public let first: RationalImage
    /// k₂ (sdr only).
    public let second: RationalImage?
    /// The samples (batch) or activation maps (strided).
    public let samples: [RationalImage]
    public let stride: Int
    /// layer only: the filters W[o, c] at index o·Cin + c (each h×h), and the channel counts;
    /// `samples` then holds the maps X[b, c] at index b·Cin + c.
    public let filters: [RationalImage]
    public let outChannels: Int
    public let inChannels: Int

    public init(task: EstimatorTask, first: RationalImage, second: RationalImage? = nil, samples: [RationalImage] = [], stride: Int = 1) {
        self.task = task
        self.first = first
        self.second = second
        self.samples = samples
        self.stride = stride
        self.filters = []
        self.outChannels = 1
        self.inChannels = 1
    }

    /// A layer case: `filters[o·Cin + c]` (h×h, h ≤ n) and `maps[b·Cin + c]` ((n/s)×(n/s)), n = s·(n/s).
    public init(layerFilters filters: [RationalImage], outChannels: Int, inChannels: Int, maps: [RationalImage], stride: Int) {
        self.task = .layer
        self.first = filters[0]
        self.second = nil
        self.samples = maps
        self.stride = stride
        self.filters = filters
        self.outChannels = outChannels
        self.inChannels = inChannels
    }

    /// The output map side n = s·m of a layer case.
    var layerMap: (rows: Int, columns: Int) { (samples[0].rows * stride, samples[0].columns * stride) }

    /// The exact values the estimator must approximate (⟨·⟩ over non-zero frequencies; eq. 24 on the
    /// up-sampled grid): one for the SDR tasks, Cout·Cin (C order) for a layer. A layer with an undefined
    /// pair is undefined as a whole (the estimator must answer with an error).
    public func exactValues() throws(ReferenceError) -> [Rational] {
        switch task {
        case .sdr1d, .sdr2d: return [try SpectralDensityRatio.ratio(first, second!)]
        case .batch: return [try SpectralDensityRatio.batch(kernel: first, samples: samples)]
        case .strided: return [try SpectralDensityRatio.strided(filter: first, samples: samples, stride: stride)]
        case .layer:
            let (n0, n1) = layerMap
            let batch = samples.count / inChannels
            var out: [Rational] = []
            for o in 0..<outChannels {
                for c in 0..<inChannels {
                    let f = filters[o * inChannels + c]
                    var padded = [Rational](repeating: .zero, count: n0 * n1)
                    for r in 0..<f.rows { for q in 0..<f.columns { padded[r * n1 + q] = f.values[r * f.columns + q] } }
                    let maps = (0..<batch).map { samples[$0 * inChannels + c] }
                    out.append(try SpectralDensityRatio.strided(filter: try RationalImage(rows: n0, columns: n1, values: padded),
                                                                samples: maps, stride: stride))
                }
            }
            return out
        }
    }

    static func numbers(_ image: RationalImage) -> JSONValue { .array(image.values.map { .number($0.doubleValue) }) }
    static func shape(_ image: RationalImage) -> JSONValue { .array([.int(image.rows), .int(image.columns)]) }

    /// The protocol request (one JSON line; see README, "Fuzzing estimators").
    public func request(id: Int) -> JSONValue {
        var members: [JSONValue.Member] = [.init("id", .int(id)), .init("task", .string(task.rawValue))]
        switch task {
        case .sdr1d:
            members += [.init("k1", Self.numbers(first)), .init("k2", Self.numbers(second!))]
        case .sdr2d:
            members += [.init("shape", Self.shape(first)), .init("k1", Self.numbers(first)), .init("k2", Self.numbers(second!))]
        case .batch:
            members += [.init("shape", Self.shape(first)), .init("kernel", Self.numbers(first)),
                        .init("samples", .array(samples.map(Self.numbers)))]
        case .strided:
            members += [.init("shape", Self.shape(first)), .init("stride", .int(stride)), .init("filter", Self.numbers(first)),
                        .init("samples", .array(samples.map(Self.numbers)))]
        case .layer:
            let h = filters[0]
            members += [.init("stride", .int(stride)),
                        .init("weights_shape", .array([outChannels, inChannels, h.rows, h.columns].map(JSONValue.int))),
                        .init("weights", .array(filters.flatMap { $0.values.map { JSONValue.number($0.doubleValue) } })),
                        .init("activations_shape", .array([samples.count / inChannels, inChannels, samples[0].rows, samples[0].columns].map(JSONValue.int))),
                        .init("activations", .array(samples.flatMap { $0.values.map { JSONValue.number($0.doubleValue) } }))]
        }
        members.append(.init("averaging", .string("nonzero")))
        return .object(members)
    }

    public var json: JSONValue {
        var members: [JSONValue.Member] = [.init("task", .string(task.rawValue))]
        switch task {
        case .sdr1d, .sdr2d: members += [.init("k1", first.json), .init("k2", second!.json)]
        case .batch: members += [.init("kernel", first.json), .init("samples", samples.json)]
        case .strided: members += [.init("filter", first.json), .init("stride", .int(stride)), .init("samples", samples.json)]
        case .layer:
            members += [.init("stride", .int(stride)), .init("outChannels", .int(outChannels)), .init("inChannels", .int(inChannels)),
                        .init("weights", filters.json), .init("activations", samples.json)]
        }
        return .object(members)
    }
}

extension Domain {
    /// Dyadic entries p/2^k: small integers first, then halves, quarters…, and now and then a large
    /// dynamic range (scaled by 2^±20) — all exactly representable as Doubles.
    public static var dyadic: Gen<Rational> {
        Gen.weighted(
            (8, Gen.int(in: -9...9).map { Rational($0) }),
            (3, Gen.zip(Gen.int(in: -64...64), Gen.int(in: 1...6)).map { p, k in try Rational(BigInt(p), try BigInt(2).power(k)) }),
            (1, Gen.zip(Gen.int(in: -9...9), Gen.bool).map { p, big in
                let scale = try Rational(2).power(big ? 20 : -20)
                return Rational(p) * scale
            })
        )
    }

    static func dyadicImage(rows: Int, columns: Int) -> Gen<RationalImage> {
        vector(length: rows * columns, entry: dyadic).map { try RationalImage(rows: rows, columns: columns, values: $0) }
    }

    /// Cases for an estimator task, small first.
    public static func estimatorCase(_ task: EstimatorTask) -> Gen<EstimatorCase> {
        switch task {
        case .sdr1d:
            return Gen.int(in: 2...64).flatMap { n in
                Gen.zip(dyadicImage(rows: 1, columns: n), dyadicImage(rows: 1, columns: n)).map { EstimatorCase(task: task, first: $0.0, second: $0.1) }
            }
        case .sdr2d:
            return Gen.zip(Gen.int(in: 2...8), Gen.int(in: 2...8)).flatMap { r, c in
                Gen.zip(dyadicImage(rows: r, columns: c), dyadicImage(rows: r, columns: c)).map { EstimatorCase(task: task, first: $0.0, second: $0.1) }
            }
        case .batch:
            return Gen.zip(Gen.int(in: 2...6), Gen.int(in: 2...6), Gen.int(in: 1...4)).flatMap { r, c, b in
                Gen.zip(dyadicImage(rows: r, columns: c), Gen.array(of: dyadicImage(rows: r, columns: c), count: b...b))
                    .map { EstimatorCase(task: task, first: $0.0, samples: $0.1) }
            }
        case .strided:
            let shapes: [(n: Int, s: Int)] = [(2, 2), (4, 2), (6, 2), (6, 3), (8, 2), (8, 4), (4, 1), (9, 3)]
            return Gen.zip(Gen.int(in: 0...(shapes.count - 1)), Gen.int(in: 1...3)).flatMap { index, b in
                let (n, s) = shapes[index]
                return Gen.zip(dyadicImage(rows: n, columns: n), Gen.array(of: dyadicImage(rows: n / s, columns: n / s), count: b...b))
                    .map { EstimatorCase(task: task, first: $0.0, samples: $0.1, stride: s) }
            }
        case .layer:
            let shapes: [(n: Int, s: Int)] = [(2, 2), (4, 2), (4, 1), (6, 2), (6, 3), (8, 2)]
            return Gen.zip(Gen.int(in: 0...(shapes.count - 1)), Gen.int(in: 1...3), Gen.int(in: 1...3), Gen.int(in: 1...2)).flatMap { index, cout, cin, b in
                let (n, s) = shapes[index]
                return Gen.int(in: 1...n).flatMap { h in
                    Gen.zip(Gen.array(of: dyadicImage(rows: h, columns: h), count: (cout * cin)...(cout * cin)),
                            Gen.array(of: dyadicImage(rows: n / s, columns: n / s), count: (b * cin)...(b * cin)))
                        .map { EstimatorCase(layerFilters: $0.0, outChannels: cout, inChannels: cin, maps: $0.1, stride: s) }
                }
            }
        }
    }
}
