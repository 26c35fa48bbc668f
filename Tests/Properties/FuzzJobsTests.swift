import Foundation
import Oracle
import Testing

/// `--jobs`: several estimator processes judge cases at once, and the report is the one-worker report — findings,
/// minima, quantiles and coverage — for any number of workers.
@Suite struct FuzzJobsTests {
    static func strip(_ v: JSONValue) -> JSONValue {
        guard case let .object(members) = v else { return v }
        return .object(members.filter { $0.key != "timing" })
    }

    @Test(arguments: [EstimatorTask.sdr1d, .sdr2d, .strided])
    func theReportDoesNotDependOnTheWorkers(task: EstimatorTask) throws {
        let options = FuzzFamilyTests.options(task, cases: 80, seed: 5)
        let one = try Fuzzer.run(FuzzFamilyTests.evenSlipOrFast(task), options: options).json
        #expect(one["findings"] != .array([]) || task == .strided)
        for n in [2, 3] {
            let workers = (0..<n).map { _ in FuzzFamilyTests.evenSlipOrFast(task) }
            let report = try Fuzzer.run(
                workers: workers, shrinkingWith: FuzzFamilyTests.evenSlipOrFast(task), options: options)
            #expect(Self.strip(report.json) == Self.strip(one), "\(task) with \(n) workers")
        }
    }

    @Test(.enabled(if: FuzzTests.hasNumpy, "needs python3 with numpy for examples/sdr_numpy.py"))
    func processesInParallelGiveTheSameReport() throws {
        let command = "python3 '\(FuzzTests.root)/examples/sdr_numpy.py' --bug zero-frequency"
        let options = FuzzFamilyTests.options(.sdr1d, cases: 60, seed: 2)
        let single = ExternalEstimator(command: command, timeout: 20)
        defer { single.stop() }
        let one = try Fuzzer.run(single, options: options)
        let workers = (0..<2).map { _ in ExternalEstimator(command: command, timeout: 20) }
        let shrinker = ExternalEstimator(command: command, timeout: 20)
        defer { for e in workers + [shrinker] { e.stop() } }
        let two = try Fuzzer.run(workers: workers, shrinkingWith: shrinker, options: options)
        #expect(!one.findings.isEmpty)
        #expect(Self.strip(two.json) == Self.strip(one.json))
        #expect(two.profile.estimator > 0 && two.profile.exact > 0 && two.profile.shrinking > 0)
    }

    /// Requests pipelined to the children (up to 4 cases in flight each) give the one-at-a-time report, also when a
    /// child crashes with requests in flight (they are written again to its successor).
    @Test(.enabled(if: FuzzTests.hasNumpy, "needs python3 with numpy for examples/sdr_numpy.py"))
    func pipelinedRequestsGiveTheSameReport() throws {
        let script = NSTemporaryDirectory() + "crashy-\(UUID().uuidString).py"
        try """
        import json, os, sys
        for line in sys.stdin:
            r = json.loads(line)
            if len(r["k1"]) == 5:
                os._exit(3)
            print(json.dumps({"id": r["id"], "value": 1.0}), flush=True)
        """.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        for command in [
            "python3 '\(FuzzTests.root)/examples/sdr_numpy.py' --bug zero-frequency", "python3 '\(script)'",
        ] {
            let options = FuzzFamilyTests.options(.sdr1d, cases: 60, seed: 4)
            let single = ExternalEstimator(command: command, timeout: 20)
            defer { single.stop() }
            let one = try Fuzzer.run(single, options: options)
            for jobs in [1, 2] {
                let workers = (0..<jobs).map { _ in ExternalEstimator(command: command, timeout: 20) }
                let shrinker = ExternalEstimator(command: command, timeout: 20)
                defer { for e in workers + [shrinker] { e.stop() } }
                let piped = try Fuzzer.run(workers: workers, shrinkingWith: shrinker, options: options, pipeline: 4)
                #expect(Self.strip(piped.json) == Self.strip(one.json), "\(command), \(jobs) workers")
            }
            #expect(!one.findings.isEmpty)
            if command.contains("crashy") { #expect(one.findings.contains { $0.kind == .crash }) }
        }
    }

    /// A child that hangs on some inputs stalls only its own worker: the report is the one-worker report.
    @Test func aHangInOneWorkerLosesNothing() throws {
        let script = NSTemporaryDirectory() + "hangs-\(UUID().uuidString).py"
        try """
        import json, sys, time
        for line in sys.stdin:
            r = json.loads(line)
            if len(r["k1"]) == 7:
                time.sleep(30)
            print(json.dumps({"id": r["id"], "value": 1.0}), flush=True)
        """.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let command = "python3 '\(script)'"
        // A timeout well above a Python start on a loaded machine (the first answer of a process gets twice it), and
        // at most 2 hanging shrink steps.
        var options = FuzzFamilyTests.options(.sdr1d, cases: 30, seed: 4)
        options.shrinkLimits = ShrinkLimits(maxAttempts: 20, maxSteps: 2, timeLimit: .seconds(20))
        let single = ExternalEstimator(command: command, timeout: 1.5)
        defer { single.stop() }
        let one = try Fuzzer.run(single, options: options)
        #expect(one.findings.contains { $0.kind == .hang }, "\(one.findings.map(\.kind))")
        let workers = (0..<2).map { _ in ExternalEstimator(command: command, timeout: 1.5) }
        let shrinker = ExternalEstimator(command: command, timeout: 1.5)
        defer { for e in workers + [shrinker] { e.stop() } }
        let two = try Fuzzer.run(workers: workers, shrinkingWith: shrinker, options: options, pipeline: 4)
        #expect(Self.strip(two.json) == Self.strip(one.json))
    }
}
