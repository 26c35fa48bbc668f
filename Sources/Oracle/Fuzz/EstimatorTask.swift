import Reference

/// The SDR family an estimator can be fuzzed on (App. B.10), or a companion paper's scores.
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
    /// Paper 002's INV, EQV, SCN, L_INV and L_EQV of a linear response map over a finite prior.
    case icScores = "ic-scores"
    /// Paper 004's GATE in both directions and Δτ of two linear (logit) latent classifiers.
    case cageScores = "cage-scores"

    /// The answer is several values (a layer's matrix, a companion's scores), not one number.
    var answersSeveralValues: Bool { self == .layer || isCompanion }

    /// A companion paper's scores (exact values in Q(√q₁, √q₂), judged by `CompanionConditioning`).
    public var isCompanion: Bool { self == .icScores || self == .cageScores }
}

/// The spectral conventions a request asks for (the request's `averaging` and `grid` fields): which frequencies
/// ⟨·⟩ averages over (the paper's non-zero ones, or all), and, for eq. (24), whether the activations' power is
/// averaged on the up-sampled n-grid or on their own (n/s)-grid. `oracle fuzz --averaging`/`--grid` choose them.
public struct SDRConvention: Sendable, Hashable {
    public var averaging: FrequencyAveraging
    public var grid: ActivationGrid

    public init(averaging: FrequencyAveraging = .nonZero, grid: ActivationGrid = .upsampled) {
        self.averaging = averaging
        self.grid = grid
    }

    /// ⟨·⟩ over the non-zero frequencies, activations on the up-sampled grid (App. B.10): the default.
    public static let paper = SDRConvention()

    /// The coverage labels of a case drawn under this convention for `task`.
    func labels(_ task: EstimatorTask) -> [String] {
        guard !task.isCompanion else { return [] }
        return ["averaging " + averaging.rawValue] + (task.hasGrid ? ["grid " + grid.rawValue] : [])
    }

    /// The request's fields: `averaging` for every SDR task, `grid` for the strided and layer tasks (none for the
    /// companion scores).
    func members(_ task: EstimatorTask) -> [JSONValue.Member] {
        guard !task.isCompanion else { return [] }
        return [.init("averaging", .string(averaging.rawValue))]
            + (task.hasGrid ? [.init("grid", .string(grid.rawValue))] : [])
    }

    /// Reads `averaging` and `grid` from a request or case JSON (absent: the paper's).
    init(json: JSONValue) throws(CaseLiteralError) {
        self = .paper
        if let value = json["averaging"] {
            guard case let .string(text) = value, let a = FrequencyAveraging(rawValue: text) else {
                throw CaseLiteralError(reason: "'averaging' must be \"nonzero\" or \"all\"")
            }
            averaging = a
        }
        if let value = json["grid"] {
            guard case let .string(text) = value, let g = ActivationGrid(rawValue: text) else {
                throw CaseLiteralError(reason: "'grid' must be \"upsampled\" or \"native\"")
            }
            grid = g
        }
    }
}

extension EstimatorTask {
    /// Whether the task's value depends on the activation grid (eq. 24: strided and layer).
    public var hasGrid: Bool { self == .strided || self == .layer }
}

/// One input of an estimator task, typed per task. Entries are dyadic rationals (p/2^k), so the Doubles
/// sent to an estimator are exactly the rationals the Reference computes with.
public enum EstimatorCase: Sendable, Equatable, JSONRenderable {
    /// eq. (8) on two 1D kernels (1×d).
    case sdr1d(k1: RationalImage, k2: RationalImage)
    /// eq. (8) on two 2D kernels of one shape.
    case sdr2d(k1: RationalImage, k2: RationalImage)
    /// eq. (23): a 2D kernel and B samples of its shape.
    case batch(kernel: RationalImage, samples: [RationalImage])
    /// eq. (24): an n×n filter and B maps of (n/s)×(n/s).
    case strided(filter: RationalImage, samples: [RationalImage], stride: Int)
    /// The layer analysis: the [Cout, Cin] matrix of strided SDRs.
    case layer(LayerCase)
    /// Paper 002's scores of a linear response map.
    case icScores(ResponseMapCase)
    /// Paper 004's GATE and Δτ of two logit classifiers.
    case cageScores(ClassifierPairCase)

    /// A layer's filters W[o, c] at index o·Cin + c (each h×h, h ≤ n) and maps X[b, c] at index b·Cin + c
    /// ((n/s)×(n/s)), n = s·(n/s).
    public struct LayerCase: Sendable, Equatable {
        public let filters: [RationalImage]
        public let outChannels: Int
        public let inChannels: Int
        public let maps: [RationalImage]
        public let stride: Int

        public init(filters: [RationalImage], outChannels: Int, inChannels: Int, maps: [RationalImage], stride: Int) {
            self.filters = filters
            self.outChannels = outChannels
            self.inChannels = inChannels
            self.maps = maps
            self.stride = stride
        }

        /// B, from the maps.
        public var batch: Int { maps.count / inChannels }
        /// The output map side n = s·m.
        var map: (rows: Int, columns: Int) { (maps[0].rows * stride, maps[0].columns * stride) }
    }

    public var task: EstimatorTask {
        switch self {
        case .sdr1d: .sdr1d
        case .sdr2d: .sdr2d
        case .batch: .batch
        case .strided: .strided
        case .layer: .layer
        case .icScores: .icScores
        case .cageScores: .cageScores
        }
    }

    /// The exact values of every task: the SDR tasks' rationals (`exactValues`), or a companion's scores in
    /// Q(√q₁, √q₂). Any undefined entry makes the case undefined (the estimator must answer with an error).
    /// `convention` applies to the SDR tasks.
    public func exactScores(_ convention: SDRConvention = .paper) throws(ReferenceError) -> [SquareRootSum] {
        switch self {
        case let .icScores(map): return try map.exactScores()
        case let .cageScores(pair): return try pair.exactScores()
        default: return try exactValues(convention).map(SquareRootSum.init)
        }
    }

    /// The exact values the estimator must approximate under `convention` (by default ⟨·⟩ over the non-zero
    /// frequencies, eq. 24 on the up-sampled grid): one for the SDR tasks, Cout·Cin (C order) for a layer. A layer
    /// with an undefined pair is undefined as a whole (the estimator must answer with an error).
    public func exactValues(_ convention: SDRConvention = .paper) throws(ReferenceError) -> [Rational] {
        let (averaging, grid) = (convention.averaging, convention.grid)
        switch self {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2):
            return [try SpectralDensityRatio.ratio(k1, k2, averaging: averaging)]
        case let .batch(kernel, samples):
            return [try SpectralDensityRatio.batch(kernel: kernel, samples: samples, averaging: averaging)]
        case let .strided(filter, samples, stride):
            return [
                try SpectralDensityRatio.strided(
                    filter: filter, samples: samples, stride: stride, averaging: averaging, activationGrid: grid)
            ]
        case let .layer(layer):
            let (n0, n1) = layer.map
            var out: [Rational] = []
            for o in 0..<layer.outChannels {
                for c in 0..<layer.inChannels {
                    let f = layer.filters[o * layer.inChannels + c]
                    var padded = [Rational](repeating: .zero, count: n0 * n1)
                    for r in 0..<f.rows { for q in 0..<f.columns { padded[r * n1 + q] = f.values[r * f.columns + q] } }
                    let maps = (0..<layer.batch).map { layer.maps[$0 * layer.inChannels + c] }
                    let filter = try RationalImage(rows: n0, columns: n1, values: padded)
                    out.append(
                        try SpectralDensityRatio.strided(
                            filter: filter, samples: maps, stride: layer.stride, averaging: averaging,
                            activationGrid: grid))
                }
            }
            return out
        case .icScores, .cageScores:
            throw .invalidArgument("the companion scores are not rational: use exactScores()")
        }
    }

    /// Where entry k of the answer sits, for messages (" at (out o, in c)" for a layer).
    func place(ofEntry k: Int) -> String {
        switch self {
        case let .layer(layer): return " at (out \(k / layer.inChannels), in \(k % layer.inChannels))"
        case let .icScores(map): return " at \(map.entryName(k))"
        case let .cageScores(pair): return " at \(pair.entryName(k))"
        default: return ""
        }
    }

    static func numbers(_ image: RationalImage) -> JSONValue { .array(image.values.map { .number($0.doubleValue) }) }
    static func shape(_ image: RationalImage) -> JSONValue { .array([.int(image.rows), .int(image.columns)]) }

    /// The protocol request (one JSON line; see README, "Fuzzing estimators").
    public func request(id: Int, convention: SDRConvention = .paper) -> JSONValue {
        var members: [JSONValue.Member] = [.init("id", .int(id)), .init("task", .string(task.rawValue))]
        switch self {
        case let .sdr1d(k1, k2):
            members += [.init("k1", Self.numbers(k1)), .init("k2", Self.numbers(k2))]
        case let .sdr2d(k1, k2):
            members += [.init("shape", Self.shape(k1)), .init("k1", Self.numbers(k1)), .init("k2", Self.numbers(k2))]
        case let .batch(kernel, samples):
            members += [
                .init("shape", Self.shape(kernel)), .init("kernel", Self.numbers(kernel)),
                .init("samples", .array(samples.map(Self.numbers))),
            ]
        case let .strided(filter, samples, stride):
            members += [
                .init("shape", Self.shape(filter)), .init("stride", .int(stride)),
                .init("filter", Self.numbers(filter)),
                .init("samples", .array(samples.map(Self.numbers))),
            ]
        case let .layer(layer):
            let (h, m) = (layer.filters[0], layer.maps[0])
            let weightsShape = [layer.outChannels, layer.inChannels, h.rows, h.columns]
            let activationsShape = [layer.batch, layer.inChannels, m.rows, m.columns]
            members += [
                .init("stride", .int(layer.stride)),
                .init("weights_shape", .array(weightsShape.map(JSONValue.int))),
                .init("weights", .array(layer.filters.flatMap { $0.values.map { JSONValue.number($0.doubleValue) } })),
                .init("activations_shape", .array(activationsShape.map(JSONValue.int))),
                .init("activations", .array(layer.maps.flatMap { $0.values.map { JSONValue.number($0.doubleValue) } })),
            ]
        case let .icScores(map): return .object(members + map.requestMembers)
        case let .cageScores(pair): return .object(members + pair.requestMembers)
        }
        return .object(members + convention.members(task))
    }

    public var json: JSONValue {
        var members: [JSONValue.Member] = [.init("task", .string(task.rawValue))]
        switch self {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2): members += [.init("k1", k1.json), .init("k2", k2.json)]
        case let .batch(kernel, samples): members += [.init("kernel", kernel.json), .init("samples", samples.json)]
        case let .strided(filter, samples, stride):
            members += [.init("filter", filter.json), .init("stride", .int(stride)), .init("samples", samples.json)]
        case let .layer(layer):
            members += [
                .init("stride", .int(layer.stride)), .init("outChannels", .int(layer.outChannels)),
                .init("inChannels", .int(layer.inChannels)), .init("weights", layer.filters.json),
                .init("activations", layer.maps.json),
            ]
        case let .icScores(map): members += map.jsonMembers
        case let .cageScores(pair): members += pair.jsonMembers
        }
        return .object(members)
    }
}

extension Domain {
    /// Dyadic entries p/2^k: small integers first, then halves, quarters…, and now and then a large
    /// dynamic range (scaled by 2^±20) — all exactly representable as Doubles.
    /// One generator, no combinators (it draws every entry of a dense array): the choices of
    /// `Gen.weighted((8, int(−9…9)), (3, zip(int(−64…64), int(1…6))), (1, zip(int(−9…9), bool)))`.
    public static var dyadic: Gen<Rational> {
        let weights: [UInt64] = [8, 3, 1]
        return Gen { source in
            switch try source.drawIndex(weights: weights, total: 12) {
            case 0: return Rational(try source.drawInt(in: -9, 9))
            case 1:
                let p = try source.drawInt(in: -64, 64)
                return Rational(p, timesPowerOfTwo: -(try source.drawInt(in: 1, 6)))
            default:
                let p = try source.drawInt(in: -9, 9)
                return Rational(p, timesPowerOfTwo: try source.draw(upTo: 1) == 1 ? 20 : -20)
            }
        }
    }

    static func dyadicImage(rows: Int, columns: Int) -> Gen<RationalImage> {
        vector(length: rows * columns, entry: dyadic).map {
            try RationalImage(rows: rows, columns: columns, values: $0)
        }
    }

    /// The first request of each fuzz case (`fuzzCase`), small first.
    public static func estimatorCase(_ task: EstimatorTask) -> Gen<EstimatorCase> {
        fuzzCase(task).map { $0.requests[0] }
    }
}
