import Foundation
import Oracle
import Testing

/// `oracle check --jobs N`: readings decided on N threads give the serial run's output byte for byte — the table,
/// the JSON, the order of the progress callbacks and the corpus files written.
@Suite struct CheckJobsTests {
    /// Holding and refuted readings on generated cases (the refuted ones write corpus entries), one with discards,
    /// symbolic identities, float cross-checks and a simulation.
    static let labels =
        ShardingTests.labels + [
            "b4.parseval", "eq12", "prop5", "fast.sdr", "fast.layer", "sec3.3.drift/printed",
        ]

    /// A run's callbacks in the order they came, its JSON, and the corpus files it wrote (name → bytes).
    static func run(jobs: Int) throws -> (calls: [String], json: String, corpus: [String: Data]) {
        let directory = try OracleBinary.temporaryDirectory("check-jobs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let readings = try ClaimRegistry.readings(for: labels)
        var calls: [String] = []
        let run = CheckRun.deciding(
            readings, options: CheckOptions(seed: 7, corpus: Corpus(directory: directory.path), caseScale: 0.1),
            jobs: jobs, before: { index, reading in calls.append("before \(index) \(reading.label)") }
        ) { outcome in calls.append("each \(outcome.id)/\(outcome.reading) \(outcome.verdict)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let corpus = try Dictionary(
            uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: directory.appendingPathComponent($0))) })
        return (calls, run.json.serialized(pretty: true), corpus)
    }

    @Test func readingsOnSeveralThreadsGiveTheSerialRun() throws {
        let serial = try Self.run(jobs: 1)
        #expect(serial.json.contains("\"refuted\"") && !serial.corpus.isEmpty)
        for jobs in [2, 4] {
            let parallel = try Self.run(jobs: jobs)
            #expect(parallel.calls == serial.calls, "--jobs \(jobs)")
            #expect(parallel.json == serial.json, "--jobs \(jobs)")
            #expect(parallel.corpus == serial.corpus, "--jobs \(jobs)")
        }
    }

    /// The command's standard output, text and JSON, with `--jobs 1` and `--jobs 4`.
    @Test(.enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
    func theCommandPrintsTheSameForAnyJobs() throws {
        for format in [[], ["--json"]] {
            var outputs: [String] = []
            for jobs in ["1", "4"] {
                let result = try OracleBinary.oracle(
                    ["check"] + ShardingTests.labels + ["eq12", "--seed", "7", "--cases", "20", "--no-corpus"]
                        + format + ["--jobs", jobs])
                #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
                outputs.append(result.stdout)
            }
            #expect(outputs[0] == outputs[1], "\(format)")
            #expect(outputs[0].contains("refuted"))
        }
        let refused = try OracleBinary.oracle(["check", "eq12", "--jobs", "0"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("--jobs must be in 1…256"))
    }
}
