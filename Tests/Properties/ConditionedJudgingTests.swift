import Fast
import Foundation
import Oracle
import Reference
import Testing

/// The judge's budget factor · u · (κ + 1) (`Conditioning`) against planted estimators: correct float64 ones
/// (Fast's FFT, a DFT matrix) pass on ill-conditioned inputs — a constant offset of 9·2²⁰, scalings by 2^±40 —
/// where the old fixed 1e-9 would have flagged them; float32 arithmetic, a subtractive ⟨|k̂|²⟩ and a threshold
/// on small power are caught.
@Suite struct ConditionedJudgingTests {
    /// A planted SDR estimator: every task as eq. (24) on the filter's grid (eqs. 8 and 23: maps on the same grid).
    struct Planted {
        enum Transform { case fft, dftMatrix }
        enum Shortcut {
            case none
            /// ⟨·⟩ over the non-zero frequencies as (Σ_all − the u = 0 term)/f.
            case subtractive
            /// Answers 1 (or refuses, `refuse`) when the non-zero power is below 1e-6 of the total.
            case threshold(refuse: Bool)
        }
        var name: String
        var transform = Transform.fft
        var float32 = false
        var shortcut = Shortcut.none

        struct Undefined: Error {}
        struct Refused: Error {}

        var estimator: SwiftEstimator { SwiftEstimator(name: name, values: { try self.values($0) }) }

        func values(_ input: EstimatorCase) throws -> [Double] {
            switch input {
            case let .sdr1d(k1, k2), let .sdr2d(k1, k2): return [try sdr(k1, (k1.rows, k1.columns), [k2])]
            case let .batch(kernel, samples): return [try sdr(kernel, (kernel.rows, kernel.columns), samples)]
            case let .strided(filter, samples, _): return [try sdr(filter, (filter.rows, filter.columns), samples)]
            case let .layer(layer):
                let m = layer.maps[0]
                var out: [Double] = []
                for o in 0..<layer.outChannels {
                    for c in 0..<layer.inChannels {
                        let maps = (0..<layer.batch).map { layer.maps[$0 * layer.inChannels + c] }
                        out.append(
                            try sdr(
                                layer.filters[o * layer.inChannels + c],
                                (m.rows * layer.stride, m.columns * layer.stride),
                                maps))
                    }
                }
                return out
            case .icScores, .cageScores: throw Undefined()
            }
        }

        func sdr(_ filter: RationalImage, _ n: (Int, Int), _ maps: [RationalImage]) throws -> Double {
            float32 ? Double(try sdr(Float.self, filter, n, maps)) : try sdr(Double.self, filter, n, maps)
        }

        func sdr<T: BinaryFloatingPoint>(_: T.Type, _ filter: RationalImage, _ n: (Int, Int), _ maps: [RationalImage])
            throws -> T
        {
            let m = (maps[0].rows, maps[0].columns)
            var padded = [T](repeating: 0, count: n.0 * n.1)
            for r in 0..<filter.rows {
                for c in 0..<filter.columns {
                    padded[r * n.1 + c] = T(filter.values[r * filter.columns + c].doubleValue)
                }
            }
            let f = power(padded, n)
            var p = [T](repeating: 0, count: m.0 * m.1)
            for map in maps {
                let q = power(map.values.map { T($0.doubleValue) }, m)
                for w in p.indices { p[w] += q[w] }
            }
            for w in p.indices { p[w] /= T(maps.count) }
            func folded(_ u: Int) -> Int { (u / n.1 % m.0) * m.1 + (u % n.1) % m.1 }
            var joint: T = 0, filterPower: T = 0, mapPower: T = 0, filterTotal: T = 0, mapTotal: T = 0
            let subtractive = if case .subtractive = shortcut { true } else { false }
            for u in (subtractive ? 0 : 1)..<(n.0 * n.1) {
                joint += f[u] * p[folded(u)]
                filterPower += f[u]
                mapPower += p[folded(u)]
            }
            if subtractive { joint -= f[0] * p[0]; filterPower -= f[0]; mapPower -= p[0] }
            for u in 0..<(n.0 * n.1) { filterTotal += f[u]; mapTotal += p[folded(u)] }
            if case let .threshold(refuse) = shortcut {
                if filterPower < filterTotal / 1_000_000 || mapPower < mapTotal / 1_000_000 {
                    if refuse { throw Refused() }
                    return 1
                }
            }
            // Undefined as Fast reads it: no more power at u ≠ 0 than (64u)² of the total — rounding noise (a DFT
            // matrix puts about (u·N)² of a constant kernel's power there).
            let floor = (32 * T.ulpOfOne) * (32 * T.ulpOfOne)
            guard filterPower > floor * filterTotal, mapPower > floor * mapTotal else { throw Undefined() }
            let count = T(n.0 * n.1 - 1)
            return (joint / count) / ((filterPower / count) * (mapPower / count))
        }

        /// |x̂|² on a grid: Fast's FFT (float64), or the DFT matrix in T with twiddles rounded to T.
        func power<T: BinaryFloatingPoint>(_ x: [T], _ grid: (Int, Int)) -> [T] {
            let (rows, columns) = grid, count = rows * columns
            if transform == .fft, let doubles = x as? [Double] {
                let (re, im) = try! FFT.realForward2D(doubles, rows: rows, columns: columns)
                return (0..<count).map { re[$0] * re[$0] + im[$0] * im[$0] } as! [T]
            }
            var out = [T](repeating: 0, count: count)
            for u0 in 0..<rows {
                for u1 in 0..<columns {
                    var re: T = 0, im: T = 0
                    for j0 in 0..<rows {
                        for j1 in 0..<columns {
                            // 2π(u0·j0/R + u1·j1/C), reduced exactly.
                            let phase = (u0 * j0 * columns + u1 * j1 * rows) % count
                            let angle = 2 * Double.pi * Double(phase) / Double(count)
                            let v = x[j0 * columns + j1]
                            re += v * T(cos(angle))
                            im -= v * T(sin(angle))
                        }
                    }
                    out[u0 * columns + u1] = re * re + im * im
                }
            }
            return out
        }
    }

    static let fft = Planted(name: "float64 FFT (Fast)")
    static let dft = Planted(name: "float64 DFT matrix", transform: .dftMatrix)
    static let float32 = Planted(name: "float32 DFT matrix", transform: .dftMatrix, float32: true)
    static let subtractive = Planted(name: "subtractive ⟨|k̂|²⟩", shortcut: .subtractive)
    static let thresholdOne = Planted(name: "threshold → 1", shortcut: .threshold(refuse: false))
    static let thresholdRefuse = Planted(name: "threshold → error", shortcut: .threshold(refuse: true))

    // MARK: cases

    /// Deterministic small integers in −a…a.
    static func pattern(_ count: Int, seed: UInt64, amplitude a: Int) -> [Int] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(2 * a + 1)) - a
        }
    }

    static func image(_ rows: Int, _ columns: Int, _ values: [Rational]) -> RationalImage {
        try! RationalImage(rows: rows, columns: columns, values: values)
    }

    /// offset + small integers (−a…a) on a grid.
    static func offset(_ rows: Int, _ columns: Int, _ offset: Int, seed: UInt64, amplitude: Int = 1) -> RationalImage {
        image(rows, columns, pattern(rows * columns, seed: seed, amplitude: amplitude).map { Rational(offset + $0) })
    }

    /// Small integers (1…9 in magnitude, signs varying) times 2^e.
    static func scaled(_ rows: Int, _ columns: Int, _ e: Int, seed: UInt64) -> RationalImage {
        image(
            rows, columns,
            pattern(rows * columns, seed: seed, amplitude: 9).map {
                Rational($0 == 0 ? 5 : $0).multiplied(byPowerOfTwo: e)
            })
    }

    static let bigOffset = 9 << 20

    /// Ill-conditioned and extreme-scale cases, each named.
    static let hardCases: [(String, EstimatorCase)] = [
        (
            "sdr1d d=61 offset 9·2^20 ±1",
            .sdr1d(k1: offset(1, 61, bigOffset, seed: 1), k2: offset(1, 61, bigOffset, seed: 2))
        ),
        (
            "sdr1d d=64 offset 9·2^20 ±9",
            .sdr1d(
                k1: offset(1, 64, bigOffset, seed: 3, amplitude: 9), k2: offset(1, 64, bigOffset, seed: 4, amplitude: 9)
            )
        ),
        (
            "sdr1d d=32 offset 9·2^30 ±1",
            .sdr1d(k1: offset(1, 32, 9 << 30, seed: 5), k2: offset(1, 32, 9 << 30, seed: 6))
        ),
        (
            "sdr1d d=61 offset 9·2^30 ±1",
            .sdr1d(k1: offset(1, 61, 9 << 30, seed: 1), k2: offset(1, 61, 9 << 30, seed: 2))
        ),
        (
            "sdr1d d=45 offset 9·2^20 ±1",
            .sdr1d(k1: offset(1, 45, bigOffset, seed: 31), k2: offset(1, 45, bigOffset, seed: 32))
        ),
        (
            "sdr2d 8×8 offset 9·2^20 ±1",
            .sdr2d(k1: offset(8, 8, bigOffset, seed: 7), k2: offset(8, 8, bigOffset, seed: 8))
        ),
        (
            "batch 6×6 offset 9·2^20 ±1, B=3",
            .batch(
                kernel: offset(6, 6, bigOffset, seed: 9), samples: (10..<13).map { offset(6, 6, bigOffset, seed: $0) })
        ),
        (
            "strided 8×8 s=2 filter offset 9·2^20 ±1, B=2",
            .strided(
                filter: offset(8, 8, bigOffset, seed: 13),
                samples: [offset(4, 4, 3, seed: 14), offset(4, 4, 3, seed: 15)],
                stride: 2)
        ),
        (
            "layer 2×2 of 8×8 filters, s=2, offset 9·2^20 ±1",
            .layer(
                .init(
                    filters: (16..<20).map { offset(8, 8, bigOffset, seed: $0) }, outChannels: 2, inChannels: 2,
                    maps: (20..<24).map { offset(4, 4, 2, seed: $0, amplitude: 3) }, stride: 2))
        ),
        ("sdr1d d=33 k1·2^40, k2·2^-40", .sdr1d(k1: scaled(1, 33, 40, seed: 24), k2: scaled(1, 33, -40, seed: 25))),
        ("sdr2d 6×6 k1·2^-40, k2·2^40", .sdr2d(k1: scaled(6, 6, -40, seed: 26), k2: scaled(6, 6, 40, seed: 27))),
        (
            "sdr1d d=16 entries ·2^40 and ·2^-40 mixed",
            .sdr1d(
                k1: image(
                    1, 16,
                    scaled(1, 16, 0, seed: 28).values.enumerated().map {
                        $1.multiplied(byPowerOfTwo: $0 % 2 == 0 ? 40 : -40)
                    }
                ),
                k2: scaled(1, 16, 0, seed: 29))
        ),
    ]

    /// A well-conditioned case: small integers.
    static let plain = EstimatorCase.sdr1d(
        k1: image(1, 16, pattern(16, seed: 30, amplitude: 9).map { Rational($0) }),
        k2: image(1, 16, pattern(16, seed: 31, amplitude: 9).map { Rational($0) }))

    static func line(_ name: String, _ estimator: String, _ j: Fuzzer.Judgement) -> String {
        let r = j.furthest
        return "\(estimator) on \(name): E = \(r.map { "\($0.relativeError)" } ?? "—"), "
            + (r.map(\.summary) ?? "no reading") + (j.finding.map { "; finding [\($0.kind)]" } ?? "; passes")
    }

    // MARK: tests

    @Test func correctFloat64EstimatorsPassOnIllConditionedCases() throws {
        var flaggedBefore = 0
        for (name, input) in Self.hardCases {
            for planted in [Self.fft, Self.dft] {
                let j = Fuzzer.judge(input, planted.estimator)
                print(Self.line(name, planted.name, j))
                #expect(j.finding == nil, "\(planted.name) on \(name): \(j.finding?.message ?? "")")
                let r = try #require(j.furthest)
                // Far inside the budget, not just under it.
                #expect(r.errorInBudgets < 0.25, "\(planted.name) on \(name): \(r.summary)")
                if Fuzzer.judge(input, planted.estimator, tolerance: 1e-9).finding != nil { flaggedBefore += 1 }
            }
        }
        // The offset cases are ones where the old fixed tolerance flagged correct estimators: the DFT matrix on most,
        // Fast's FFT where its length is not a power of two (Bluestein's and Rader's convolutions round more).
        #expect(flaggedBefore >= 5)
        for (planted, index) in [(Self.dft, 2), (Self.fft, 3), (Self.dft, 5)] {
            let (name, input) = Self.hardCases[index]
            let old = Fuzzer.judge(input, planted.estimator, tolerance: 1e-9)
            #expect(
                old.finding?.kind == .tolerance, "\(planted.name) on \(name) within 1e-9: \(old.relativeError ?? 0)")
            #expect(old.finding?.message.contains("> tolerance 1e-09") == true)
        }
    }

    @Test func correctFloat64EstimatorsPassTheFuzzerOnEveryTask() throws {
        for task in EstimatorTask.allCases where !task.isCompanion {
            for planted in [Self.fft, Self.dft] {
                let options = FuzzOptions(
                    task: task, cases: 40, seed: 11,
                    shrinkLimits: ShrinkLimits(maxAttempts: 100, maxSteps: 50, timeLimit: .seconds(10)))
                let report = try Fuzzer.run(planted.estimator, options: options)
                #expect(report.findings.isEmpty, "\(planted.name) on \(task): \(report.findings.map(\.message))")
                let furthest = try #require(report.worstInBudgets)
                #expect(
                    furthest.reading.errorInBudgets < 0.25, "\(planted.name) on \(task): \(furthest.reading.summary)")
            }
        }
    }

    @Test func float32ArithmeticIsCaught() throws {
        for (name, input) in [("small integers d=16", Self.plain)] + Self.hardCases.filter({ !$0.0.contains("offset") })
        {
            let j = Fuzzer.judge(input, Self.float32.estimator)
            print(Self.line(name, Self.float32.name, j))
            #expect(j.finding?.kind == .tolerance, "\(name)")
            #expect((j.furthest?.errorInBudgets ?? 0) > 1e4, "\(name): \(j.furthest?.summary ?? "")")
            // Judged as a float32 estimator (--precision 32), it passes: u = 2⁻²⁴.
            let as32 = Fuzzer.judge(input, Self.float32.estimator, precision: .float32)
            #expect(as32.finding == nil, "\(name): \(as32.finding?.message ?? "")")
        }
    }

    @Test func subtractiveShortcutIsCaught() throws {
        for (name, input) in Self.hardCases where name.contains("offset 9·2^20") {
            let j = Fuzzer.judge(input, Self.subtractive.estimator)
            print(Self.line(name, Self.subtractive.name, j))
            let finding = try #require(j.finding, "\(name)")
            if finding.kind == .tolerance {
                #expect((j.furthest?.errorInBudgets ?? 0) > 1e3, "\(name): \(j.furthest?.summary ?? "")")
                #expect(finding.message.contains("> budget") && finding.message.contains("κ = "))
            }
        }
        // A moderate offset (2^10 ± 9, κ ≈ 5e2): the answer is finite, but subtracting F(0)·P(0) from the full joint
        // sum costs about u·F(0)P(0)/J ∝ κ⁴, far beyond κ·u.
        let moderate = EstimatorCase.sdr1d(
            k1: Self.offset(1, 16, 1 << 10, seed: 40, amplitude: 9),
            k2: Self.offset(1, 16, 1 << 10, seed: 41, amplitude: 9))
        let j = Fuzzer.judge(moderate, Self.subtractive.estimator)
        print(Self.line("sdr1d d=16 offset 2^10 ±9", Self.subtractive.name, j))
        #expect(j.finding?.kind == .tolerance)
        #expect((j.furthest?.errorInBudgets ?? 0) > 10, "\(j.furthest?.summary ?? "")")
        // On a well-conditioned case the shortcut costs nothing: it is caught for losing accuracy beyond κ only.
        #expect(Fuzzer.judge(Self.plain, Self.subtractive.estimator).finding == nil)
    }

    @Test func thresholdOnSmallPowerIsCaught() throws {
        // Offset 2^14 with ±9: the non-zero power is about 1e-7 of the total, yet κ is only about 1e4.
        let input = EstimatorCase.sdr1d(
            k1: Self.offset(1, 16, 1 << 14, seed: 40, amplitude: 9),
            k2: Self.offset(1, 16, 1 << 14, seed: 41, amplitude: 9))
        let kappa = Conditioning.conditionNumbers(input)[0]
        #expect(kappa < 1e5)
        let one = Fuzzer.judge(input, Self.thresholdOne.estimator)
        print(Self.line("sdr1d d=16 offset 2^14 ±9", Self.thresholdOne.name, one))
        #expect(one.finding?.kind == .tolerance)
        #expect((one.furthest?.errorInBudgets ?? 0) > 1e6)
        let refused = Fuzzer.judge(input, Self.thresholdRefuse.estimator)
        print(Self.line("sdr1d d=16 offset 2^14 ±9", Self.thresholdRefuse.name, refused))
        #expect(refused.finding?.kind == .unexpectedError)
        // And on the large-offset case.
        let big = Fuzzer.judge(Self.hardCases[0].1, Self.thresholdOne.estimator)
        print(Self.line(Self.hardCases[0].0, Self.thresholdOne.name, big))
        #expect(big.finding?.kind == .tolerance)
        #expect(Fuzzer.judge(Self.plain, Self.thresholdOne.estimator).finding == nil)
    }

    @Test func aFixedToleranceOverridesTheBudget() throws {
        let (_, input) = Self.hardCases[0]
        let j = Fuzzer.judge(input, Self.fft.estimator, tolerance: 1e-30)
        #expect(j.finding?.kind == .tolerance)
        #expect(j.furthest?.budget == 1e-30)
        #expect(j.finding?.message.contains("> tolerance 1e-30 (κ = ") == true)
        let report = try Fuzzer.run(Self.fft.estimator, options: FuzzOptions(task: .sdr1d, cases: 3, tolerance: 1e-3))
        #expect(report.json["tolerance"] == .number(1e-3))
        #expect(report.json["budget"] == .string("fixed tolerance 0.001"))
        let conditioned = try Fuzzer.run(Self.fft.estimator, options: FuzzOptions(task: .sdr1d, cases: 3))
        #expect(conditioned.json["tolerance"] == .null)
        #expect(conditioned.json["precision"] == .int(64))
        #expect(conditioned.json["worstCase"]?["conditionNumber"] != nil)
        #expect(conditioned.json["worstInBudgets"]?["errorInBudgets"] != nil)
    }
}
