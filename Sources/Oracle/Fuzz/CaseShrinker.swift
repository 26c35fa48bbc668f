import Foundation
import Reference

/// A fuzz case's JSON could not be read back (`FuzzCase(json:)`, `FuzzCase(literal:)`).
public struct CaseLiteralError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { "not a fuzz case: \(reason)" }
}

extension EstimatorCase {
    /// The arrays of the case in a fixed order: filter (k₁, kernel, weights…) first, then the maps.
    var arrays: [RationalImage] {
        switch self {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2): [k1, k2]
        case let .batch(kernel, samples): [kernel] + samples
        case let .strided(filter, samples, _): [filter] + samples
        case let .layer(layer): layer.filters + layer.maps
        case let .icScores(map): map.arrays
        case let .cageScores(pair): pair.arrays
        }
    }

    /// The case with its arrays replaced (same order and count as `arrays`; nil when they do not make one).
    func with(arrays a: [RationalImage]) -> EstimatorCase? {
        switch self {
        case .icScores: ResponseMapCase(arrays: a).map(EstimatorCase.icScores)
        case .cageScores: ClassifierPairCase(arrays: a).map(EstimatorCase.cageScores)
        case .sdr1d: .sdr1d(k1: a[0], k2: a[1])
        case .sdr2d: .sdr2d(k1: a[0], k2: a[1])
        case .batch: .batch(kernel: a[0], samples: Array(a.dropFirst()))
        case let .strided(_, _, s): .strided(filter: a[0], samples: Array(a.dropFirst()), stride: s)
        case let .layer(l):
            .layer(
                .init(
                    filters: Array(a.prefix(l.filters.count)), outChannels: l.outChannels, inChannels: l.inChannels,
                    maps: Array(a.dropFirst(l.filters.count)), stride: l.stride))
        }
    }

    /// Reads the case back from its `json`.
    public init(json: JSONValue) throws(CaseLiteralError) {
        func image(_ v: JSONValue?) throws(CaseLiteralError) -> RationalImage {
            guard case let .array(items)? = v, !items.isEmpty else { throw CaseLiteralError(reason: "an empty array") }
            var rows: [[JSONValue]] = []
            for item in items {
                if case let .array(row) = item { rows.append(row) } else { rows = [items]; break }
            }
            var values: [Rational] = []
            for entry in rows.flatMap({ $0 }) {
                guard case let .string(text) = entry, let x = Rational(text) else {
                    throw CaseLiteralError(reason: "an entry that is not a rational: \(entry.serialized())")
                }
                values.append(x)
            }
            do { return try RationalImage(rows: rows.count, columns: rows[0].count, values: values) } catch {
                throw CaseLiteralError(reason: "\(error)")
            }
        }
        func images(_ v: JSONValue?) throws(CaseLiteralError) -> [RationalImage] {
            guard case let .array(items)? = v, !items.isEmpty else { throw CaseLiteralError(reason: "no arrays") }
            var out: [RationalImage] = []
            for item in items { out.append(try image(item)) }
            return out
        }
        func int(_ key: String) throws(CaseLiteralError) -> Int {
            guard case let .int(n)? = json[key], n >= 1 else { throw CaseLiteralError(reason: "'\(key)' missing") }
            return n
        }
        guard case let .string(name)? = json["task"], let task = EstimatorTask(rawValue: name) else {
            throw CaseLiteralError(reason: "no known 'task'")
        }
        switch task {
        case .sdr1d: self = .sdr1d(k1: try image(json["k1"]), k2: try image(json["k2"]))
        case .sdr2d: self = .sdr2d(k1: try image(json["k1"]), k2: try image(json["k2"]))
        case .batch: self = .batch(kernel: try image(json["kernel"]), samples: try images(json["samples"]))
        case .strided:
            self = .strided(
                filter: try image(json["filter"]), samples: try images(json["samples"]), stride: try int("stride"))
        case .layer:
            let (filters, maps) = (try images(json["weights"]), try images(json["activations"]))
            let (cout, cin) = (try int("outChannels"), try int("inChannels"))
            guard filters.count == cout * cin, maps.count % cin == 0 else {
                throw CaseLiteralError(reason: "weights and activations do not match the channels")
            }
            self = .layer(
                .init(filters: filters, outChannels: cout, inChannels: cin, maps: maps, stride: try int("stride")))
        case .icScores, .cageScores:
            let keys =
                task == .icScores
                ? ["matrix", "offset", "prior", "xblock", "interventions"] : ["wc", "bc", "we", "be", "z", "alpha"]
            var arrays: [RationalImage] = []
            for key in keys { arrays.append(try image(json[key])) }
            let template: EstimatorCase? =
                task == .icScores
                ? ResponseMapCase(arrays: arrays).map(EstimatorCase.icScores)
                : ClassifierPairCase(arrays: arrays).map(EstimatorCase.cageScores)
            guard let template else { throw CaseLiteralError(reason: "the arrays do not make a \(name) case") }
            self = template
        }
    }
}

extension FuzzCase {
    /// Reads a case back from its `json` (one request, or `{"stream": […]}`); families are not kept.
    public init(json: JSONValue) throws(CaseLiteralError) {
        if case let .array(items)? = json["stream"] {
            var requests: [EstimatorCase] = []
            for item in items { requests.append(try EstimatorCase(json: item)) }
            guard !requests.isEmpty else { throw CaseLiteralError(reason: "an empty stream") }
            self.init(requests, convention: try SDRConvention(json: json))
        } else {
            self.init([try EstimatorCase(json: json)], convention: try SDRConvention(json: json))
        }
    }

    /// "c1." and the case's JSON in URL-safe base64: the replay string of a shrunk case, which need not be one the
    /// generator draws.
    public var literal: String {
        let base64 = Data(json.serialized().utf8).base64EncodedString()
        return "c1."
            + base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a `literal`.
    public init(literal text: String) throws(CaseLiteralError) {
        guard text.hasPrefix("c1.") else { throw CaseLiteralError(reason: "a case literal starts with 'c1.'") }
        var base64 = text.dropFirst(3).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let json = try? JSONValue(parsing: String(decoding: data, as: UTF8.self))
        else { throw CaseLiteralError(reason: "not base64 JSON") }
        try self.init(json: json)
    }

    /// (number of entries, Σ entry costs): what the shrinker lowers, lexicographically.
    /// (number of entries, Σ entry costs, Σ positions of the non-zero entries): what the shrinker lowers,
    /// lexicographically — the last moves non-zero entries towards the origin.
    var measure: CaseShrinker.Measure {
        var m = CaseShrinker.Measure(entries: 0, cost: 0, positions: 0)
        for r in requests {
            for a in r.arrays {
                m.entries += a.values.count
                for (j, x) in a.values.enumerated() where !x.isZero {
                    m.cost += CaseShrinker.cost(x)
                    m.positions += j
                }
            }
        }
        m.convention = (convention.averaging == .nonZero ? 0 : 1) + (convention.grid == .upsampled ? 0 : 1)
        return m
    }
}

/// Shrinks a failing fuzz case at the level of its values, towards fewer entries and then simpler ones:
/// - lengths first: for each axis length d, the smallest lengths with d's residue mod 2, 3 and 4, d/2, d/3, d/5,
///   d − 2 and d − 1, smallest first; each keeps the entries that carry the failure — the first or the last ones,
///   the non-zero ones packed, the array folded (aliased: every frequency a multiple of d/L kept) or decimated,
///   or one entry dropped from the middle — the same way in every array of the case;
/// - then fewer requests, samples, channels, a smaller stride;
/// - then whole arrays (zero, scaled to [1, 2), an offset halved or removed) and single entries (0, ±1, the
///   integer part), an array repeated in the case changed everywhere alike;
/// - last, the paper's conventions (non-zero averaging, the up-sampled grid) in place of the case's.
/// A candidate is kept when `fails` says it fails the same way and its `FuzzCase.measure` is smaller.
struct CaseShrinker {
    let fails: (FuzzCase) -> Bool
    var best: FuzzCase
    let limits: ShrinkLimits
    let deadline: ContinuousClock.Instant
    private(set) var attempts = 0
    private(set) var steps = 0
    private(set) var stopped = false
    private var seen: Set<String> = []

    init(_ initial: FuzzCase, limits: ShrinkLimits, fails: @escaping (FuzzCase) -> Bool) {
        self.best = initial
        self.limits = limits
        self.deadline = ContinuousClock().now.advanced(by: limits.timeLimit)
        self.fails = fails
    }

    /// Bits of numerator and denominator, one more for a sign: 0 costs 0, ±1 and 2 or 3.
    static func cost(_ x: Rational) -> Int {
        x.isZero ? 0 : x.numerator.magnitude.bitWidth + x.denominator.bitWidth + (x.signum < 0 ? 1 : 0)
    }

    struct Measure {
        var entries: Int
        var cost: Int
        var positions: Int
        /// Conventions other than the paper's: the all-frequency averaging and the native grid count one each.
        var convention = 0
    }

    static func precedes(_ a: Measure, _ b: Measure) -> Bool {
        (a.entries, a.cost, a.positions, a.convention) < (b.entries, b.cost, b.positions, b.convention)
    }

    /// Tries a candidate; true when it became the best.
    @discardableResult
    mutating func consider(_ candidate: FuzzCase?) -> Bool {
        guard !stopped, let candidate, Self.precedes(candidate.measure, best.measure),
            seen.insert(candidate.json.serialized()).inserted
        else { return false }
        if attempts >= limits.maxAttempts || steps >= limits.maxSteps || ContinuousClock().now >= deadline {
            stopped = true
            return false
        }
        attempts += 1
        guard fails(candidate) else { return false }
        best = candidate
        steps += 1
        return true
    }

    mutating func run() {
        while !stopped {
            let before = best.json
            lengths()
            structure()
            if best.json == before { entries() }
            if best.json == before { conventions() }
            if best.json == before { break }
        }
    }

    /// The paper's averaging, grid, or both, in place of the case's.
    mutating func conventions() {
        let c = best.convention
        for simpler in [SDRConvention.paper, .init(averaging: .nonZero, grid: c.grid), .init(averaging: c.averaging)] {
            var candidate = best
            candidate.convention = simpler
            if consider(candidate) { return }
        }
    }

    // MARK: lengths

    /// Smaller lengths to try for an axis of length d (≥ `minimum`), smallest first.
    static func lengths(below d: Int, minimum: Int) -> [Int] {
        var out: Set<Int> = [minimum, d - 1, d - 2]
        for q in [2, 3, 4] {
            var x = d % q
            while x < minimum { x += q }
            out.insert(x)
        }
        for p in [2, 3, 5] where d % p == 0 { out.insert(d / p) }
        return out.filter { $0 >= minimum && $0 < d }.sorted()
    }

    /// Ways of taking L of an axis's d entries (`Array` of positions to keep, or fold/decimate).
    enum Cut { case first, last, nonZero, fold, decimate, drop(Int) }

    /// The array with one axis (`columns` or rows) cut to `length` entries by `cut`; nil when the cut does not
    /// apply.
    static func cut(_ image: RationalImage, columns: Bool, to length: Int, _ cut: Cut) -> RationalImage? {
        let (r, c) = (image.rows, image.columns)
        let d = columns ? c : r
        guard length >= 1, length < d else { return nil }
        func line(_ k: Int) -> [Rational] {  // the entries across the axis at position k
            columns ? (0..<r).map { image.values[$0 * c + k] } : (0..<c).map { image.values[k * c + $0] }
        }
        var kept: [[Rational]]
        switch cut {
        case .first: kept = (0..<length).map(line)
        case .last: kept = ((d - length)..<d).map(line)
        case .nonZero:
            let lines = (0..<d).map(line).filter { $0.contains { !$0.isZero } }
            guard lines.count <= length else { return nil }
            kept =
                lines
                + Array(repeating: Array(repeating: Rational.zero, count: columns ? r : c), count: length - lines.count)
        case .fold:
            guard d % length == 0 else { return nil }
            kept = (0..<length).map { k in
                stride(from: k, to: d, by: length).map(line).reduce(
                    Array(repeating: Rational.zero, count: columns ? r : c)
                ) {
                    zip($0, $1).map { $0 + $1 }
                }
            }
        case .decimate:
            guard d % length == 0 else { return nil }
            kept = (0..<length).map { line($0 * (d / length)) }
        case .drop(let k):
            guard length == d - 1, k < d else { return nil }
            kept = (0..<d).filter { $0 != k }.map(line)
        }
        var values = [Rational](repeating: .zero, count: columns ? r * length : length * c)
        for k in 0..<length {
            for i in 0..<(columns ? r : c) {
                if columns { values[i * length + k] = kept[k][i] } else { values[k * c + i] = kept[k][i] }
            }
        }
        return try? RationalImage(rows: columns ? r : length, columns: columns ? length : c, values: values)
    }

    /// The request with an axis of its grid cut to `length` (for `strided` and `layer`, the maps' side m; the
    /// filter follows as s·m), or nil.
    static func cut(_ request: EstimatorCase, columns: Bool, to length: Int, _ how: Cut) -> EstimatorCase? {
        func all(_ images: [RationalImage]) -> [RationalImage]? {
            let cut = images.map { Self.cut($0, columns: columns, to: length, how) }
            return cut.contains { $0 == nil } ? nil : cut.map { $0! }
        }
        switch request {
        case .sdr1d, .sdr2d, .batch: return all(request.arrays).flatMap { request.with(arrays: $0) }
        case .icScores, .cageScores: return nil
        case let .strided(filter, samples, s):
            // Maps square: both axes at once (called for columns only).
            guard columns, let rows = all(samples).map({ $0.map { cut($0, columns: false, to: length, how) } }),
                !rows.contains(where: { $0 == nil }),
                let f1 = Self.cut(filter, columns: true, to: s * length, how),
                let f2 = Self.cut(f1, columns: false, to: s * length, how)
            else { return nil }
            return .strided(filter: f2, samples: rows.map { $0! }, stride: s)
        case let .layer(l):
            guard columns, let rows = all(l.maps).map({ $0.map { cut($0, columns: false, to: length, how) } }),
                !rows.contains(where: { $0 == nil })
            else { return nil }
            let n = l.stride * length
            let filters = l.filters.map { f -> RationalImage? in
                guard f.rows > n else { return f }
                return Self.cut(f, columns: true, to: n, how).flatMap { Self.cut($0, columns: false, to: n, how) }
            }
            guard !filters.contains(where: { $0 == nil }) else { return nil }
            return .layer(
                .init(
                    filters: filters.map { $0! }, outChannels: l.outChannels, inChannels: l.inChannels,
                    maps: rows.map { $0! }, stride: l.stride))
        }
    }

    /// The axes a request's length passes act on: (columns?, current length, minimum).
    static func axes(_ request: EstimatorCase) -> [(columns: Bool, length: Int, minimum: Int)] {
        switch request {
        case let .sdr1d(k1, _): [(true, k1.columns, 2)]
        case let .sdr2d(k1, _): [(true, k1.columns, 2), (false, k1.rows, 2)]
        case let .batch(kernel, _): [(true, kernel.columns, 2), (false, kernel.rows, 2)]
        case let .strided(_, samples, _): [(true, samples[0].columns, 1)]
        case let .layer(l): [(true, l.maps[0].columns, 1)]
        // Arrays of several shapes: their lengths shrink by `smaller` (a dimension, a sample fewer).
        case .icScores, .cageScores: []
        }
    }

    mutating func lengths() {
        guard let first = best.requests.first else { return }
        for axis in Self.axes(first) {
            var progress = true
            while progress, !stopped {
                progress = false
                let d = Self.axes(best.requests[0]).first { $0.columns == axis.columns }!.length
                let lengths = Self.lengths(below: d, minimum: axis.minimum)
                search: for length in lengths {
                    let cuts: [Cut] =
                        [.first, .last, .nonZero, .fold, .decimate] + (length == d - 1 ? (0..<d).map(Cut.drop) : [])
                    for how in cuts {
                        let requests = best.requests.map { Self.cut($0, columns: axis.columns, to: length, how) }
                        guard !requests.contains(where: { $0 == nil }) else { continue }
                        if consider(
                            FuzzCase(requests.map { $0! }, families: best.families, convention: best.convention))
                        {
                            progress = true; break search
                        }
                        if stopped { return }
                    }
                }
            }
        }
    }

    // MARK: structure

    /// Fewer requests, samples, channels and a smaller stride.
    mutating func structure() {
        var progress = true
        while progress, !stopped {
            progress = false
            var candidates: [FuzzCase] = []
            if best.requests.count > 1 {
                for k in best.requests.indices {
                    var r = best.requests
                    r.remove(at: k)
                    candidates.append(FuzzCase(r, families: best.families, convention: best.convention))
                }
            }
            // Every request of a stream shares the first's layout: the same change in each.
            let smaller = best.requests.map(Self.smaller)
            for k in 0..<(smaller.map(\.count).min() ?? 0) {
                candidates.append(FuzzCase(smaller.map { $0[k] }, families: best.families, convention: best.convention))
            }
            for c in candidates where consider(c) { progress = true; break }
        }
    }

    /// One sample, channel or batch element fewer, or a smaller stride (the filter cut to s′·m).
    static func smaller(_ request: EstimatorCase) -> [EstimatorCase] {
        var out: [EstimatorCase] = []
        switch request {
        case .sdr1d, .sdr2d: break
        case let .icScores(map): out = map.smaller.map(EstimatorCase.icScores)
        case let .cageScores(pair): out = pair.smaller.map(EstimatorCase.cageScores)
        case let .batch(kernel, samples):
            for k in samples.indices where samples.count > 1 {
                var s = samples
                s.remove(at: k)
                out.append(.batch(kernel: kernel, samples: s))
            }
        case let .strided(filter, samples, s):
            for k in samples.indices where samples.count > 1 {
                var rest = samples
                rest.remove(at: k)
                out.append(.strided(filter: filter, samples: rest, stride: s))
            }
            let m = samples[0].rows
            for t in 1..<s {
                if let f = cut(filter, columns: true, to: t * m, .first).flatMap({
                    cut($0, columns: false, to: t * m, .first)
                }) {
                    out.append(.strided(filter: f, samples: samples, stride: t))
                }
            }
        case let .layer(l):
            let (cout, cin, b) = (l.outChannels, l.inChannels, l.batch)
            func filters(_ o: Int, _ c: Int) -> RationalImage { l.filters[o * cin + c] }
            for o in 0..<cout where cout > 1 {
                let f = (0..<cout).filter { $0 != o }.flatMap { o2 in (0..<cin).map { filters(o2, $0) } }
                out.append(
                    .layer(.init(filters: f, outChannels: cout - 1, inChannels: cin, maps: l.maps, stride: l.stride)))
            }
            for c in 0..<cin where cin > 1 {
                let f = (0..<cout).flatMap { o in (0..<cin).filter { $0 != c }.map { filters(o, $0) } }
                let maps = (0..<b).flatMap { i in (0..<cin).filter { $0 != c }.map { l.maps[i * cin + $0] } }
                out.append(
                    .layer(.init(filters: f, outChannels: cout, inChannels: cin - 1, maps: maps, stride: l.stride)))
            }
            for i in 0..<b where b > 1 {
                let maps = (0..<b).filter { $0 != i }.flatMap { i2 in (0..<cin).map { l.maps[i2 * cin + $0] } }
                out.append(
                    .layer(.init(filters: l.filters, outChannels: cout, inChannels: cin, maps: maps, stride: l.stride)))
            }
        }
        return out
    }

    // MARK: entries

    /// Simpler values for one entry, simplest first: 0, ±1, ±2, its magnitude, its integer part, half of it
    /// (rounded towards zero: an integer, or a dyadic p/2^k with one bit less), each cheaper than `x`.
    static func simpler(_ x: Rational) -> [Rational] {
        guard !x.isZero else { return [] }
        let sign = Rational(x.signum)
        var out: [Rational] = [.zero, sign, Rational(1), sign * Rational(2), Rational(2), x.magnitude]
        if let q = try? x.numerator.quotientAndRemainder(dividingBy: x.denominator) {
            out.append(Rational(q.quotient))
            if let half = try? Rational(q.quotient.magnitude.shiftedRight(1) * BigInt(x.signum), BigInt(1)) {
                out.append(half)
            }
        }
        if !x.isInteger, let half = try? Rational(x.numerator, x.denominator.shiftedRight(1)) { out.append(half) }
        return out.filter { cost($0) < cost(x) }
    }

    /// Whole-array simplifications: zero, scaled to a largest magnitude in [1, 2), a common offset halved or
    /// removed, rolled (cyclically, along rows and then columns) so that its first non-zero row and column come first.
    static func simpler(_ image: RationalImage) -> [[Rational]] {
        let v = image.values
        guard let first = v.firstIndex(where: { !$0.isZero }) else { return [] }
        var out: [[Rational]] = [Array(repeating: .zero, count: v.count)]
        let (rows, columns) = (image.rows, image.columns)
        let row = first / columns
        let column = (0..<columns).first { c in (0..<rows).contains { !v[$0 * columns + c].isZero } } ?? 0
        if row > 0 || column > 0 {
            out.append(
                (0..<v.count).map { j in v[((j / columns + row) % rows) * columns + (j % columns + column) % columns] })
        }
        let top = v.map { $0.magnitude.doubleValue }.max() ?? 0
        let e = Int(top.exponent)
        if e != 0 { out.append(v.map { $0.multiplied(byPowerOfTwo: -e) }) }
        // The entry nearest the median stands for the offset.
        let sorted = v.sorted { $0 < $1 }
        let c = sorted[sorted.count / 2]
        if c.isInteger, c.magnitude.doubleValue >= 2 {
            out.append(v.map { $0 - c })
            out.append(v.map { $0 - c + Rational(c.numerator.shiftedRight(1)) })
        }
        return out
    }

    mutating func entries() {
        // Arrays of the case as (request, array) places, grouped by value: a repeated array changes everywhere.
        func places() -> [[(r: Int, a: Int)]] {
            var groups: [RationalImage: [(Int, Int)]] = [:]
            var order: [RationalImage] = []
            for (r, request) in best.requests.enumerated() {
                for (a, image) in request.arrays.enumerated() {
                    if groups[image] == nil { order.append(image) }
                    groups[image, default: []].append((r, a))
                }
            }
            return order.map { groups[$0]! }
        }
        func replaced(_ group: [(r: Int, a: Int)], _ values: [Rational]) -> FuzzCase? {
            var requests = best.requests
            for (r, a) in group {
                var arrays = requests[r].arrays
                guard let image = try? RationalImage(rows: arrays[a].rows, columns: arrays[a].columns, values: values)
                else { return nil }
                arrays[a] = image
                guard let request = requests[r].with(arrays: arrays) else { return nil }
                requests[r] = request
            }
            return FuzzCase(requests, families: best.families, convention: best.convention)
        }
        var g = 0
        while !stopped {
            let groups = places()
            guard g < groups.count else { return }
            let (r0, a0) = groups[g][0]
            let image = best.requests[r0].arrays[a0]
            for values in Self.simpler(image) where consider(replaced(groups[g], values)) { break }
            var j = 0
            while !stopped {
                let groups = places()
                guard g < groups.count else { break }
                let (r, a) = groups[g][0]
                let values = best.requests[r].arrays[a].values
                guard j < values.count else { break }
                for x in Self.simpler(values[j]) {
                    var changed = values
                    changed[j] = x
                    if consider(replaced(groups[g], changed)) { break }
                }
                j += 1
            }
            g += 1
        }
    }
}

extension CaseShrinker {
    /// The task's smallest cases: a defined one (Diracs at the origin, ρ = 1), then an undefined one (zero filter),
    /// then a defined one of another size (odd lengths, or stride 1): a finding all three show does not depend on the
    /// input — not on whether ρ is defined, nor on a length's parity.
    static func smallest(_ task: EstimatorTask, convention: SDRConvention = .paper) -> [FuzzCase] {
        func image(_ rows: Int, _ columns: Int, _ values: [Int]) -> RationalImage {
            try! RationalImage(rows: rows, columns: columns, values: values.map { Rational($0) })
        }
        let (one, zero) = (image(1, 1, [1]), image(1, 1, [0]))
        let (e, z) = (image(2, 2, [1, 0, 0, 0]), image(2, 2, [0, 0, 0, 0]))
        let (e1, z1) = (image(1, 2, [1, 0]), image(1, 2, [0, 0]))
        let (odd1, odd) = (image(1, 3, [1, 0, 0]), image(3, 3, [1, 0, 0, 0, 0, 0, 0, 0, 0]))
        let other: EstimatorCase =
            switch task {
            case .sdr1d: .sdr1d(k1: odd1, k2: odd1)
            case .sdr2d: .sdr2d(k1: odd, k2: odd)
            case .batch: .batch(kernel: odd, samples: [odd, odd])
            case .strided: .strided(filter: odd, samples: [odd], stride: 1)
            case .layer: .layer(.init(filters: [one], outChannels: 1, inChannels: 1, maps: [odd], stride: 1))
            case .icScores:
                // Three prior samples.
                .icScores(
                    .init(
                        matrix: .integers(1, 1, [1]), offset: .integers(1, 1, [0]), prior: .integers(3, 1, [0, 1, 2]),
                        xblock: .integers(1, 1, [1]), interventions: .integers(1, 1, [0])))
            case .cageScores:
                // Two latent samples.
                .cageScores(
                    .init(
                        treatment: .integers(1, 1, [1]), treatmentBias: .integers(1, 1, [0]),
                        effect: .integers(1, 1, [1]), effectBias: .integers(1, 1, [0]),
                        samples: .integers(2, 1, [0, 1]),
                        alpha: .integers(1, 1, [1])))
            }
        let (defined, undefined): (EstimatorCase, EstimatorCase) =
            switch task {
            case .sdr1d: (.sdr1d(k1: e1, k2: e1), .sdr1d(k1: z1, k2: z1))
            case .sdr2d: (.sdr2d(k1: e, k2: e), .sdr2d(k1: z, k2: z))
            case .batch: (.batch(kernel: e, samples: [e]), .batch(kernel: z, samples: [z]))
            case .strided:
                (.strided(filter: e, samples: [one], stride: 2), .strided(filter: z, samples: [one], stride: 2))
            case .layer:
                (
                    .layer(.init(filters: [one], outChannels: 1, inChannels: 1, maps: [one], stride: 2)),
                    .layer(.init(filters: [zero], outChannels: 1, inChannels: 1, maps: [one], stride: 2))
                )
            case .icScores: (.icScores(.smallest), .icScores(.smallestUndefined))
            case .cageScores: (.cageScores(.smallest), .cageScores(.smallestUndefined))
            }
        return [defined, undefined, other].map { FuzzCase([$0], convention: convention) }
    }
}
