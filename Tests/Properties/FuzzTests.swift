import Foundation
import Testing
import Oracle
import Reference

/// The fuzzer against estimators that are right, wrong in a planted way, or misbehaving processes:
/// each wrong one must be caught with a shrunk input, the right ones must pass, and a misbehaving
/// child must become a finding (never a hang or a crash of the oracle).
@Suite struct FuzzTests {
    /// The repository root (this file is Tests/Properties/FuzzTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func options(_ task: EstimatorTask, cases: Int = 60, directory: String? = nil) -> FuzzOptions {
        FuzzOptions(
            task: task, cases: cases, seed: 7, findingsDirectory: directory,
            shrinkLimits: ShrinkLimits(maxAttempts: 400, maxSteps: 200, timeLimit: .seconds(20)))
    }

    /// Python 3 with numpy, for the example estimators (present on the project's machines; skipped elsewhere).
    static let hasNumpy = OracleBinary.python(has: "numpy")

    @Test(arguments: EstimatorTask.allCases)
    func fastEstimatorsPassTheFuzzer(task: EstimatorTask) throws {
        // Fast computes in Double from dyadic (exactly representable) inputs; its relative error on these
        // small cases is a few ulps times the transform length, within each case's budget 8·(⌈log₂N⌉ + 1)·u·(κ + 1).
        let report = try Fuzzer.run(SwiftEstimator.fast, options: Self.options(task))
        #expect(report.cases > 0)
        // Fast's layer once lost accuracy beyond the conditioning (SDRLayer.swift): subtracting u = 0 terms from full
        // sums, then a lag sum that cancelled for an offset-dominated filter (2e-9 where ρ ≡ 1) or spectra nearly
        // orthogonal (5e-9 at κ = 1.5e4). Now the box term is summed in frequency and a cancelling lag sum falls back
        // to the filter's FFT: every task within half a budget.
        #expect((report.worstInBudgets?.reading.errorInBudgets ?? 0) < 0.5)
        let findings = report.findings.map { "\($0.kind): \($0.message) on \($0.shrunk.serialized())" }
        #expect(report.findings.isEmpty, "\(findings)")
    }

    /// The layer's cases that once failed: spectra nearly orthogonal (5e-9 at κ = 1.5e4), an offset filter whose
    /// power at u ≠ 0 is 4e-13 of its total (refused), an offset filter filling the grid against a Dirac map (ρ ≡ 1).
    @Test(arguments: [
        "c1.eyJ0YXNrIjoibGF5ZXIiLCJzdHJpZGUiOjEsIm91dENoYW5uZWxzIjoxLCJpbkNoYW5uZWxzIjoxLCJ3ZWlnaHRzIjpbW1siL"
            + "TQxOTQzMTAiLCItNDE5NDMxNCJdLFsiMCIsIjAiXV1dLCJhY3RpdmF0aW9ucyI6W1tbIi0zMjc3MyIsIjAiXSxbIi0zMjc2NCIsI"
            + "jAiXV1dfQ",
        "c1.eyJ0YXNrIjoibGF5ZXIiLCJzdHJpZGUiOjIsIm91dENoYW5uZWxzIjoxLCJpbkNoYW5uZWxzIjoxLCJ3ZWlnaHRzIjpbW1siN"
            + "DE5NDMwNyIsIjQxOTQzMDEiXSxbIjQxOTQzMDAiLCI0MTk0MzAzIl1dXSwiYWN0aXZhdGlvbnMiOltbIjEiXV19",
        "c1.eyJ0YXNrIjoibGF5ZXIiLCJzdHJpZGUiOjEsIm91dENoYW5uZWxzIjoxLCJpbkNoYW5uZWxzIjoxLCJ3ZWlnaHRzIjpbW1siL"
            + "TEyNzgiLCItMTI4NyJdLFsiLTEyNzkiLCItMTI5MiJdXV0sImFjdGl2YXRpb25zIjpbW1siNDA5NTciLCIwIl0sWyIwIiwiMCJdX"
            + "V19",
    ])
    func fastLayerStaysWithinBudgetWhereItsLagSumCancelled(literal: String) throws {
        let replayed = try Fuzzer.replay(literal, estimator: SwiftEstimator.fast, options: Self.options(.layer))
        #expect(replayed.finding == nil, "\(replayed.finding?.message ?? "")")
        #expect((replayed.reading?.errorInBudgets ?? 1) < 0.5)
    }

    /// Fast's strided estimate once subtracted the u = 0 terms from full sums; on this case (ρ ≡ 1, κ = 0, the
    /// filter's mean dominating its power) that cost 26 ulps, beyond the budget 24·u. It now sums u ≠ 0 directly.
    @Test func fastSumsTheNonZeroFrequenciesDirectly() throws {
        let filter = try RationalImage(
            rows: 2, columns: 2, values: [try Rational(29, 64), Rational(1), Rational(1), Rational(1)])
        let maps = try [0, 0, 1].map { try RationalImage(rows: 1, columns: 1, values: [Rational($0)]) }
        let j = Fuzzer.judge(.strided(filter: filter, samples: maps, stride: 2), SwiftEstimator.fast)
        #expect(j.finding == nil, "\(j.finding?.message ?? "")")
        #expect((j.furthest?.errorInBudgets ?? 1) < 0.5)
    }

    @Test func plantedZeroFrequencyBugShrinksToTheSmallestKernels() throws {
        // The classic slip: averaging over all frequencies, zero included.
        let wrong = SwiftEstimator(name: "zero-frequency") { input in
            try SpectralDensityRatio.ratio(try Self.kernels(input).0, try Self.kernels(input).1, averaging: .all)
                .doubleValue
        }
        var options = Self.options(.sdr1d)
        options.shrinkLimits = ShrinkLimits(maxAttempts: 2_000, maxSteps: 500, timeLimit: .seconds(60))
        let report = try Fuzzer.run(wrong, options: options)
        let finding = try #require(report.findings.first { $0.kind == .tolerance })
        // Shrunk to a short kernel pair with small integer entries (the original is up to 64 long with dyadic entries).
        let entries = { (key: String) -> [JSONValue] in if case let .array(a)? = finding.shrunk[key] { a } else { [] } }
        let (k1, k2) = (entries("k1"), entries("k2"))
        #expect(!k1.isEmpty && k1.count <= 5, "\(finding.shrunk.serialized())")
        let small: [JSONValue] = ["0", "1", "-1", "2", "-2", "1/2", "-1/2"].map { .string($0) }
        #expect((k1 + k2).allSatisfy { small.contains($0) }, "\(finding.shrunk.serialized())")
        #expect(finding.shrinkSteps > 0)
        // The minimal input as the estimator received it: the protocol request, numbers and all, ready to paste.
        let request = try #require(finding.requests.first)
        #expect(finding.requests.count == 1 && request["id"] == .int(0) && request["task"] == .string("sdr1d"))
        if case let .array(sent)? = request["k1"] { #expect(sent.count == k1.count) } else { Issue.record("no k1") }
        #expect(finding.json["requests"] == .array(finding.requests))
        // The worst error is the finding's, not the worst one within the tolerance.
        #expect((report.worst?.error ?? 0) > 1e-9)
    }

    @Test(.enabled(if: FuzzTests.hasNumpy, "needs python3 with numpy for examples/sdr_numpy.py"))
    func examplesAreCaughtOrPass() throws {
        let script = Self.root + "/examples/sdr_numpy.py"
        let every = FrequencyAveraging.allCases.flatMap { a in
            ActivationGrid.allCases.map { SDRConvention(averaging: a, grid: $0) }
        }
        // The example takes the request's conventions: correct under all of them; `ignores-grid` shows only when the
        // native grid is asked for.
        let expectations: [(bug: String?, task: EstimatorTask, conventions: [SDRConvention])] = [
            (nil, .sdr1d, [.paper]), (nil, .sdr2d, [.paper]), (nil, .batch, [.paper]), (nil, .strided, [.paper]),
            (nil, .layer, [.paper]), (nil, .sdr1d, every), (nil, .strided, every), (nil, .layer, every),
            ("zero-frequency", .sdr1d, [.paper]), ("normalisation", .batch, [.paper]),
            ("upsampling-index", .strided, [.paper]), ("ignores-grid", .strided, [.paper]),
            ("ignores-grid", .strided, every),
        ]
        for (bug, task, conventions) in expectations {
            let estimator = ExternalEstimator(
                command: "python3 '\(script)'" + (bug.map { " --bug \($0)" } ?? ""), timeout: 20)
            defer { estimator.stop() }
            var options = Self.options(task, cases: 40)
            options.conventions = conventions
            let report = try Fuzzer.run(estimator, options: options)
            if bug == "ignores-grid" && conventions == [.paper] {
                #expect(
                    report.findings.isEmpty, "ignores-grid under the paper's grid: \(report.findings.map(\.message))")
                continue
            }
            if bug == nil {
                #expect(report.findings.isEmpty, "correct example on \(task): \(report.findings.map(\.message))")
            } else {
                let finding = report.findings.first { $0.kind == .tolerance }
                #expect(finding != nil, "--bug \(bug!) on \(task) was not caught")
                #expect((finding?.shrinkSteps ?? 0) > 0)
            }
        }
    }

    /// A shell estimator (a script file run by sh): reads requests and answers as `body` says
    /// (`$id` is the request's id).
    static func shell(_ body: String) throws -> (ExternalEstimator, String) {
        let script = NSTemporaryDirectory() + "estimator-\(UUID().uuidString).sh"
        let text =
            "while read -r line; do id=$(echo \"$line\" | sed 's/.*\"id\": *\\([0-9]*\\).*/\\1/'); \(body); done\n"
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        return (ExternalEstimator(command: "sh '\(script)'", timeout: 2), script)
    }

    /// A chatty estimator — a banner at start-up and a debugging line before each answer — is a `garbage` finding,
    /// but its process keeps running: the answers read late are skipped, not taken for a wrong id, so the run costs no
    /// start-up per case (counted by the script in a file).
    @Test func aChattyEstimatorIsNotRestartedPerCase() throws {
        let starts = NSTemporaryDirectory() + "starts-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: starts) }
        let script = NSTemporaryDirectory() + "chatty-\(UUID().uuidString).sh"
        defer { try? FileManager.default.removeItem(atPath: script) }
        let text =
            "echo start >> '\(starts)'; echo 'loading…'\n"
            + "while read -r line; do id=$(echo \"$line\" | sed 's/.*\"id\": *\\([0-9]*\\).*/\\1/'); "
            + "echo debug; echo \"{\\\"id\\\": $id, \\\"value\\\": 1}\"; done\n"
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let estimator = ExternalEstimator(command: "sh '\(script)'", timeout: 2)
        defer { estimator.stop() }
        let report = try Fuzzer.run(estimator, options: Self.options(.sdr1d, cases: 40))
        let finding = try #require(report.findings.first { $0.kind == .garbage })
        #expect(finding.occurrences == 40 && finding.inputIndependent)
        let started = try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n").count
        #expect(started <= 4, "\(started) processes for 40 cases")  // the shrinker's fresh-process replays
    }

    /// A process that crashes on every request: once the smallest inputs show the crash too, the run stops after 16
    /// crashing cases in a row rather than restart the process for every remaining case, and says so; a crash that
    /// depends on the input does not stop it.
    @Test func aRunStopsWhenEveryCaseCrashesWhateverTheInput() throws {
        let (always, script) = try Self.shell("exit 3")
        defer { always.stop(); try? FileManager.default.removeItem(atPath: script) }
        let report = try Fuzzer.run(always, options: Self.options(.sdr1d, cases: 100))
        #expect(report.cases == 16 && report.requestedCases == 100)
        #expect(report.stoppedEarly?.contains("does not depend on the input") == true)
        #expect(report.json["stoppedEarly"] != .null)
        // Crashes only on kernels of even length: input-dependent, the run goes on.
        let (even, evenScript) = try Self.shell(
            "n=$(echo \"$line\" | sed 's/.*\"k1\":\\[\\([^]]*\\)\\].*/\\1/' | tr ',' '\\n' | wc -l); "
                + "if [ $((n % 2)) -eq 0 ]; then exit 3; fi; echo \"{\\\"id\\\": $id, \\\"value\\\": 1}\"")
        defer { even.stop(); try? FileManager.default.removeItem(atPath: evenScript) }
        let partial = try Fuzzer.run(even, options: Self.options(.sdr1d, cases: 40))
        #expect(partial.cases == 40 && partial.stoppedEarly == nil)
        #expect(partial.findings.contains { $0.kind == .crash && !$0.inputIndependent })
    }

    @Test(arguments: [
        ("exit 3", "crash"),
        ("sleep 30", "hang"),
        ("echo 'not json'", "garbage"),
        ("echo \"{\\\"id\\\": 999999, \\\"value\\\": 1}\"", "wrong-id"),
        ("echo \"{\\\"id\\\": $id, \\\"value\\\": NaN}\"", "non-finite"),
        ("echo \"{\\\"id\\\": $id, \\\"error\\\": \\\"no\\\"}\"", "unexpected-error"),
    ])
    func misbehavingProcessesAreFindings(body: String, kind: String) throws {
        let (estimator, script) = try Self.shell(body)
        defer { estimator.stop(); try? FileManager.default.removeItem(atPath: script) }
        let directory = NSTemporaryDirectory() + "fuzz-\(kind)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = Self.options(.sdr1d, cases: kind == "hang" ? 1 : 6, directory: directory)
        options.shrinkLimits = ShrinkLimits(maxAttempts: kind == "hang" ? 1 : 4, maxSteps: 4, timeLimit: .seconds(10))
        let report = try Fuzzer.run(estimator, options: options)
        try #require(
            report.findings.contains { $0.kind.rawValue == kind },
            "\(report.findings.map { "\($0.kind): \($0.message)" })")
        // Written atomically as it arose: one JSON file per finding kind, parseable.
        // A process that fails on every request fails on the smallest defined and undefined cases alike: recognised as
        // input-independent after those two tries and not shrunk further.
        let finding = try #require(report.findings.first { $0.kind.rawValue == kind })
        let everyRequest = ["crash", "hang", "garbage", "wrong-id", "non-finite"]
        #expect(finding.inputIndependent == everyRequest.contains(kind), "\(kind)")
        if finding.inputIndependent { #expect(finding.shrunk["k1"] == .array([.string("1"), .string("0")])) }
        let file = directory + "/sdr1d--\(kind).json"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(try JSONValue(parsing: text)["kind"] == .string(kind))
    }

    /// A command that cannot run (the shell's 127 before any answer) is one cannot-start finding, and the run stops.
    @Test func aCommandThatCannotRunStopsTheRun() throws {
        let estimator = ExternalEstimator(command: "/nonexistent/estimator --flag", timeout: 2)
        defer { estimator.stop() }
        let report = try Fuzzer.run(estimator, options: Self.options(.sdr1d, cases: 20))
        #expect(report.findings.map(\.kind) == [.cannotStart])
        #expect(report.cases == 1)
    }

    @Test func replayRebuildsTheFindingsCase() throws {
        let wrong = SwiftEstimator(name: "off by one") { input in
            try SpectralDensityRatio.ratio(try Self.kernels(input).0, try Self.kernels(input).1).doubleValue + 1
        }
        let report = try Fuzzer.run(wrong, options: Self.options(.sdr1d, cases: 5))
        let finding = try #require(report.findings.first)
        let replayed = try Fuzzer.replay(finding.replay, estimator: wrong, options: Self.options(.sdr1d))
        #expect(replayed.input.json == finding.shrunk)
        #expect(replayed.finding?.kind == finding.kind)
    }

    /// `--shard i/n` runs case j on shard j mod n; merging the shards' JSON gives the unsharded report
    /// (findings with their shrunk cases, counts, worst error and the exact quantiles).
    @Test(arguments: [2, 3])
    func shardedFuzzRunsMergeToTheUnshardedRun(n: Int) throws {
        let wrong = SwiftEstimator(name: "wrong on long kernels") { input in
            let rho = try SpectralDensityRatio.ratio(try Self.kernels(input).0, try Self.kernels(input).1).doubleValue
            return (try Self.kernels(input).0).count > 20 ? rho * (1 + 1e-6) : rho
        }
        func strip(_ v: JSONValue) -> JSONValue {
            guard case let .object(members) = v else { return v }
            return .object(members.filter { !["timing", "shard", "errors"].contains($0.key) })
        }
        let whole = try Fuzzer.run(wrong, options: Self.options(.sdr1d, cases: 30)).json
        let shards = try (0..<n).map { i -> JSONValue in
            var options = Self.options(.sdr1d, cases: 30)
            options.shard = try Shard(index: i, count: n)
            return try Fuzzer.run(wrong, options: options).json
        }
        let merged = try FuzzCampaign.merge(shards)
        #expect(whole["findings"] != .array([]), "the planted error must be found")
        #expect(strip(merged) == strip(whole))
        if case let .array(a)? = merged["errors"], case let .array(b)? = whole["errors"] {
            #expect(a.count == b.count)
        }
    }

    /// Shards judged differently (another --precision or --tolerance) are not one run: merge refuses them.
    @Test func mergeRefusesShardsJudgedDifferently() throws {
        var a = Self.options(.sdr1d, cases: 4)
        a.shard = try Shard(index: 0, count: 2)
        var b = a
        b.shard = try Shard(index: 1, count: 2)
        let first = try Fuzzer.run(SwiftEstimator.fast, options: a).json
        for change in [{ (o: inout FuzzOptions) in o.precision = .float32 }, { $0.tolerance = 1e-9 }] {
            var other = b
            change(&other)
            let second = try Fuzzer.run(SwiftEstimator.fast, options: other).json
            #expect(throws: CampaignError.self) { try FuzzCampaign.merge([first, second]) }
        }
        #expect(
            try FuzzCampaign.merge([first, try Fuzzer.run(SwiftEstimator.fast, options: b).json])["cases"] == .int(4))
    }

    @Test func sameSeedSameReport() throws {
        let wrong = SwiftEstimator(name: "half") { input in
            try SpectralDensityRatio.ratio(try Self.kernels(input).0, try Self.kernels(input).1).doubleValue / 2
        }
        var first = try Fuzzer.run(wrong, options: Self.options(.sdr2d, cases: 20)),
            second = try Fuzzer.run(wrong, options: Self.options(.sdr2d, cases: 20))
        (first.seconds, second.seconds) = (0, 0)
        (first.profile, second.profile) = (FuzzProfile(), FuzzProfile())
        #expect(first.json == second.json)
    }

    /// The two kernels of an sdr1d/sdr2d case.
    static func kernels(_ input: EstimatorCase) throws -> (RationalImage, RationalImage) {
        switch input {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2): return (k1, k2)
        default: throw Discard("not an SDR case")
        }
    }
}
