import ArgumentParser
import MechanismCommon
import Foundation
import Oracle

struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract:
            "Run an SDR estimator (or a companion paper's scores) against the exact Reference: worst error, error "
            + "quantiles, and every failure shrunk to a minimal input.",
        discussion: """
            The estimator is a program reading one JSON request per line on stdin and answering one JSON line per \
            request on stdout (see README, "Fuzzing estimators"). Crashes, hangs (per-request timeout), garbage, \
            wrong ids, NaN and answers beyond their error budget are findings; each kind is shrunk and written \
            atomically to --findings as it arises. An answer's budget is 8·(⌈log₂N⌉ + 1)·u·(κ + 1): κ the SDR's \
            condition number at that input, u the unit roundoff of --precision (docs/fuzzing.md, "How answers are \
            judged"); --tolerance replaces it with a fixed relative error. The tasks ic-scores (paper 002's INV, EQV, \
            SCN, L_INV, L_EQV) and cage-scores (paper 004's GATE and Δτ) judge by 8·u·(κ + 1), κ from a running error \
            bound of the printed formula (docs/fuzzing.md, "Companion scores"). Exit status: 0 no finding, \
            1 findings, 2 usage errors.
            """)

    @Option(parsing: .unconditional, help: "The estimator's command line, run with /bin/sh -c.") var exec: String?
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Fuzz a built-in Swift estimator instead of a process: fast (the Fast mirror's SDREstimators; the "
                + "companion scores' printed formulas in Double)."))
    var builtin: BuiltinEstimator?
    @Option(
        parsing: .unconditional,
        help:
            "The task: sdr1d, sdr2d, batch, strided, layer, ic-scores or cage-scores (README, \"Fuzzing estimators\")."
    ) var task: EstimatorTask
    @Option(parsing: .unconditional, help: "Cases to run.") var cases = 500
    @Option(
        parsing: .unconditional,
        help: "A fixed largest acceptable relative error, instead of each case's budget 8·(⌈log₂N⌉ + 1)·u·(κ + 1).")
    var tolerance: Double?
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "The estimator's arithmetic: float64 (or 64; u = 2^-53) or float32 (or 32; u = 2^-24, for a "
                    + "single-precision estimator); sets u in the budget.")
    ) var precision: Conditioning.Precision = .float64
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "The frequencies ⟨·⟩ averages over, sent as each request's \"averaging\": nonzero (the paper's), all, "
                    + "or both (drawn per case).")
    ) var averaging = AveragingChoice.nonzero
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "The activation grid of eq. (24) for strided and layer, sent as each request's \"grid\": upsampled "
                    + "(the default), native (the maps' own grid, as eq. (24) is printed), or both (drawn per case).")
    ) var grid = GridChoice.upsampled
    @Option(parsing: .unconditional, help: "Seed (decimal or 0x-hex).") var seed = SeedArgument(0)
    @Option(
        parsing: .unconditional,
        help: "Seconds to wait for each answer (twice that for a process's first) before killing and restarting it.")
    var timeout = 10.0
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "Extra seconds for the first request of each fresh estimator process: its start-up (e.g. "
                    + "`import torch`), which otherwise counts against --timeout.")
    ) var startupTimeout = 0.0
    @Option(parsing: .unconditional, help: "Directory for findings (one JSON file per kind, written atomically).")
    var findings = "fuzz-findings"
    @Option(
        parsing: .unconditional,
        help: "Run shard i of n (i/n): case j runs on shard j mod n; `oracle merge` combines the shards.") var shard =
        "0/1"
    @Option(
        parsing: .unconditional,
        help: "Run only the case of this replay string (printed with each finding) and report it.") var replay: String?
    @Option(
        parsing: .unconditional,
        help: "Estimator processes judging cases at once (default: the cores); the report does not depend on it.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(
        parsing: .unconditional,
        help: "Cases whose requests each process keeps in flight (pipelining); the report does not depend on it.")
    var pipeline = 4
    @Flag(help: "Print where the time went (generation, exact value, estimator, judging, shrinking).") var profile =
        false
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        try limits.requireCount(cases, atLeast: 1, "--cases")
        if let tolerance, !(tolerance >= 0 && tolerance.isFinite) {
            throw ValidationError("--tolerance must be a finite non-negative number, got \(tolerance)")
        }
        guard pipeline >= 1, pipeline <= 64 else {
            throw ValidationError("--pipeline must be in 1…64, got \(pipeline)")
        }
        try requireJobs(jobs)
        guard timeout > 0, timeout.isFinite else {
            throw ValidationError("--timeout must be a positive number of seconds, got \(timeout)")
        }
        guard startupTimeout >= 0, startupTimeout.isFinite else {
            throw ValidationError("--startup-timeout must be a non-negative number of seconds, got \(startupTimeout)")
        }
        guard (exec == nil) != (builtin == nil) else {
            throw ValidationError(
                exec == nil
                    ? "name the estimator: --exec \"python3 my_sdr.py\" (a JSON-lines process) or --builtin fast"
                    : "give --exec or --builtin, not both")
        }
    }

    func run() throws {
        let seed = seed.value
        let shard: Shard
        do { shard = try Shard(parsing: self.shard) } catch { throw ValidationError("--shard: \(error)") }
        func make() -> Estimator {
            if let command = exec {
                return ExternalEstimator(command: command, timeout: timeout, startupTimeout: startupTimeout)
            }
            switch builtin! {
            case .fast: return SwiftEstimator.fast
            }
        }
        let estimator = make()
        // With --jobs N > 1, or requests pipelined to a process: N workers judge the cases, `estimator` replays and
        // shrinks the findings.
        let separate = replay == nil && (jobs > 1 || (pipeline > 1 && exec != nil))
        let workers = separate ? (0..<jobs).map { _ in make() } : [estimator]
        defer { for e in workers + [estimator] { (e as? ExternalEstimator)?.stop() } }
        var options = FuzzOptions(
            task: task, cases: cases, tolerance: tolerance, precision: precision,
            seed: seed, shard: shard, findingsDirectory: findings)
        options.conventions = averaging.values.flatMap { a in grid.values.map { SDRConvention(averaging: a, grid: $0) }
        }
        if let replay {
            let r:
                (
                    input: FuzzCase, exact: String, answer: String, finding: (kind: FindingKind, message: String)?,
                    reading: BudgetReading?
                )
            do { r = try Fuzzer.replay(replay, estimator: estimator, options: options) } catch {
                throw ValidationError("--replay \(replay): \(error)")
            }
            if json {
                emit(
                    JSONValue.object([
                        "case": r.input.json, "exact": .string(r.exact), "answer": .string(r.answer),
                        "finding": r.finding.map {
                            .object(["kind": .string($0.kind.rawValue), "message": .string($0.message)])
                        } ?? .null,
                        "relativeError": r.reading.map { .number($0.relativeError) } ?? .null,
                        "conditionNumber": r.reading.map { .number($0.conditionNumber) } ?? .null,
                        "budget": r.reading.map { .number($0.budget) } ?? .null,
                        "errorInBudgets": r.reading.map { .number($0.errorInBudgets) } ?? .null,
                    ])
                    .serialized(pretty: true))
            } else {
                emit("case: \(r.input.json.serialized())\nexact: \(r.exact)\nanswer: \(r.answer)")
                if let reading = r.reading { emit("relative error \(reading.relativeError): \(reading.summary)") }
                emit(
                    r.finding.map { "finding [\($0.kind)]: \($0.message)" }
                        ?? (tolerance.map { "within tolerance \($0)" } ?? "within budget"))
            }
            if r.finding != nil { throw ExitCode(1) }
            return
        }
        let showProgress = !json && isatty(STDERR_FILENO) == 1
        let clock = ContinuousClock(), start = clock.now
        func elapsed() -> Double {
            let d = clock.now - start; return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let report = try Fuzzer.run(
            workers: workers, shrinkingWith: estimator, options: options, pipeline: pipeline,
            progress: { done, found in
                if showProgress {
                    progressLine(
                        "fuzzing \(task.rawValue): \(done) cases, "
                            + "\(String(format: "%.0f", Double(done) / max(elapsed(), 1e-9))) cases/s, \(found) "
                            + "finding kinds"
                    )
                }
            },
            shrinking: { kind in
                if showProgress { progressLine("fuzzing \(task.rawValue): shrinking a \(kind) finding…") }
            })
        if showProgress { progressLine(nil) }
        if json {
            emit(report.json.serialized(pretty: true))
        } else {
            emit(Self.summary(report))
            if profile { emit("profile: \(report.profile.summary) (summed over \(workers.count) workers)") }
        }
        if report.findings.contains(where: { $0.kind == .cannotStart }) {
            throw ValidationError("the estimator could not be started: check --exec")
        }
        if !report.findings.isEmpty { throw ExitCode(1) }
    }

    static func summary(_ r: FuzzReport) -> String {
        var lines = [
            "estimator: \(r.estimator)",
            "task: \(r.task.rawValue), \(r.cases) cases (\(r.undefinedCases) with an undefined "
                + (r.task.isCompanion ? "score" : "SDR") + "), "
                + "\(String(format: "%.0f", r.seconds > 0 ? Double(r.cases) / r.seconds : 0)) cases/s",
        ]
        lines.append("judged by: \(r.budgetRule)")
        if let stopped = r.stoppedEarly {
            lines.append("stopped after \(r.cases) of \(r.requestedCases) cases: \(stopped)")
        }
        if let worst = r.worst {
            lines.append(
                "worst relative error: \(worst.error) (case \(worst.caseIndex)"
                    + (r.worstReading.map { "; \($0.summary)" } ?? "") + ")")
            let q = [0.5, 0.9, 0.99].map { r.quantile($0).map { String($0) } ?? "—" }
            lines.append("relative error quantiles: p50 \(q[0]), p90 \(q[1]), p99 \(q[2])")
        }
        if !r.families.isEmpty {
            lines.append(
                "families: " + r.families.keys.sorted().map { "\($0) \(r.families[$0]!)" }.joined(separator: ", "))
        }
        if let (reading, index, _) = r.worstInBudgets {
            lines.append("worst in budgets: case \(index), relative error \(reading.relativeError); \(reading.summary)")
        }
        if r.findings.isEmpty { lines.append("no findings") }
        // Single-quoted for the shell, a quote inside written '\''.
        let quoted = "'" + r.estimator.replacingOccurrences(of: "'", with: "'\\''") + "'"
        for f in r.findings {
            lines.append("finding [\(f.kind)] ×\(f.occurrences): \(f.message)")
            if f.kind == .cannotStart { continue }
            let how =
                f.kind == .flaky
                ? "not shrunk: it did not replay in a fresh process"
                : f.inputIndependent
                    ? "the smallest cases show it too: it does not depend on the input"
                    : "shrunk in \(f.shrinkSteps) steps"
            lines.append("  minimal input: \(f.shrunk.serialized())  (\(how))")
            let requests = f.requests
            if !requests.isEmpty {
                lines.append("  as sent to the estimator (protocol request\(requests.count == 1 ? "" : "s"), stdin):")
                lines += requests.map { "    " + $0.serialized() }
            }
            if f.kind == .flaky {
                lines.append("  requests before it (\(f.history.count), oldest first):")
                lines += f.history.map { "    " + $0.serialized() }
            }
            lines.append("  exact: \(f.exact); answer: \(f.answer)")
            let judging =
                (r.tolerance.map { " --tolerance \($0)" } ?? "") + (r.precision == .float32 ? " --precision 32" : "")
            lines.append(
                "  replay: oracle fuzz --exec \(quoted) --task \(r.task.rawValue)\(judging) --replay \(f.replay)"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// A progress line on standard error (nil clears it).
func progressLine(_ text: String?) {
    let line = text.map { "\r\u{1B}[K" + $0 } ?? "\r\u{1B}[K"
    FileHandle.standardError.write(Data(line.utf8))
}
