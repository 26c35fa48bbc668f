/// The result of one `oracle check` run — the whole case space, or one shard of a campaign — and the
/// merge of a campaign's shards into the result the unsharded run gives (`oracle merge`).
public struct CheckRun: Sendable, Equatable, JSONRenderable {
    public var seed: UInt64
    public var shard: Shard
    /// `--cases` (nil: each reading's default).
    public var cases: Int?
    public var outcomes: [ReadingOutcome]

    public init(seed: UInt64, shard: Shard = .whole, cases: Int? = nil, outcomes: [ReadingOutcome]) {
        self.seed = seed
        self.shard = shard
        self.cases = cases
        self.outcomes = outcomes
    }

    /// Decides `readings` with `options` (its seed, cases and shard are the run's), `jobs` readings at once (and
    /// `jobs` threads for a reading's own simulation: `CheckOptions.jobs`).
    ///
    /// Readings share no mutable state (each derives its seed from the run's and its label, and writes only its own
    /// corpus file, atomically), so deciding them on several threads changes nothing but the time: worker threads
    /// take readings in order from a queue, and `before` and `each` are called on this thread in reading order, as
    /// in a serial run (`before(k)` when reading k is the next one awaited, `each` once it is decided).
    public static func deciding(
        _ readings: [ClaimReading], options: CheckOptions, jobs: Int = 1,
        before: (_ index: Int, ClaimReading) -> Void = { _, _ in },
        each: (ReadingOutcome) -> Void = { _ in }
    ) -> CheckRun {
        var outcomes: [ReadingOutcome] = []
        let workers = min(max(1, jobs), readings.count)
        var options = options
        options.jobs = max(1, jobs)
        let decide: @Sendable (Int) -> ReadingOutcome = { [options] in readings[$0].decide(options) }
        let pool = workers > 1 ? OrderedWorkPool<ReadingOutcome>(count: readings.count) : nil
        // The readings recurse as deeply on a worker as on the main thread: give workers the main thread's 8 MiB.
        pool?.start(workers: workers, stackSize: 8 << 20, decide)
        for (index, reading) in readings.enumerated() {
            before(index, reading)
            let outcome = pool?.wait(index) ?? decide(index)
            each(outcome)
            outcomes.append(outcome)
        }
        pool?.drain(workers: workers)
        return CheckRun(seed: options.seed, shard: options.shard, cases: options.cases, outcomes: outcomes)
    }

    /// `{"seed", "claims"}` as documented in README; a shard adds `"shard": "i/n"` and `"cases"`
    /// (the `--cases` option, null for each reading's default) before `claims`.
    public var json: JSONValue {
        if shard.isWhole { return .object(["seed": .string(String(seed)), "claims": .array(outcomes.map(\.json))]) }
        return .object([
            "seed": .string(String(seed)), "shard": .string(shard.description),
            "cases": cases.map(JSONValue.int) ?? .null,
            "claims": .array(outcomes.map(\.json)),
        ])
    }

    /// Reads the JSON of `oracle check --json` back.
    public init(json: JSONValue) throws(CampaignError) {
        guard case let .string(seedText)? = json["seed"], let seed = UInt64(seedText) else {
            throw .malformed("missing decimal string 'seed' (expected the output of `oracle check --json`)")
        }
        guard case let .array(items)? = json["claims"] else { throw .malformed("missing array 'claims'") }
        var shard = Shard.whole
        if case let .string(s)? = json["shard"] {
            do { shard = try Shard(parsing: s) } catch { throw .malformed(error.description) }
        }
        var cases: Int?
        if case let .int(c)? = json["cases"] { cases = c }
        var outcomes: [ReadingOutcome] = []
        for item in items { outcomes.append(try ReadingOutcome(json: item)) }
        self.init(seed: seed, shard: shard, cases: cases, outcomes: outcomes)
    }

    /// Merges the results of shards 0/n … (n−1)/n of one campaign (any order) into the result of the
    /// unsharded run: verdict refuted when any shard refuted; the counterexample of the failure the
    /// unsharded run meets first (corpus < exhaustive < random, then the smallest index); the cases
    /// of all shards. Throws when the runs do not form one campaign.
    public static func merge(_ runs: [CheckRun]) throws(CampaignError) -> CheckRun {
        guard let first = runs.first else { throw .noInput }
        let seeds = Array(Set(runs.map(\.seed))).sorted()
        guard seeds.count == 1 else { throw .mixedSeeds(seeds.map(String.init)) }
        let caseCounts = Array(Set(runs.map { $0.cases.map(String.init) ?? "default" })).sorted()
        guard caseCounts.count == 1 else { throw .mixedCaseCounts(caseCounts) }
        let counts = Array(Set(runs.map(\.shard.count))).sorted()
        guard counts.count == 1 else { throw .mixedShardCounts(counts) }
        let n = counts[0]
        var byIndex: [Int: CheckRun] = [:]
        for run in runs {
            guard byIndex[run.shard.index] == nil else { throw .duplicateShard(run.shard.index) }
            byIndex[run.shard.index] = run
        }
        // Indices are distinct and below n, so n results are all of them (n may be near Int.max: never loop to n).
        guard runs.count == n else {
            throw .missingShards(CampaignError.missing(from: Set(byIndex.keys), count: n), of: n)
        }
        if n == 1 { return first }
        let ordered = runs.sorted { $0.shard.index < $1.shard.index }
        let labels = ordered[0].outcomes.map { "\($0.id)/\($0.reading)" }
        guard ordered.allSatisfy({ $0.outcomes.map { "\($0.id)/\($0.reading)" } == labels }) else {
            throw .mixedReadings
        }
        var merged: [ReadingOutcome] = []
        for i in labels.indices {
            merged.append(try mergeReading(ordered.map { $0.outcomes[i] }))
        }
        return CheckRun(seed: seeds[0], shard: .whole, cases: first.cases, outcomes: merged)
    }

    /// One reading across the shards (given in shard order).
    static func mergeReading(_ parts: [ReadingOutcome]) throws(CampaignError) -> ReadingOutcome {
        func whole(_ o: ReadingOutcome) -> ReadingOutcome { var o = o; o.shard = nil; return o }
        // A shard that could not decide the reading at all (no record): its account stands.
        if let undecided = parts.first(where: { $0.shard == nil }) { return whole(undecided) }
        var logs: [ShardLog] = []
        for part in parts {
            switch part.shard {
            case .decidedHere?, nil: return whole(part)
            case .skipped?: continue
            case .cases(let log)?: logs.append(log)
            }
        }
        guard logs.count == parts.count else {
            throw .mixedRuns("\(parts[0].id)/\(parts[0].reading) is decided whole on no shard")
        }
        let m = ShardLog.merge(logs)
        let base = parts[0]
        if m.generated == 0, let error = m.generationError {
            return ReadingOutcome(
                id: base.id, reading: base.reading, kind: base.kind, verdict: .inconclusive, evidence: .tested,
                expected: base.expected, cases: 0, counterexample: nil, note: "could not be decided: \(error)")
        }
        let counterexample = m.winner.flatMap { parts[$0].counterexample }
        let holds = counterexample == nil
        let complete = holds && (m.exhaustive.map { $0.complete && !$0.capped } ?? false)
        // Every shard walks the whole exhaustive tree, so when it was complete each shard reports the same evidence.
        var merged = ReadingOutcome(
            id: base.id, reading: base.reading, kind: base.kind, verdict: holds ? .holds : .refuted,
            evidence: complete ? base.evidence : .tested, expected: base.expected,
            cases: m.casesRun, counterexample: counterexample,
            note: ClaimReading.casesNote(
                casesRun: m.casesRun, exhaustive: m.exhaustive,
                discarded: m.discarded))
        merged.bound = complete ? base.bound : nil
        merged.requiredNonTrivialShare = base.requiredNonTrivialShare
        merged.coverage = m.coverage
        return merged
    }

    /// Corpus entries for the refuted readings (from their counterexamples), for `oracle merge --corpus`.
    public var corpusEntries: [Corpus.Entry] {
        outcomes.compactMap { o in
            guard let c = o.counterexample, !c.replay.isEmpty, let replay = try? Replay(parsing: c.replay) else {
                return nil
            }
            return Corpus.Entry(
                claim: o.id, reading: o.reading, replay: replay, caseJSON: c.case, shrinkSteps: c.shrinkSteps)
        }
    }
}
