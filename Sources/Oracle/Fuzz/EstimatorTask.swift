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

    public init(task: EstimatorTask, first: RationalImage, second: RationalImage? = nil, samples: [RationalImage] = [], stride: Int = 1) {
        self.task = task
        self.first = first
        self.second = second
        self.samples = samples
        self.stride = stride
    }

    /// The exact value the estimator must approximate (⟨·⟩ over non-zero frequencies; eq. 24 on the up-sampled grid).
    public func exactValue() throws(ReferenceError) -> Rational {
        switch task {
        case .sdr1d, .sdr2d: return try SpectralDensityRatio.ratio(first, second!)
        case .batch: return try SpectralDensityRatio.batch(kernel: first, samples: samples)
        case .strided: return try SpectralDensityRatio.strided(filter: first, samples: samples, stride: stride)
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
        }
    }
}
