import Foundation
import Oracle
import Testing

/// `--shard i/n` and `oracle merge`: the shards of a campaign together are the unsharded run.
@Suite struct ShardingTests {
    /// A holding reading, a refuted one (found in the exhaustive pass), one with discards, a symbolic identity.
    static let labels = [
        "b4.parseval/fourier", "b4.dft-inverse/printed", "prop4.eye/separated-all-frequencies", "prop8/printed",
    ]

    static func run(_ readings: [ClaimReading], shard: Shard, seed: UInt64 = 7) -> CheckRun {
        CheckRun.deciding(readings, options: CheckOptions(seed: seed, caseScale: 0.1, shard: shard))
    }

    /// Through the JSON each machine prints, as `oracle merge` reads it.
    static func roundTrip(_ run: CheckRun) throws -> CheckRun {
        try CheckRun(json: try JSONValue(parsing: run.json.serialized(pretty: true)))
    }

    @Test(arguments: [2, 3])
    func mergedShardsEqualTheUnshardedRun(n: Int) throws {
        let readings = try ClaimRegistry.readings(for: Self.labels)
        let whole = Self.run(readings, shard: .whole)
        let shards = try (0..<n).map { try Self.roundTrip(Self.run(readings, shard: try Shard(index: $0, count: n))) }
        let merged = try CheckRun.merge(shards.reversed())
        #expect(merged.json.serialized(pretty: true) == whole.json.serialized(pretty: true))
        let verdicts = Dictionary(uniqueKeysWithValues: whole.outcomes.map { ("\($0.id)/\($0.reading)", $0.verdict) })
        #expect(
            verdicts == [
                "b4.parseval/fourier": .holds, "b4.dft-inverse/printed": .refuted,
                "prop4.eye/separated-all-frequencies": .holds, "prop8/printed": .holds,
            ])
        #expect(whole.outcomes.contains { $0.note.contains("discarded") })
        // Readings not decided on generated cases run on shard 0 only.
        let identity = try #require(whole.outcomes.firstIndex { $0.id == "prop8" })
        #expect(
            shards.dropFirst().allSatisfy { $0.outcomes[identity].isSkipped } && !shards[0].outcomes[identity].isSkipped
        )
    }

    /// Records every case value a run tests (values are unique per case with this generator).
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ v: Int) { lock.lock(); values.append(v); lock.unlock() }
        var all: [Int] { lock.lock(); defer { lock.unlock() }; return values.sorted() }
    }

    static let wide = Gen.int(in: 0...1_000_000_000)

    static func check(shard: Shard, seen: Seen? = nil, _ property: @escaping (Int) throws -> Bool) throws
        -> PropertyReport
    {
        try Property.check(
            Self.wide, label: "sharding",
            configuration: RunConfiguration(
                seed: 11, cases: 60, exhaustive: ExhaustiveBudget(sequences: 9, valueCap: 3), shard: shard)
        ) { v in
            seen?.add(v); return try property(v)
        }
    }

    static func merged(_ n: Int, _ property: @escaping (Int) throws -> Bool) throws -> (
        ShardLog.Merged, [PropertyReport]
    ) {
        let reports = try (0..<n).map { try check(shard: try Shard(index: $0, count: n), property) }
        return (ShardLog.merge(reports.map(\.log)), reports)
    }

    /// Holding, refuted in the random phase, and with discards inside cases: same verdict, counterexample
    /// and counts; when it holds, the union of the shards' cases is the unsharded run's.
    @Test(arguments: [2, 3])
    func propertyShardsMergeExactly(n: Int) throws {
        let properties: [(String, (Int) throws -> Bool)] = [
            ("holds", { _ in true }),
            ("refuted", { $0 < 900_000_000 }),
            (
                "discards",
                { v in
                    if v % 3 != 0 { throw Discard("not a multiple of 3") }; return v < 950_000_000
                }
            ),
            (
                "holds with discards",
                { v in
                    if v % 4 != 0 { throw Discard("odd") }; return true
                }
            ),
        ]
        for (name, property) in properties {
            let wholeSeen = Seen()
            let whole = try Self.check(shard: .whole, seen: wholeSeen, property)
            let shardSeen = Seen()
            let reports = try (0..<n).map {
                try Self.check(shard: try Shard(index: $0, count: n), seen: shardSeen, property)
            }
            let m = ShardLog.merge(reports.map(\.log))
            #expect(m.casesRun == whole.casesRun, "\(name)")
            #expect(m.discarded == whole.discarded, "\(name)")
            #expect(m.exhaustive == whole.exhaustive, "\(name)")
            #expect(m.winner.map { reports[$0].counterexample } == whole.counterexample.map { Optional($0) }, "\(name)")
            if whole.holds { #expect(shardSeen.all == wholeSeen.all, "\(name)") }
        }
        #expect(try Self.merged(n) { $0 < 900_000_000 }.0.winner != nil)
    }

    @Test func mergeRejectsMixedCampaigns() throws {
        let readings = try ClaimRegistry.readings(for: ["b4.parseval/fourier"])
        let a = Self.run(readings, shard: try Shard(index: 0, count: 3), seed: 1)
        let b = Self.run(readings, shard: try Shard(index: 1, count: 3), seed: 2)
        let c = Self.run(readings, shard: try Shard(index: 2, count: 3), seed: 1)
        #expect(throws: CampaignError.mixedSeeds(["1", "2"])) { try CheckRun.merge([a, b, c]) }
        #expect(throws: CampaignError.missingShards([1], of: 3)) { try CheckRun.merge([a, c]) }
        #expect(throws: CampaignError.duplicateShard(0)) { try CheckRun.merge([a, a, c]) }
        var other = c
        other.cases = 5
        #expect(throws: CampaignError.mixedCaseCounts(["5", "default"])) { try CheckRun.merge([a, other]) }
        #expect(throws: ShardError.invalid("3/3")) { try Shard(parsing: "3/3") }
    }

    @Test func fuzzReportsMerge() throws {
        func report(
            _ shard: String, cases: Int, worst: Double, at: Int, findings: [(String, Int, Int)], errors: [Double],
            seed: String = "0"
        ) -> JSONValue {
            .object([
                "estimator": .string("e"), "task": .string("sdr1d"), "seed": .string(seed), "shard": .string(shard),
                "cases": .int(cases),
                "undefinedCases": .int(1), "worstRelativeError": .number(worst),
                "worstCase": .object(["caseIndex": .int(at), "case": .null]),
                "quantiles": .object(["p50": .null, "p90": .null, "p99": .null, "max": .number(worst)]),
                "findings": .array(
                    findings.map {
                        .object(["kind": .string($0.0), "caseIndex": .int($0.1), "occurrences": .int($0.2)])
                    }),
                "errors": .array(errors.map(JSONValue.number)),
                "timing": .object(["seconds": .number(1), "casesPerSecond": .number(Double(cases))]),
            ])
        }
        let a = report(
            "0/2", cases: 3, worst: 1e-12, at: 4, findings: [("tolerance", 6, 2)], errors: [1e-12, 0, 1e-15])
        let b = report(
            "1/2", cases: 2, worst: 1e-12, at: 1, findings: [("tolerance", 3, 1), ("crash", 5, 1)],
            errors: [1e-13, 1e-12])
        let m = try FuzzCampaign.merge([b, a])
        #expect(m["cases"] == .int(5) && m["undefinedCases"] == .int(2) && m["shard"] == .string("0/1"))
        #expect(m["worstCase"]?["caseIndex"] == .int(1))
        #expect(
            m["findings"]
                == .array([
                    .object(["kind": .string("tolerance"), "caseIndex": .int(3), "occurrences": .int(3)]),
                    .object(["kind": .string("crash"), "caseIndex": .int(5), "occurrences": .int(1)]),
                ]))
        #expect(m["quantiles"]?["p50"] == .number(1e-13) && m["quantiles"]?["max"] == .number(1e-12))
        #expect(throws: CampaignError.missingShards([1], of: 2)) { try FuzzCampaign.merge([a]) }
        #expect(throws: CampaignError.mixedSeeds(["\"0\"", "\"9\""])) {
            try FuzzCampaign.merge([a, report("1/2", cases: 1, worst: 0, at: 0, findings: [], errors: [], seed: "9")])
        }
    }
}

/// A shard of a campaign exits 0 once it ran, whatever its partial verdicts — on a job scheduler a refuting case on
/// another shard must not fail this one (a merge job waiting on `afterok` would wait forever); the merge decides.
/// `cor1/observed-law` (documented refuted) holds on shard 1 of 8 without the corpus: the shard exits 0 with the
/// mismatch in its table. With the package's corpus and a cache of its own, the shard replays the committed entry
/// first and refutes it.
@Suite(.enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
struct ShardExitTests {
    @Test func aShardExitsZeroWhateverItsPartialVerdicts() throws {
        let directory = try OracleBinary.temporaryDirectory("shards")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try OracleBinary.oracle(["check", "cor1/observed-law", "--no-corpus", "--shard", "1/8"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("✗ cor1/observed-law") && run.stdout.contains("holds"), "\(run.stdout)")
        let whole = try OracleBinary.oracle(["check", "cor1/observed-law", "--no-corpus", "--cases", "20"])
        #expect(whole.status == 1, "an unsharded run still exits 1 on a mismatch: \(whole.stdout)")
        let cache = directory.appendingPathComponent("cache").path
        let seeded = try OracleBinary.oracle(["check", "cor1/observed-law", "--shard", "1/8", "--cache", cache])
        #expect(seeded.status == 0 && seeded.stdout.contains(" refuted "), "\(seeded.stdout)")
        #expect(!FileManager.default.fileExists(atPath: cache), "the committed entry stood for it: nothing cached")
    }
}
