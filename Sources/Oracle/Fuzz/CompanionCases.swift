import Reference

/// A linear response map over a finite prior (002, §2.1): the input of the `ic-scores` task. Every array is
/// kept as an image so the shrinker treats it like an SDR array.
public struct ResponseMapCase: Sendable, Equatable {
    /// A (n×n), b (1×n): R(N) = A N + b.
    public let matrix: RationalImage
    public let offset: RationalImage
    /// K prior samples N^k (K×n), equally weighted.
    public let prior: RationalImage
    /// The XBlock's weights L (n×n, lower triangular; entries above the diagonal are ignored).
    public let xblock: RationalImage
    /// V×n: row j holds the j-th intervention value of every dimension (𝕀_m = {values[j][m]}).
    public let interventions: RationalImage

    public init(
        matrix: RationalImage, offset: RationalImage, prior: RationalImage, xblock: RationalImage,
        interventions: RationalImage
    ) {
        self.matrix = matrix
        self.offset = offset
        self.prior = prior
        self.xblock = xblock
        self.interventions = interventions
    }

    public var dimension: Int { offset.values.count }

    var arrays: [RationalImage] { [matrix, offset, prior, xblock, interventions] }

    /// The case of `arrays`, L projected on its lower triangle (a shrunk candidate stays an XBlock); nil unless A and
    /// L are n×n, b 1×n and the prior and the interventions n wide.
    init?(arrays a: [RationalImage]) {
        guard a.count == 5, a[1].rows == 1 else { return nil }
        let n = a[1].columns
        guard a[0].rows == n, a[0].columns == n, a[2].columns == n, a[3].rows == n, a[3].columns == n,
            a[4].columns == n
        else { return nil }
        let lower = a[3].values.enumerated().map { j, x in j % n > j / n ? Rational.zero : x }
        guard let xblock = try? RationalImage(rows: n, columns: a[3].columns, values: lower) else { return nil }
        self.init(matrix: a[0], offset: a[1], prior: a[2], xblock: xblock, interventions: a[4])
    }

    /// The Reference's map: Q = 0, 𝕀_m the m-th column of the interventions.
    public func responseMap() throws(ReferenceError) -> ResponseMap {
        let n = dimension
        guard matrix.rows == n, matrix.columns == n, prior.columns == n, xblock.rows == n, xblock.columns == n,
            interventions.columns == n
        else { throw .shapeMismatch("a response map case needs A, L n×n, the prior K×n and the interventions V×n") }
        func rows(_ image: RationalImage) -> [[Rational]] {
            (0..<image.rows).map { r in Array(image.values[(r * image.columns)..<((r + 1) * image.columns)]) }
        }
        return try ResponseMap(
            matrix: rows(matrix), offset: offset.values, prior: rows(prior), xblock: rows(xblock),
            interventionValues: RationalMatrix.transpose(rows(interventions)))
    }

    /// INV[m,i] (n×n, C order), EQV[m,i] (n×n), SCN[i] (n), L_INV, L_EQV: U_{I_m} read at the intervened index m
    /// (the reading `printed-m`; at i as printed it vanishes off the diagonal), σ_i the response's population
    /// standard deviation as printed, the losses over i ≠ m as printed (Alg. 1–2). Paper 002, §2.1, eq. (5).
    public func exactScores() throws(ReferenceError) -> [SquareRootSum] {
        let map = try responseMap()
        let n = dimension
        func value(_ s: ConsistencyScore) throws(ReferenceError) -> SquareRootSum {
            // 1 − d/√σ² = 1 − (d/σ²)·√σ² (1 − d for EQV, σ² = 1).
            s.scaleSquared == .one
                ? SquareRootSum(.one - s.deficit)
                : try SquareRootSum(.one, roots: [(-(try s.deficit / s.scaleSquared), s.scaleSquared)])
        }
        var out: [SquareRootSum] = []
        for m in 0..<n {
            for i in 0..<n {
                out.append(try value(try map.invariance(m: m, i: i, index: .intervened, sigma: .response)))
            }
        }
        for m in 0..<n {
            for i in 0..<n { out.append(try value(try map.equivariance(m: m, i: i, index: .intervened))) }
        }
        for i in 0..<n { out.append(try value(try map.selfConsistency(i, sigma: .response))) }
        out.append(SquareRootSum(try map.loss(equivariant: false, allDimensions: false)))
        out.append(SquareRootSum(try map.loss(equivariant: true, allDimensions: false)))
        return out
    }

    /// The names of the answer's entries, in order, for messages.
    func entryName(_ k: Int) -> String {
        let n = dimension
        switch k {
        case ..<(n * n): return "INV[\(k / n), \(k % n)]"
        case ..<(2 * n * n): return "EQV[\((k - n * n) / n), \(k % n)]"
        case ..<(2 * n * n + n): return "SCN[\(k - 2 * n * n)]"
        default: return k == 2 * n * n + n ? "L_INV" : "L_EQV"
        }
    }
}

/// Two linear latent classifiers with logit φ(z) = w·z + b, a latent sample and the step α (004, §3.2): the
/// input of the `cage-scores` task.
public struct ClassifierPairCase: Sendable, Equatable {
    /// w_c, w_e (1×d) and the biases (1×1).
    public let treatment: RationalImage
    public let treatmentBias: RationalImage
    public let effect: RationalImage
    public let effectBias: RationalImage
    /// K latent samples z(i) (K×d).
    public let samples: RationalImage
    /// α (1×1) of the do-operation z ± α h, h = w/‖w‖.
    public let alpha: RationalImage

    public init(
        treatment: RationalImage, treatmentBias: RationalImage, effect: RationalImage, effectBias: RationalImage,
        samples: RationalImage, alpha: RationalImage
    ) {
        self.treatment = treatment
        self.treatmentBias = treatmentBias
        self.effect = effect
        self.effectBias = effectBias
        self.samples = samples
        self.alpha = alpha
    }

    var arrays: [RationalImage] { [treatment, treatmentBias, effect, effectBias, samples, alpha] }

    /// nil unless w_c, w_e are 1×d, the samples d wide and the biases and α 1×1.
    init?(arrays a: [RationalImage]) {
        guard a.count == 6, a[0].rows == 1, a[2].rows == 1, a[2].columns == a[0].columns,
            a[4].columns == a[0].columns, [a[1], a[3], a[5]].allSatisfy({ $0.values.count == 1 })
        else { return nil }
        self.init(treatment: a[0], treatmentBias: a[1], effect: a[2], effectBias: a[3], samples: a[4], alpha: a[5])
    }

    /// The Reference's classifiers (c, e); throws for a zero normal (h undefined) or mismatched lengths.
    public func classifiers() throws(ReferenceError) -> (c: LatentClassifier, e: LatentClassifier) {
        let d = treatment.values.count
        guard effect.values.count == d, samples.columns == d, treatmentBias.values.count == 1,
            effectBias.values.count == 1, alpha.values.count == 1
        else { throw .shapeMismatch("a classifier pair needs w_c, w_e and the samples of one length d, scalar b, α") }
        return (
            try LatentClassifier(weights: treatment.values, bias: treatmentBias.values[0]),
            try LatentClassifier(weights: effect.values, bias: effectBias.values[0])
        )
    }

    /// τ_GATE(c → e), τ_GATE(e → c) and Δτ for logit classifiers (the reading `printed-logit`): every GITE is
    /// α (w_e·w_c)/‖w_c‖ whatever the factual side. Paper 004, eqs. (5)–(7).
    public func exactScores() throws(ReferenceError) -> [SquareRootSum] {
        let (c, e) = try classifiers()
        let a = alpha.values[0]
        let (ce, ec) = (
            try GenerativeEffects.linearScoreGate(treatment: c, effect: e, alpha: a),
            try GenerativeEffects.linearScoreGate(treatment: e, effect: c, alpha: a)
        )
        return [
            try SquareRootSum(.zero, roots: [ce]), try SquareRootSum(.zero, roots: [ec]),
            try SquareRootSum(
                .zero, roots: [(ce.coefficient.magnitude, ce.radicand), (-ec.coefficient.magnitude, ec.radicand)]),
        ]
    }

    func entryName(_ k: Int) -> String { ["GATE(c→e)", "GATE(e→c)", "Δτ"][min(k, 2)] }
}

extension ResponseMapCase {
    /// The protocol's members: matrices as rows of numbers.
    var requestMembers: [JSONValue.Member] {
        [
            .init("matrix", Self.rows(matrix)), .init("offset", EstimatorCase.numbers(offset)),
            .init("prior", Self.rows(prior)), .init("xblock", Self.rows(xblock)),
            .init("interventions", Self.rows(interventions)), .init("u_index", .string("m")),
            .init("sigma", .string("response")),
        ]
    }

    static func rows(_ image: RationalImage) -> JSONValue {
        .array(
            (0..<image.rows).map { r in
                .array((0..<image.columns).map { .number(image.values[r * image.columns + $0].doubleValue) })
            })
    }

    /// Exact members for a case literal.
    var jsonMembers: [JSONValue.Member] {
        zip(["matrix", "offset", "prior", "xblock", "interventions"], arrays).map { .init($0, Self.exactRows($1)) }
    }

    /// Rows of exact strings (always nested, so a single row keeps its shape).
    static func exactRows(_ image: RationalImage) -> JSONValue {
        .array((0..<image.rows).map { r in .array((0..<image.columns).map { image[r, $0].json }) })
    }
}

extension ClassifierPairCase {
    var requestMembers: [JSONValue.Member] {
        [
            .init("wc", EstimatorCase.numbers(treatment)), .init("bc", .number(treatmentBias.values[0].doubleValue)),
            .init("we", EstimatorCase.numbers(effect)), .init("be", .number(effectBias.values[0].doubleValue)),
            .init("z", ResponseMapCase.rows(samples)), .init("alpha", .number(alpha.values[0].doubleValue)),
            .init("phi", .string("logit")),
        ]
    }

    var jsonMembers: [JSONValue.Member] {
        zip(["wc", "bc", "we", "be", "z", "alpha"], arrays).map { .init($0, ResponseMapCase.exactRows($1)) }
    }
}

extension RationalImage {
    /// The image without row r (nil when it has one row).
    func removing(row r: Int) -> RationalImage? {
        guard rows > 1 else { return nil }
        return try? RationalImage(
            rows: rows - 1, columns: columns,
            values: values.enumerated().filter { $0.offset / columns != r }.map(\.element))
    }

    /// The image without column c (nil when it has one column).
    func removing(column c: Int) -> RationalImage? {
        guard columns > 1 else { return nil }
        return try? RationalImage(
            rows: rows, columns: columns - 1,
            values: values.enumerated().filter { $0.offset % columns != c }.map(\.element))
    }

    /// The image without each of its rows in turn (none when it has one row).
    var rowsRemoved: [RationalImage] { (0..<rows).compactMap { removing(row: $0) } }

    /// An image of small integers, for the smallest cases (shapes fixed by their callers).
    static func integers(_ rows: Int, _ columns: Int, _ values: [Int]) -> RationalImage {
        try! RationalImage(rows: rows, columns: columns, values: values.map { Rational($0) })
    }
}

// MARK: shrinking

extension ResponseMapCase {
    /// A prior sample, an intervention value or a dimension fewer (`CaseShrinker.smaller`).
    var smaller: [ResponseMapCase] {
        var out = prior.rowsRemoved.map {
            ResponseMapCase(matrix: matrix, offset: offset, prior: $0, xblock: xblock, interventions: interventions)
        }
        out += interventions.rowsRemoved.map {
            ResponseMapCase(matrix: matrix, offset: offset, prior: prior, xblock: xblock, interventions: $0)
        }
        for j in 0..<dimension {
            guard let a = matrix.removing(row: j)?.removing(column: j), let b = offset.removing(column: j),
                let p = prior.removing(column: j), let l = xblock.removing(row: j)?.removing(column: j),
                let v = interventions.removing(column: j)
            else { continue }
            out.append(.init(matrix: a, offset: b, prior: p, xblock: l, interventions: v))
        }
        return out
    }

    /// n = 1, R(N) = N, the prior {0, 1}, 𝕀 = {0}: defined (σ² = 1/4, U = 1/2).
    public static var smallest: ResponseMapCase { line(slope: 1) }

    /// A = 0: a constant response, σ = 0, INV and SCN undefined.
    public static var smallestUndefined: ResponseMapCase { line(slope: 0) }

    /// R(N) = slope·N on n = 1, the prior {0, 1}, 𝕀 = {0}.
    static func line(slope: Int) -> ResponseMapCase {
        .init(
            matrix: .integers(1, 1, [slope]), offset: .integers(1, 1, [0]), prior: .integers(2, 1, [0, 1]),
            xblock: .integers(1, 1, [1]), interventions: .integers(1, 1, [0]))
    }
}

extension ClassifierPairCase {
    /// A latent sample or a latent dimension fewer.
    var smaller: [ClassifierPairCase] {
        var out = samples.rowsRemoved.map {
            ClassifierPairCase(
                treatment: treatment, treatmentBias: treatmentBias, effect: effect, effectBias: effectBias,
                samples: $0, alpha: alpha)
        }
        for j in 0..<treatment.columns {
            guard let wc = treatment.removing(column: j), let we = effect.removing(column: j),
                let z = samples.removing(column: j)
            else { continue }
            out.append(
                .init(
                    treatment: wc, treatmentBias: treatmentBias, effect: we, effectBias: effectBias, samples: z,
                    alpha: alpha))
        }
        return out
    }

    /// d = 1, w_c = w_e = 1, b = 0, z = 0, α = 1: GATE = 1 both ways, Δτ = 0.
    public static var smallest: ClassifierPairCase { scalar(treatment: 1) }

    /// w_c = 0: no unit normal h_c.
    public static var smallestUndefined: ClassifierPairCase { scalar(treatment: 0) }

    /// d = 1, w_c = `treatment`, w_e = 1, b = 0, z = 0, α = 1.
    static func scalar(treatment: Int) -> ClassifierPairCase {
        .init(
            treatment: .integers(1, 1, [treatment]), treatmentBias: .integers(1, 1, [0]),
            effect: .integers(1, 1, [1]), effectBias: .integers(1, 1, [0]), samples: .integers(1, 1, [0]),
            alpha: .integers(1, 1, [1]))
    }
}

// MARK: generators

extension Domain {
    /// A rows × columns image of `entry`.
    static func image(_ rows: Int, _ columns: Int, _ entry: Gen<Rational>) -> Gen<RationalImage> {
        vector(length: rows * columns, entry: entry).map { try RationalImage(rows: rows, columns: columns, values: $0) }
    }

    /// ±p·2^k, p in 1…9, k in 6…20: an offset or bias that dominates what it is added to (κ up to about 10¹⁰; beyond,
    /// the budget passes any answer and the case tests nothing).
    static var dominating: Gen<Rational> { large(6...20) }

    /// Response maps, small first: n in 1…5, K in 2…8 prior samples, V in 1…3 intervention values; now and then a
    /// large offset (the responses' differences cancel it) or a collapsed dimension (a zero row of A: undefined).
    static var responseMapCases: Gen<FuzzCase> {
        Gen.zip(ramped(1...5), ramped(2...8), ramped(1...3), Gen.int(in: 0...15)).flatMap { n, k, v, kind in
            let offset = kind < 3 ? image(1, n, dominating) : image(1, n, dyadic)
            let lower = image(n, n, dyadic).map { l in
                try RationalImage(
                    rows: n, columns: n, values: l.values.enumerated().map { j, x in j % n > j / n ? .zero : x })
            }
            return Gen.zip(
                Gen.zip(image(n, n, dyadic), offset, image(k, n, dyadic)),
                Gen.zip(lower, image(v, n, dyadic), Gen.int(in: 0...(n - 1)))
            ).map { first, second in
                var a = first.0
                let (b, p, (l, values, collapsed)) = (first.1, first.2, second)
                if kind == 15 {
                    let zeroed = a.values.enumerated().map { j, x in j / n == collapsed ? Rational.zero : x }
                    a = try RationalImage(rows: n, columns: n, values: zeroed)
                }
                let labels =
                    ["dimension \(n)", "prior \(k)"] + (kind < 3 ? ["offset dominating"] : [])
                    + (kind == 15 ? ["collapsed dimension"] : [])
                return FuzzCase(
                    [.icScores(.init(matrix: a, offset: b, prior: p, xblock: l, interventions: values))],
                    families: labels)
            }
        }
    }

    /// Classifier pairs, small first: d in 1…5, K in 1…8 latent samples, α = p/2^k > 0; now and then dominating
    /// biases, far samples (scaled by 2^12: the do-operation's step is partly lost in them) or a zero normal
    /// (undefined).
    static var classifierPairCases: Gen<FuzzCase> {
        Gen.zip(ramped(1...5), ramped(1...8), Gen.int(in: 0...15)).flatMap { d, k, kind in
            let bias = kind < 3 ? dominating : dyadic
            let samples =
                kind >= 3 && kind < 6
                ? image(k, d, dyadic).map { z in
                    try RationalImage(rows: k, columns: d, values: z.values.map { $0.multiplied(byPowerOfTwo: 12) })
                } : image(k, d, dyadic)
            let alpha = Gen.zip(Gen.int(in: 1...16), Gen.int(in: 0...4)).map { p, e in
                try RationalImage(rows: 1, columns: 1, values: [Rational(p).multiplied(byPowerOfTwo: -e)])
            }
            return Gen.zip(
                Gen.zip(image(1, d, dyadic), image(1, 1, bias), image(1, d, dyadic)),
                Gen.zip(image(1, 1, bias), samples, alpha)
            ).map { first, second in
                var (wc, bc, we) = first
                if kind == 15 { wc = try RationalImage.zeros(rows: 1, columns: d) }
                let labels =
                    ["latent dimension \(d)", "samples \(k)"] + (kind < 3 ? ["bias dominating"] : [])
                    + (kind >= 3 && kind < 6 ? ["samples far"] : []) + (kind == 15 ? ["zero normal"] : [])
                let pair = ClassifierPairCase(
                    treatment: wc, treatmentBias: bc, effect: we, effectBias: second.0, samples: second.1,
                    alpha: second.2)
                return FuzzCase([.cageScores(pair)], families: labels)
            }
        }
    }
}
