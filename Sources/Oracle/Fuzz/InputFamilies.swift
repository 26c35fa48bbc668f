import Reference

/// One fuzz case: the requests sent, in order, to one estimator process — one request, or a stream of three that
/// repeats one argument while changing the other ((x, y), (x, y′), (x′, y′)) — and the input families it was drawn
/// from, counted in the report's coverage.
public struct FuzzCase: Sendable, Equatable, JSONRenderable {
    public var requests: [EstimatorCase]
    public var families: [String]
    /// The conventions every request of the case asks for (its `averaging` and `grid` fields).
    public var convention: SDRConvention

    public init(_ requests: [EstimatorCase], families: [String] = [], convention: SDRConvention = .paper) {
        self.requests = requests
        self.families = families
        self.convention = convention
    }

    /// The request's JSON, or `{"stream": [request, …]}` for a stream; a convention other than the paper's adds its
    /// `averaging` and `grid` members.
    public var json: JSONValue {
        let conventionMembers = convention == .paper ? [] : convention.members(requests[0].task)
        guard requests.count == 1 else {
            return .object([.init("stream", .array(requests.map(\.json)))] + conventionMembers)
        }
        guard case let .object(members) = requests[0].json else { return requests[0].json }
        return .object(members + conventionMembers)
    }

    /// The protocol request lines of the case, ids from `firstId`.
    public func protocolRequests(firstId: Int = 0) -> [JSONValue] {
        requests.enumerated().map { $1.request(id: firstId + $0, convention: convention) }
    }
}

/// How one array of a case is drawn; the raw value names it in the report's coverage ("array <name>").
public enum ArrayFamily: String, Sendable, CaseIterable {
    /// Dyadic entries (`Domain.dyadic`).
    case dense
    /// A constant offset ±p·2^k (k in 4…30) plus small integers: the zero frequency carries almost all the power.
    case offsetDominated = "offset-dominated"
    /// A square wave ±p·2^k (k in 4…20) plus small integers: one frequency carries most of the power.
    case oneFrequency = "one-frequency"
    /// Small integers times 2^e, e in ±20, ±40, ±60.
    case scaled
    /// All zero: ρ undefined.
    case zero
    /// One non-zero value everywhere: no power at u ≠ 0, ρ undefined (eq. 8).
    case constant
    /// One non-zero entry: a flat spectrum, ρ = 1 against any defined partner.
    case dirac
    /// Two non-zero entries.
    case diracPair = "dirac-pair"
    /// A non-zero value on the diagonal (arrays with several rows and columns).
    case eye

    /// Weights out of 16: dense 5, offset-dominated 2, one-frequency 1, scaled 2, zero 1, constant 1, dirac 2,
    /// dirac-pair 2; on an array with several rows and columns an eye takes one of the dense draws.
    static func weights(rows: Int, columns: Int) -> [(family: ArrayFamily, weight: Int)] {
        let eye = rows > 1 && columns > 1
        return [
            (.dense, eye ? 4 : 5), (.offsetDominated, 2), (.oneFrequency, 1), (.scaled, 2), (.zero, 1), (.constant, 1),
            (.dirac, 2), (.diracPair, 2),
        ] + (eye ? [(.eye, 1)] : [])
    }
}

/// The classes lengths are drawn from, a quarter each once they exist below the size's cap.
public enum LengthClass: String, Sendable, CaseIterable {
    case powerOfTwo = "power of two"
    /// Odd primes (2 is a power of two).
    case prime
    case oddComposite = "odd composite"
    /// Even, not a power of two.
    case evenComposite = "even composite"

    public init?(_ d: Int) {
        guard d >= 2 else { return nil }
        if d & (d - 1) == 0 {
            self = .powerOfTwo
        } else if d % 2 == 0 {
            self = .evenComposite
        } else {
            var p = 3
            while p * p <= d && d % p != 0 { p += 2 }
            self = p * p <= d ? .oddComposite : .prime
        }
    }
}

/// A drawn value with the coverage labels of how it was drawn.
struct Labelled<T: Sendable>: Sendable {
    var value: T
    var labels: [String]
}

extension Domain {
    /// An integer in `range`, sampled from its lower part in proportion to the size parameter (small first); the
    /// recorded bound is the whole range, so a replay does not depend on the size.
    static func ramped(_ range: ClosedRange<Int>) -> Gen<Int> {
        Gen { source in
            let span = UInt64(range.upperBound - range.lowerBound)
            let size = UInt64(max(0, min(source.size, ChoiceSource.maxSize)))
            return range.lowerBound + Int(try source.draw(upTo: span, sampleUpTo: span * size / 100))
        }
    }

    /// A length in `range` (≥ 2): a `LengthClass` with a member between the lower bound and the size's cap, chosen
    /// uniformly, then a member of it uniformly. The cap grows from the lower bound (size 0) to the upper (100).
    static func length(_ range: ClosedRange<Int>) -> Gen<Int> {
        // The classes below each cap, computed once.
        let byTop = range.map { top in
            LengthClass.allCases.map { c in (range.lowerBound...top).filter { LengthClass($0) == c } }
                .filter { !$0.isEmpty }
        }
        return Gen { source in
            let size = max(0, min(source.size, ChoiceSource.maxSize))
            let top = range.lowerBound + (range.upperBound - range.lowerBound) * size / 100
            let classes = byTop[top - range.lowerBound]
            let members = classes[Int(try source.draw(upTo: UInt64(classes.count - 1)))]
            return members[Int(try source.draw(upTo: UInt64(members.count - 1)))]
        }
    }

    static func lengthLabel(_ d: Int) -> String { "length " + (LengthClass(d)?.rawValue ?? "one") }

    /// ±1…±9.
    static var nonZeroSmall: Gen<Int> { Gen.zip(Gen.int(in: 1...9), Gen.bool).map { p, negative in negative ? -p : p } }

    /// ±p·2^k, p in 1…9, k in `exponents`.
    static func large(_ exponents: ClosedRange<Int>) -> Gen<Rational> {
        Gen.zip(nonZeroSmall, Gen.int(in: exponents)).map { p, k in Rational(p, timesPowerOfTwo: k) }
    }

    /// `large` as an Int, for exponents 0…50.
    static func largeInteger(_ exponents: ClosedRange<Int>) -> Gen<Int> {
        precondition(exponents.lowerBound >= 0 && exponents.upperBound <= 50, "largeInteger needs 2^k·9 in an Int")
        return Gen.zip(nonZeroSmall, Gen.int(in: exponents)).map { p, k in p << k }
    }

    /// An array of `family` on a rows × columns grid (entries in C order).
    static func array(_ family: ArrayFamily, rows: Int, columns: Int) -> Gen<RationalImage> {
        let n = rows * columns
        // Small integers −9…9 (the same choices as entries `Rational(−9…9)`), made Rationals once combined.
        let small = Gen.array(of: Gen.int(in: -9...9), count: n...n)
        @Sendable func image(_ values: [Rational]) throws -> RationalImage {
            try RationalImage(rows: rows, columns: columns, values: values)
        }
        @Sendable func sparse(_ entries: [(Int, Int)]) throws -> RationalImage {
            var values = [Rational](repeating: .zero, count: n)
            for (j, p) in entries { values[j] = Rational(p) }
            return try image(values)
        }
        switch family {
        case .dense: return dyadicImage(rows: rows, columns: columns)
        case .offsetDominated:
            return Gen.zip(largeInteger(4...30), small).map { c, v in try image(v.map { Rational(c + $0) }) }
        case .oneFrequency:
            return Gen.zip(largeInteger(4...20), Gen.int(in: 1...max(1, n / 2)), small).map { c, half, v in
                try image(v.enumerated().map { j, x in Rational((j / half) % 2 == 0 ? x + c : x - c) })
            }
        case .scaled:
            return Gen.zip(Gen.element(of: [20, -20, 40, -40, 60, -60]), small).map { e, v in
                try image(v.map { Rational($0, timesPowerOfTwo: e) })
            }
        case .zero: return Gen { _ in try image([Rational](repeating: .zero, count: n)) }
        case .constant: return nonZeroSmall.map { p in try image([Rational](repeating: Rational(p), count: n)) }
        case .dirac: return Gen.zip(Gen.int(in: 0...(n - 1)), nonZeroSmall).map { j, p in try sparse([(j, p)]) }
        case .diracPair:
            guard n >= 2 else { return array(.dirac, rows: rows, columns: columns) }
            return Gen.zip(Gen.int(in: 0...(n - 1)), Gen.int(in: 0...(n - 2)), nonZeroSmall, nonZeroSmall).map {
                i, j, p, q in try sparse([(i, p), (j >= i ? j + 1 : j, q)])
            }
        case .eye:
            return nonZeroSmall.map { p in try sparse((0..<min(rows, columns)).map { ($0 * columns + $0, p) }) }
        }
    }

    /// An array from a family drawn at the stated weights (`ArrayFamily.weights`). The families' generators are
    /// built here when `prebuilt` (for a generator kept per shape), else only the drawn one's, per draw.
    static func familyArray(rows: Int, columns: Int, prebuilt: Bool = false) -> Gen<Labelled<RationalImage>> {
        Gen.weighted(
            ArrayFamily.weights(rows: rows, columns: columns).map { family, weight in
                let label = ["array " + family.rawValue]
                if prebuilt {
                    return (
                        weight, array(family, rows: rows, columns: columns).map { Labelled(value: $0, labels: label) }
                    )
                }
                return (
                    weight,
                    Gen { source in
                        Labelled(value: try array(family, rows: rows, columns: columns).run(&source), labels: label)
                    }
                )
            })
    }

    /// `count` arrays, each from its own family.
    static func familyArrays(_ count: Int, rows: Int, columns: Int) -> Gen<Labelled<[RationalImage]>> {
        Gen.array(of: familyArray(rows: rows, columns: columns), count: count...count).map {
            // Closures, not key paths: a key path into the generic `Labelled` is built at run time on every call.
            Labelled(value: $0.map { $0.value }, labels: $0.flatMap { $0.labels })
        }
    }

    /// B samples: independent (4 of 6), identical (1: one array B times) or very unequal (1: independent, the first
    /// scaled by 2^30 or 2^−30).
    static func sampleSet(_ b: Int, rows: Int, columns: Int) -> Gen<Labelled<[RationalImage]>> {
        let one = familyArray(rows: rows, columns: columns)
        return Gen.weighted(
            (
                4,
                familyArrays(b, rows: rows, columns: columns).map {
                    Labelled(value: $0.value, labels: $0.labels + ["samples independent"])
                }
            ),
            (
                1,
                one.map {
                    Labelled(value: Array(repeating: $0.value, count: b), labels: $0.labels + ["samples identical"])
                }
            ),
            (
                1,
                Gen.zip(familyArrays(b, rows: rows, columns: columns), Gen.bool).map { drawn, up in
                    var samples = drawn.value
                    samples[0] = try RationalImage(
                        rows: rows, columns: columns,
                        values: samples[0].values.map { $0.multiplied(byPowerOfTwo: up ? 30 : -30) })
                    return Labelled(value: samples, labels: drawn.labels + ["samples unequal"])
                }
            ))
    }

    /// A case of two arguments: one request (7 of 8), or a stream (1 of 8) of (x, y), (x, y′), (x′, y′) in one
    /// process — an estimator keeping state across requests answers the second or third from the first.
    static func twoArguments<A: Sendable, B: Sendable>(
        _ first: Gen<Labelled<A>>, _ second: Gen<Labelled<B>>, labels: [String],
        _ make: @escaping @Sendable (A, B) throws -> EstimatorCase
    ) -> Gen<FuzzCase> {
        Gen.weighted(
            (
                7,
                Gen.zip(first, second).map { x, y in
                    FuzzCase([try make(x.value, y.value)], families: labels + x.labels + y.labels)
                }
            ),
            (
                1,
                Gen.zip(Gen.zip(first, second), Gen.zip(second, first)).map { xy, yx in
                    let (x, y, y2, x2) = (xy.0, xy.1, yx.0, yx.1)
                    return FuzzCase(
                        [try make(x.value, y.value), try make(x.value, y2.value), try make(x2.value, y2.value)],
                        families: labels + ["stream"] + x.labels + y.labels + y2.labels + x2.labels)
                }
            ))
    }

    /// Fuzz cases for an estimator task under one of `conventions` (drawn uniformly when there are several; the grid
    /// only for the tasks that have one), small first.
    public static func fuzzCase(_ task: EstimatorTask, conventions: [SDRConvention]) -> Gen<FuzzCase> {
        let distinct = (task.isCompanion ? [.paper] : conventions).reduce(into: [SDRConvention]()) { out, c in
            let kept = task.hasGrid ? c : SDRConvention(averaging: c.averaging)
            if !out.contains(kept) { out.append(kept) }
        }
        guard distinct.count > 1 else {
            let only = distinct.first ?? .paper
            return fuzzCase(task).map { c in
                var c = c
                c.convention = only
                if only != .paper { c.families += only.labels(task) }
                return c
            }
        }
        return Gen.zip(Gen.int(in: 0...(distinct.count - 1)), fuzzCase(task)).map { k, c in
            var c = c
            c.convention = distinct[k]
            c.families += distinct[k].labels(task)
            return c
        }
    }

    /// Fuzz cases for an estimator task, small first: lengths, shapes and counts grow with the size parameter.
    public static func fuzzCase(_ task: EstimatorTask) -> Gen<FuzzCase> {
        switch task {
        // Each length's or shape's generator is built once, not per case.
        case .sdr1d:
            let byLength = (2...64).map { d in
                twoArguments(
                    familyArray(rows: 1, columns: d, prebuilt: true), familyArray(rows: 1, columns: d, prebuilt: true),
                    labels: [lengthLabel(d)]
                ) {
                    .sdr1d(k1: $0, k2: $1)
                }
            }
            return length(2...64).flatMap { d in byLength[d - 2] }
        case .sdr2d:
            let byShape = (2...8).map { r in
                (2...8).map { c in
                    twoArguments(
                        familyArray(rows: r, columns: c, prebuilt: true),
                        familyArray(rows: r, columns: c, prebuilt: true),
                        labels: [r == c ? "shape square" : "shape non-square"]
                    ) { .sdr2d(k1: $0, k2: $1) }
                }
            }
            return Gen.zip(length(2...8), length(2...8)).flatMap { r, c in byShape[r - 2][c - 2] }
        case .batch:
            return Gen.zip(length(2...6), length(2...6), ramped(1...4)).flatMap { r, c, b in
                twoArguments(
                    familyArray(rows: r, columns: c), sampleSet(b, rows: r, columns: c),
                    labels: [r == c ? "shape square" : "shape non-square"]
                ) { .batch(kernel: $0, samples: $1) }
            }
        case .strided:
            // (n, s) by growing n; m = n/s.
            let shapes: [(n: Int, s: Int)] = [
                (2, 2), (4, 1), (4, 2), (6, 2), (6, 3), (8, 2), (8, 4), (9, 3), (10, 2), (12, 3),
            ]
            return Gen.zip(ramped(0...(shapes.count - 1)), ramped(1...3)).flatMap { index, b in
                let (n, s) = shapes[index]
                let m = n / s
                return twoArguments(
                    familyArray(rows: n, columns: n), sampleSet(b, rows: m, columns: m),
                    labels: [m % s == 0 ? "stride divides m" : "stride does not divide m"]
                ) { .strided(filter: $0, samples: $1, stride: s) }
            }
        case .layer:
            let shapes: [(n: Int, s: Int)] = [(2, 2), (4, 1), (4, 2), (6, 2), (6, 3), (8, 2)]
            return Gen.zip(ramped(0...(shapes.count - 1)), ramped(1...3), ramped(1...3), ramped(1...2)).flatMap {
                index, cout, cin, b in
                let (n, s) = shapes[index]
                return ramped(1...n).flatMap { h in
                    twoArguments(
                        familyArrays(cout * cin, rows: h, columns: h),
                        familyArrays(b * cin, rows: n / s, columns: n / s),
                        labels: [h % s == 0 ? "stride divides h" : "stride does not divide h"]
                    ) { .layer(.init(filters: $0, outChannels: cout, inChannels: cin, maps: $1, stride: s)) }
                }
            }
        case .icScores: return responseMapCases
        case .cageScores: return classifierPairCases
        }
    }
}
