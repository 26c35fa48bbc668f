import Fast
import Foundation
import Oracle
import Reference
import Testing

/// Planted slips that only the input families, the streams and the value-level shrink passes find: each is caught,
/// its original case comes from the family that shows it, and its minimum is the true one.
@Suite struct FuzzFamilyTests {
    static func options(_ task: EstimatorTask, cases: Int = 120, seed: UInt64 = 7) -> FuzzOptions {
        FuzzOptions(
            task: task, cases: cases, seed: seed,
            shrinkLimits: ShrinkLimits(maxAttempts: 2_000, maxSteps: 500, timeLimit: .seconds(60)))
    }

    static func kernels(_ input: EstimatorCase) throws -> (RationalImage, RationalImage) {
        switch input {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2): return (k1, k2)
        default: throw Discard("not an SDR case")
        }
    }

    struct Undefined: Error {}

    /// ρ in Double from Fast's FFT, over the non-zero frequencies `keep` allows.
    static func sdr(_ input: EstimatorCase, keep: (Int, Int, Int, Int) -> Bool = { _, _, _, _ in true }) throws
        -> Double
    {
        let (k1, k2) = try kernels(input)
        let (rows, columns) = (k1.rows, k1.columns)
        func power(_ k: RationalImage) throws -> [Double] {
            let (re, im) = try FFT.realForward2D(k.values.map(\.doubleValue), rows: rows, columns: columns)
            return zip(re, im).map { $0 * $0 + $1 * $1 }
        }
        let (f1, f2) = (try power(k1), try power(k2))
        var joint = 0.0, a = 0.0, b = 0.0
        for u in 1..<(rows * columns) where keep(u / columns, u % columns, rows, columns) {
            joint += f1[u] * f2[u]
            a += f1[u]
            b += f2[u]
        }
        guard a > 0x1p-94 * f1.reduce(0, +), b > 0x1p-94 * f2.reduce(0, +) else { throw Undefined() }
        let count = Double((1..<(rows * columns)).filter { keep($0 / columns, $0 % columns, rows, columns) }.count)
        return joint * count / (a * b)
    }

    static func length(_ json: JSONValue?) -> Int { if case let .array(a)? = json { a.count } else { 0 } }

    /// Skips the Nyquist column (u₁ = C/2) when C is even: right for odd lengths only.
    static var evenSlip: SwiftEstimator {
        SwiftEstimator(name: "drops the Nyquist frequency") { input in
            try sdr(input) { _, u1, _, columns in !(columns % 2 == 0 && u1 == columns / 2) }
        }
    }

    /// The even-length slip on the SDR tasks, Fast elsewhere.
    static func evenSlipOrFast(_ task: EstimatorTask) -> SwiftEstimator {
        task == .sdr1d || task == .sdr2d ? evenSlip : SwiftEstimator.fast
    }

    @Test(arguments: [3, 7, 11] as [UInt64])
    func anEvenLengthSlipShrinksToLengthFour(seed: UInt64) throws {
        let report = try Fuzzer.run(Self.evenSlip, options: Self.options(.sdr1d, seed: seed))
        let finding = try #require(report.findings.first { $0.kind == .tolerance })
        #expect(Self.length(finding.shrunk["k1"]) == 4, "\(finding.shrunk.serialized())")
        let replayed = try Fuzzer.replay(finding.replay, estimator: Self.evenSlip, options: Self.options(.sdr1d))
        #expect(replayed.finding?.kind == .tolerance)
        #expect(replayed.input.json == finding.shrunk)
    }

    @Test(arguments: [3, 7, 11] as [UInt64])
    func anEvenLengthSlipShrinksToTwoByTwo(seed: UInt64) throws {
        let report = try Fuzzer.run(Self.evenSlip, options: Self.options(.sdr2d, seed: seed))
        let finding = try #require(report.findings.first { $0.kind == .tolerance })
        let k1 = try #require(finding.shrunk["k1"])
        #expect(Self.length(k1) == 2, "\(finding.shrunk.serialized())")
        if case let .array(rows) = k1 { #expect(rows.allSatisfy { Self.length($0) == 2 }) }
    }

    /// Refuses any kernel whose ⟨|k̂|²⟩ is below 1e-10: an absolute threshold, wrong on kernels scaled by 2⁻²⁰….
    @Test func anAbsoluteThresholdIsFoundByTheScaledFamily() throws {
        let threshold = SwiftEstimator(name: "absolute threshold") { input in
            let (k1, k2) = try Self.kernels(input)
            let tiny = [k1, k2].contains { k in k.values.allSatisfy { $0.magnitude.doubleValue < 1e-5 } }
            if tiny { throw Undefined() }
            return try Self.sdr(input)
        }
        let report = try Fuzzer.run(threshold, options: Self.options(.sdr1d, cases: 300))
        let finding = try #require(report.findings.first { $0.kind == .unexpectedError })
        #expect(finding.families.contains("array scaled"), "\(finding.families)")
        #expect((report.families["array scaled"] ?? 0) > 0)
    }

    /// A subtractive ⟨|k̂|²⟩ and a threshold on small power lose accuracy only where one frequency carries almost all
    /// the power: the offset-dominated and one-frequency families find them; a dense case passes them.
    @Test func cancellationAndThresholdsAreFoundByTheDominatedFamilies() throws {
        let dominated = ["array offset-dominated", "array one-frequency"]
        for planted in [ConditionedJudgingTests.subtractive, ConditionedJudgingTests.thresholdOne] {
            let report = try Fuzzer.run(planted.estimator, options: Self.options(.sdr1d, cases: 300))
            let finding = try #require(report.findings.first { $0.kind == .tolerance }, "\(planted.name)")
            #expect(finding.families.contains { dominated.contains($0) }, "\(planted.name): \(finding.families)")
            #expect((finding.original["k1"] ?? finding.original["stream"]) != nil)
        }
        #expect(
            Fuzzer.judge(ConditionedJudgingTests.plain, ConditionedJudgingTests.subtractive.estimator).finding == nil)
    }

    /// A sparse fast path written one too wide: a kernel with at most two non-zero entries is taken for a Dirac
    /// (a flat spectrum, so ρ = 1). Right for one entry, wrong for two whose spectrum is not flat — which a dense
    /// draw almost never is; the Dirac-pair and eye families find it, and it shrinks to the smallest length where two
    /// entries can be non-flat: d = 4 in 1D (at d = 2 and 3 every real spectrum is flat), 2×2 in 2D.
    @Test(arguments: [3, 7, 11] as [UInt64])
    func aSparseFastPathIsFoundByTheDiracPairAndEyeFamilies(seed: UInt64) throws {
        let fastPath = SwiftEstimator(name: "Dirac fast path for ≤ 2 entries") { input in
            let value = try Self.sdr(input)
            let (k1, k2) = try Self.kernels(input)
            return [k1, k2].contains { $0.values.filter { !$0.isZero }.count <= 2 } ? 1 : value
        }
        for task in [EstimatorTask.sdr1d, .sdr2d] {
            let report = try Fuzzer.run(fastPath, options: Self.options(task, cases: 300, seed: seed))
            let finding = try #require(report.findings.first { $0.kind == .tolerance }, "\(task)")
            #expect(
                finding.families.contains("array dirac-pair") || finding.families.contains("array eye"),
                "\(task): \(finding.families)")
            let shrunk = try #require(try FuzzCase(json: finding.shrunk).requests.first)
            let (k1, k2) = try Self.kernels(shrunk)
            #expect(k1.values.count == 4, "\(finding.shrunk.serialized())")
            #expect([k1, k2].contains { $0.values.filter { !$0.isZero }.count == 2 })
        }
    }

    /// Never refuses: 1 where ⟨|k̂|²⟩ = 0. Zero and constant kernels are drawn at 1/16 each.
    @Test func missedUndefinedIsFoundOnEveryTwoArgumentTask() throws {
        for task in [EstimatorTask.sdr1d, .sdr2d] {
            let lenient = SwiftEstimator(name: "never undefined") { input in (try? Self.sdr(input)) ?? 1 }
            let report = try Fuzzer.run(lenient, options: Self.options(task, cases: 40))
            let finding = try #require(report.findings.first { $0.kind == .missedUndefined }, "\(task)")
            #expect(
                finding.families.contains("array zero") || finding.families.contains("array constant"),
                "\(finding.families)")
            #expect(report.undefinedCases >= 4, "\(task): \(report.undefinedCases) undefined of 40")
        }
    }

    /// Caches the answer by k₁: a second request with the same k₁ and another k₂ gets the first's answer. Only a
    /// stream repeats k₁ with k₂ changed; the minimum is a stream, and it replays in a fresh estimator.
    @Test func aCacheKeptAcrossRequestsIsFoundByStreams() throws {
        final class Cache: @unchecked Sendable {
            var k1: RationalImage?
            var answer = 0.0
        }
        let cache = Cache()
        let cached = SwiftEstimator(name: "cache by k1", reset: { cache.k1 = nil }) { input in
            let (k1, _) = try Self.kernels(input)
            if cache.k1 == k1 { return cache.answer }
            let rho = try Self.sdr(input)
            (cache.k1, cache.answer) = (k1, rho)
            return rho
        }
        let report = try Fuzzer.run(cached, options: Self.options(.sdr1d, cases: 200))
        let finding = try #require(report.findings.first { $0.kind == .tolerance })
        #expect(finding.families.contains("stream"), "\(finding.families)")
        guard case let .array(requests)? = finding.shrunk["stream"] else {
            Issue.record("the minimum is not a stream: \(finding.shrunk.serialized())")
            return
        }
        #expect(requests.count == 2, "\(finding.shrunk.serialized())")
        #expect(requests[0]["k1"] == requests[1]["k1"])
        // d = 2 and 3 have one |k̂(u)|² at u ≠ 0 (u and −u), where ρ ≡ 1 whatever k₂: 4 is the least.
        #expect(Self.length(requests[0]["k1"]) == 4, "\(finding.shrunk.serialized())")
    }

    /// Wrong on its 30th request only, whatever the input: the finding does not replay in a fresh process.
    @Test func aFindingThatDoesNotReplayIsFlaky() throws {
        final class Counter: @unchecked Sendable { var n = 0 }
        let counter = Counter()
        let once = SwiftEstimator(name: "wrong once") { input in
            counter.n += 1
            return counter.n == 30 ? 42 : try Self.sdr(input)
        }
        let report = try Fuzzer.run(once, options: Self.options(.sdr1d, cases: 60))
        let finding = try #require(report.findings.first)
        #expect(finding.kind == .flaky)
        #expect(finding.flakyKind == .tolerance || finding.flakyKind == .missedUndefined)
        #expect(!finding.history.isEmpty && finding.history.count <= 16)
        #expect(finding.json["history"] != nil)
        #expect(finding.shrinkSteps == 0)
    }

    /// A hang that depends on the length is shrunk, length first, within the hang's budget of 10 hanging steps.
    @Test func aHangShrinks() throws {
        let script = NSTemporaryDirectory() + "hang-\(UUID().uuidString).py"
        try """
        import json, sys, time
        for line in sys.stdin:
            r = json.loads(line)
            if len(r["k1"]) > 5:
                time.sleep(30)
            print(json.dumps({"id": r["id"], "value": 1.0}), flush=True)
        """.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let estimator = ExternalEstimator(command: "python3 '\(script)'", timeout: 1)
        defer { estimator.stop() }
        var options = Self.options(.sdr1d)
        options.shrinkLimits = ShrinkLimits(maxAttempts: 200, maxSteps: 100, timeLimit: .seconds(60))
        let finding = try #require(Fuzzer.shrink(Self.long(60), estimator: estimator, options: options))
        #expect(finding.kind == .hang)
        let d = Self.length(finding.shrunk["k1"])
        #expect(d >= 6 && d <= 8, "\(finding.shrunk.serialized())")
    }

    /// A dense case of length d (entries 1…9, never constant).
    static func long(_ d: Int, rows: Int = 1) -> FuzzCase {
        let values = (0..<(rows * d)).map { Rational(($0 * 7 + 3) % 9 + 1) }
        let flipped = (0..<(rows * d)).map { Rational(($0 * 5 + 1) % 9 + 1) }
        let k1 = try! RationalImage(rows: rows, columns: d, values: values)
        let k2 = try! RationalImage(rows: rows, columns: d, values: flipped)
        return FuzzCase([rows == 1 ? .sdr1d(k1: k1, k2: k2) : .sdr2d(k1: k1, k2: k2)])
    }

    /// From d = 60 (1D) and 2×8 (2D), the length passes reach 4 and 2×2 (d − 1 steps alone would stop at odd d).
    @Test func theLengthPassesReachTheMinimumFromLongCases() throws {
        for d in [60, 64, 18] {
            let finding = try #require(
                Fuzzer.shrink(Self.long(d), estimator: Self.evenSlip, options: Self.options(.sdr1d)))
            #expect(finding.kind == .tolerance)
            #expect(Self.length(finding.shrunk["k1"]) == 4, "\(d): \(finding.shrunk.serialized())")
        }
        let finding = try #require(
            Fuzzer.shrink(Self.long(8, rows: 2), estimator: Self.evenSlip, options: Self.options(.sdr2d)))
        let k1 = try #require(finding.shrunk["k1"])
        #expect(Self.length(k1) == 2, "\(finding.shrunk.serialized())")
        if case let .array(rows) = k1 { #expect(rows.allSatisfy { Self.length($0) == 2 }) }
    }

    /// A report is a function of the seed, families included.
    @Test func familiesAreCountedDeterministically() throws {
        var first = try Fuzzer.run(SwiftEstimator.fast, options: Self.options(.batch, cases: 60))
        var second = try Fuzzer.run(SwiftEstimator.fast, options: Self.options(.batch, cases: 60))
        (first.seconds, second.seconds) = (0, 0)
        (first.profile, second.profile) = (FuzzProfile(), FuzzProfile())
        #expect(first.json == second.json)
        for family in ["array offset-dominated", "array scaled", "samples identical", "samples unequal", "stream"] {
            #expect((first.families[family] ?? 0) > 0, "\(family): \(first.families)")
        }
    }

    /// Small first: the first cases are the shortest.
    @Test func lengthsGrowWithTheSize() throws {
        let gen = Domain.fuzzCase(.sdr1d)
        var firstLengths: [Int] = []
        for j in 0..<5 {
            var source = ChoiceSource.random(seed: UInt64(j), size: Shard.caseSize(j, of: 500))
            firstLengths.append(try Self.kernels(try gen.run(&source).requests[0]).0.columns)
        }
        #expect(firstLengths.allSatisfy { $0 <= 3 }, "\(firstLengths)")
    }
}
