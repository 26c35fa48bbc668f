import ArgumentParser
import MechanismCommon
import Foundation
import Oracle
import Reference

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the registered claims and their readings.")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let readings = ClaimRegistry.all
        if json {
            let items: [JSONValue] = readings.map {
                .object([
                    "id": .string($0.id), "reading": .string($0.reading), "kind": .string($0.kind.rawValue),
                    "expected": .string($0.expected.rawValue), "statement": .string($0.statement),
                ])
            }
            emit(JSONValue.object(["claims": .array(items)]).serialized(pretty: true))
            return
        }
        let width = readings.map { $0.label.count }.max() ?? 10
        for r in readings {
            emit(
                "\(r.label.padding(toLength: width, withPad: " ", startingAt: 0))  "
                    + "\(r.kind.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))  \(r.statement)"
            )
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Decide the registered readings (all by default) and print the table.",
        discussion:
            "Exit status: 0 when every computed verdict equals the documented one, 1 when any differs, 2 on usage "
            + "errors. A shard of a campaign (--shard i/n, n > 1) exits 0 once it ran: its verdicts are partial, and "
            + "`oracle merge` decides them."
    )

    @Argument(help: "Claim ids (e.g. b4.parseval) or id/reading labels; all when none.") var ids: [String] = []
    @Option(parsing: .unconditional, help: "Random cases per reading (default: each reading's own, at least 200).")
    var cases: Int?
    @Option(parsing: .unconditional, help: "The run's seed (decimal or 0x-hex).") var seed = SeedArgument(0)
    @Option(parsing: .unconditional, help: "Replay one case from its replay string (needs exactly one reading).")
    var replay: String?
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "Counterexample corpus directory (replayed first; failures saved there). Default: "
                    + "Tests/Regression/Corpus of this package, found from the working directory or the executable, "
                    + "read-only: new and smaller counterexamples go to its .oracle-cache/corpus (`oracle promote` "
                    + "commits them); none outside the package.")
    ) var corpus: String?
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "Where new and smaller counterexamples are written, in front of the corpus, which is then only read "
                    + "(default for the package's corpus: its .oracle-cache/corpus; give one per shard of a campaign).")
    ) var cache: String?
    @Flag(help: "Run without reading or writing the corpus.") var noCorpus = false
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @OptionGroup var limits: LimitOptions
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "Run shard i of n (i/n): exhaustive sequence and random case j run on shard j mod n, "
                    + "the corpus on every shard; `oracle merge` combines the shards' --json results.")
    ) var shard: String = "0/1"
    @Option(
        parsing: .unconditional,
        help: "Readings decided at once (default: the active cores); the output does not depend on it.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if let cases {
            try limits.requireCount(cases, atLeast: 1, "--cases")
        }
        try requireJobs(jobs)
    }

    func run() throws {
        let seed = seed.value
        let readings: [ClaimReading]
        do { readings = try ClaimRegistry.readings(for: ids) } catch { throw ValidationError(error.description) }
        if replay != nil && readings.count != 1 {
            throw ValidationError(
                "--replay needs exactly one reading; name it as ID/READING (these match: "
                    + "\(readings.map(\.label).joined(separator: ", ")))"
            )
        }
        let part: Shard
        do { part = try Shard(parsing: shard) } catch { throw ValidationError("--shard: \(error)") }
        if replay != nil && !part.isWhole {
            throw ValidationError("--replay runs one case: it cannot be combined with --shard")
        }
        // A malformed replay string is the user's to fix: report it and stop.
        if let replay {
            do { _ = try Replay(parsing: replay) } catch { throw ValidationError("--replay: \(error)") }
        }
        let corpusStore: Corpus? = noCorpus || replay != nil ? nil : Self.corpus(given: corpus, cache: cache)
        let options = CheckOptions(seed: seed, cases: cases, corpus: corpusStore, replay: replay, shard: part)
        // On a terminal: which reading is being decided, how far the run is, and its rate (on stderr; quiet with
        // --json).
        let showProgress = !json && isatty(STDERR_FILENO) == 1
        let clock = ContinuousClock(), start = clock.now
        let run = CheckRun.deciding(
            readings, options: options, jobs: jobs,
            before: { index, reading in
                guard showProgress else { return }
                let elapsed =
                    Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds)
                    * 1e-18
                let rate = elapsed > 0 ? String(format: ", %.1f readings/s", Double(index) / elapsed) : ""
                progressLine(
                    "checking \(index + 1)/\(readings.count): \(reading.label) (\(reading.kind.rawValue))\(rate)")
            }
        ) { outcome in
            if showProgress { progressLine(nil) }
            if !json { emit(Self.row(outcome)) }
        }
        let outcomes = run.outcomes
        if let cache = corpusStore?.cache, let pending = try? Corpus(directory: cache).loadAll(), !pending.isEmpty {
            FileHandle.standardError.write(
                Data(
                    ("note: \(pending.count) counterexample(s) not in the committed corpus are in \(cache); "
                        + "`oracle promote` commits them\n").utf8))
        }
        if json {
            emit(run.json.serialized(pretty: true))
        } else {
            let mismatches = outcomes.filter { !$0.matchesExpectation }
            let thin = outcomes.filter { !$0.meetsCoverage }
            emit(
                "\(outcomes.count) readings: \(outcomes.filter { $0.verdict == .holds }.count) hold, "
                    + "\(outcomes.filter { $0.verdict == .refuted }.count) refuted, "
                    + "\(outcomes.filter { $0.verdict == .inconclusive }.count) inconclusive; \(mismatches.count) "
                    + "differ from proofs.md; \(thin.count) below their non-trivial share"
            )
        }
        // A shard's verdicts and coverage are partial (a refuting case may have landed on another shard): it ran, so
        // it exits 0, and `oracle merge` decides the campaign.
        if part.count > 1 { return }
        if outcomes.contains(where: { !$0.matchesExpectation || !$0.meetsCoverage }) { throw ExitCode(1) }
    }

    /// The corpus a run reads and writes: the directory given (created on the first save), else the package's
    /// committed corpus (`CorpusLocation`), read-only behind its cache `.oracle-cache/corpus` where new and smaller
    /// counterexamples go (`oracle promote` commits them), else none — a run outside the package writes nothing where
    /// it runs.
    /// With `cache`, the corpus is only read and writes go there.
    static func corpus(given directory: String?, cache: String? = nil) -> Corpus? {
        if let directory { return Corpus(directory: directory, cache: cache) }
        if let committed = CorpusLocation.committedCorpus() {
            return Corpus(directory: committed, cache: cache ?? CorpusLocation.cache(forCommitted: committed))
        }
        if let cache { return Corpus(directory: cache) }
        FileHandle.standardError.write(
            Data(
                ("note: no corpus: this is not inside the \(CorpusLocation.packageName) package, so no counterexample "
                    + "is replayed or saved (give --corpus DIR to keep them)\n").utf8))
        return nil
    }

    static func row(_ o: ReadingOutcome) -> String {
        let mark = o.matchesExpectation && o.meetsCoverage ? " " : "✗"
        var line = "\(mark) \(o.id)/\(o.reading)".padding(toLength: 44, withPad: " ", startingAt: 0)
        line += " \((o.isSkipped ? "skipped" : o.verdict.rawValue).padding(toLength: 9, withPad: " ", startingAt: 0))"
        line += " \(o.evidence.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))"
        line += " expected \(o.expected.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(o.note)"
        if let bound = o.bound { line += "; bound \(bound)" }
        let coverage = o.coverageSummary
        if !coverage.isEmpty { line += "\n    coverage: \(coverage)" }
        if let c = o.counterexample {
            line +=
                "\n    counterexample: \(c.case.serialized())\n    replay: oracle check \(o.id)/\(o.reading) --replay "
                + "\(c.replay)"
        }
        return line
    }
}
