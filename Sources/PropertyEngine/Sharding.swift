import MechanismCommon
/// One machine's part of a campaign. Random case j and exhaustive sequence j (their enumeration
/// indices) run on shard `j mod count`; the corpus entry is replayed on every shard. Each case's seed
/// and size depend only on (seed, j), so the shards of a run together run exactly the cases of the
/// unsharded run, and `ShardLog.merge` recovers its verdict, counterexample and counts.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// The whole case space (no sharding).
    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1, index >= 0, index < count else { throw .invalid("\(index)/\(count)") }
        self.init(uncheckedIndex: index, count: count)
    }

    /// Parses `i/n` with 0 ≤ i < n.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { throw .invalid(text) }
        try self.init(index: i, count: n)
    }

    public var isWhole: Bool { count == 1 }
    public var description: String { "\(index)/\(count)" }

    /// Whether enumeration index `j` runs on this shard.
    public func owns(_ j: Int) -> Bool { j % count == index }

    /// How many of the indices `0..<limit` run on this shard (⌈(limit − index) / count⌉, without overflow).
    public func owned(below limit: Int) -> Int {
        limit <= index ? 0 : (limit - index - 1) / count + 1
    }

    /// The seed of random case j of a run seeded `seed` (independent of sharding); attempt r of case j
    /// (a discarded draw is retried inside its case) uses the (r+1)-th output of `SplitMix64(seed: caseSeed)`.
    public static func caseSeed(_ seed: UInt64, _ j: Int) -> UInt64 {
        SplitMix64.mix(seed &+ UInt64(j + 1) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The size parameter of random case j of `cases`: grows 0 → 100 with j (small cases first).
    public static func caseSize(_ j: Int, of cases: Int) -> Int {
        guard cases > 1, j > 0 else { return 0 }
        guard j < cases - 1 else { return ChoiceSource.maxSize }
        // ⌊maxSize · j / (cases − 1)⌋ < maxSize, with the product in 128 bits (j may be near Int.max).
        return (cases - 1).dividingFullWidth(ChoiceSource.maxSize.multipliedFullWidth(by: j)).quotient
    }

    /// Draws per random case: a discarded draw is replaced at most 9 times.
    public static let attemptsPerCase = 10
}

public enum ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String { "shard \"\(text)\" is not i/n with 0 ≤ i < n (e.g. 0/4)" }
    var text: String {
        switch self {
        case .invalid(let t): t
        }
    }
}

/// Where a case sits in the order of an (unsharded) run: corpus < exhaustive < random, then index.
public struct CasePosition: Sendable, Hashable, Codable, Comparable, JSONRenderable {
    public var phase: PropertyReport.Phase
    public var index: Int

    public init(phase: PropertyReport.Phase, index: Int) {
        self.phase = phase
        self.index = index
    }

    static func rank(_ p: PropertyReport.Phase) -> Int {
        switch p {
        case .replay: 0;
        case .corpus: 1;
        case .exhaustive: 2;
        case .random: 3
        }
    }

    public static func < (a: CasePosition, b: CasePosition) -> Bool {
        (rank(a.phase), a.index) < (rank(b.phase), b.index)
    }

    public var json: JSONValue { .object(["phase": .string(phase.rawValue), "index": .int(index)]) }

    public init(json: JSONValue) throws(CampaignError) {
        guard case let .string(p)? = json["phase"], let phase = PropertyReport.Phase(rawValue: p),
            case let .int(i)? = json["index"], i >= 0
        else {
            throw .malformed(
                "a case position needs 'phase' (replay, corpus, exhaustive or random) "
                    + "and a non-negative 'index'")
        }
        self.init(phase: phase, index: i)
    }
}

/// What one shard of a `Property.check` run did, in enough detail to merge the shards into the
/// unsharded run's report: per phase, which of its own cases were discarded, and where it stopped.
public struct ShardLog: Sendable, Equatable, Codable, JSONRenderable {
    public var shard: Shard
    /// The corpus case (replayed on every shard): 1 when it reached the property, and 1 when discarded.
    public var corpusCases = 0
    public var corpusDiscarded = 0
    /// The exhaustive pass as this shard walked it (every sequence is walked; only owned ones are tested).
    public var exhaustive: ExhaustiveSummary?
    /// Owned exhaustive sequences that were discarded (generator rejection or `Discard`).
    public var exhaustiveDiscards: [Int] = []
    /// Requested random cases (nil when the random phase did not run).
    public var randomCases: Int?
    /// Owned random cases with discarded draws: (index, discarded draws); `attemptsPerCase` means undecided.
    public var randomDiscards: [IndexCount] = []
    /// The shard's first failure (it stopped there).
    public var failure: CasePosition?
    /// Owned cases that generated a value, and the last generation error (for "no case could be generated").
    public var generated = 0
    public var generationError: String?
    public var generationErrorPosition: CasePosition?
    /// The coverage labels of each decided case, by position (sharded runs only), so that the merge
    /// recovers the unsharded run's coverage exactly.
    public var caseLabels: [CaseLabels] = []

    /// The labels of one decided case.
    public struct CaseLabels: Sendable, Equatable, Codable {
        public var position: CasePosition
        public var events: [String]
        public var targets: [String: Double]

        public init(position: CasePosition, labels: [CoverageLabel]) {
            self.position = position
            events = []
            targets = [:]
            for label in labels {
                switch label {
                case let .event(name): events.append(name)
                case let .target(name, value): targets[name] = max(targets[name] ?? -.infinity, value)
                }
            }
        }

        var labels: [CoverageLabel] {
            events.map(CoverageLabel.event) + targets.keys.sorted().map { .target($0, targets[$0]!) }
        }

        var json: JSONValue {
            .object([
                "phase": .string(position.phase.rawValue), "index": .int(position.index),
                "events": .array(events.map(JSONValue.string)),
                "targets": .object(targets.keys.sorted().map { .init($0, .number(targets[$0]!)) }),
            ])
        }

        init(json: JSONValue) throws(CampaignError) {
            guard case let .array(events)? = json["events"], case let .object(targets)? = json["targets"] else {
                throw .malformed("shard log: a case's labels need 'events' and 'targets'")
            }
            position = try CasePosition(json: json)
            self.events = []
            self.targets = [:]
            for e in events {
                guard case let .string(name) = e else { throw .malformed("shard log: events must be strings") }
                self.events.append(name)
            }
            for t in targets {
                switch t.value {
                case let .number(x): self.targets[t.key] = x
                case let .int(x): self.targets[t.key] = Double(x)
                default: throw .malformed("shard log: targets must be numbers")
                }
            }
        }
    }

    public struct IndexCount: Sendable, Equatable, Codable {
        public var index: Int
        public var count: Int
    }

    public init(shard: Shard) { self.shard = shard }

    public var json: JSONValue {
        .object([
            "shard": .string(shard.description), "corpusCases": .int(corpusCases),
            "corpusDiscarded": .int(corpusDiscarded),
            "exhaustive": exhaustive?.json ?? .null,
            "exhaustiveDiscards": .array(exhaustiveDiscards.map(JSONValue.int)),
            "randomCases": randomCases.map(JSONValue.int) ?? .null,
            "randomDiscards": .array(randomDiscards.map { .array([.int($0.index), .int($0.count)]) }),
            "failure": failure?.json ?? .null, "generated": .int(generated),
            "generationError": generationError.map(JSONValue.string) ?? .null,
            "generationErrorPosition": generationErrorPosition?.json ?? .null,
            "caseLabels": .array(caseLabels.map(\.json)),
        ])
    }

    /// Reads a log back, checking every count against what a run can write: the corpus counts are 0 or 1,
    /// indices and counts are non-negative, discard indices increase, and a random case has 1…`attemptsPerCase`
    /// discarded draws.
    public init(json: JSONValue) throws(CampaignError) {
        func int(_ key: String, in range: ClosedRange<Int> = 0...Int.max) throws(CampaignError) -> Int {
            guard case let .int(v)? = json[key], range.contains(v) else {
                throw .malformed("shard log: '\(key)' must be an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return v
        }
        guard case let .string(s)? = json["shard"] else { throw .malformed("shard log: missing 'shard'") }
        do { self.init(shard: try Shard(parsing: s)) } catch { throw .malformed(error.description) }
        corpusCases = try int("corpusCases", in: 0...1)
        corpusDiscarded = try int("corpusDiscarded", in: 0...1)
        generated = try int("generated")
        if let e = json["exhaustive"], e != .null { exhaustive = try ExhaustiveSummary(json: e) }
        guard case let .array(ed)? = json["exhaustiveDiscards"], case let .array(rd)? = json["randomDiscards"] else {
            throw .malformed("shard log: missing 'exhaustiveDiscards'/'randomDiscards'")
        }
        for item in ed {
            guard case let .int(i) = item, i > (exhaustiveDiscards.last ?? -1) else {
                throw .malformed("shard log: 'exhaustiveDiscards' must hold increasing non-negative integers")
            }
            exhaustiveDiscards.append(i)
        }
        for item in rd {
            guard case let .array(pair) = item, pair.count == 2, case let .int(i) = pair[0], case let .int(c) = pair[1],
                i > (randomDiscards.last?.index ?? -1), (1...Shard.attemptsPerCase).contains(c)
            else {
                throw .malformed(
                    "shard log: 'randomDiscards' must hold [index, count] pairs, indices increasing and "
                        + "non-negative, counts in 1…\(Shard.attemptsPerCase)")
            }
            randomDiscards.append(IndexCount(index: i, count: c))
        }
        if let r = json["randomCases"], r != .null { randomCases = try int("randomCases") }
        if let f = json["failure"], f != .null { failure = try CasePosition(json: f) }
        if case let .string(e)? = json["generationError"] { generationError = e }
        if let p = json["generationErrorPosition"], p != .null { generationErrorPosition = try CasePosition(json: p) }
        if case let .array(items)? = json["caseLabels"] {
            for item in items { caseLabels.append(try CaseLabels(json: item)) }
        }
    }

    /// The unsharded run's counts, recovered from the logs of all its shards.
    public struct Merged: Sendable, Equatable {
        /// The shard (position in the input) whose failure the unsharded run meets first, if any.
        public var winner: Int?
        public var casesRun: Int
        public var discarded: Int
        public var exhaustive: ExhaustiveSummary?
        /// Whether any case at all generated a value (else `generationError` is what the run throws).
        public var generated: Int
        public var generationError: String?
        /// The coverage of the cases the unsharded run decides.
        public var coverage = Coverage()
    }

    /// Merges the logs of shards 0..<n of one run (given in any order; each shard exactly once).
    /// The failure the unsharded run meets first is the least (phase, index) over the shards: every
    /// shard ran all of its cases before that point, so the counts below it are exact.
    public static func merge(_ logs: [ShardLog]) -> Merged {
        guard let first = logs.first else {
            return Merged(winner: nil, casesRun: 0, discarded: 0, exhaustive: nil, generated: 0, generationError: nil)
        }
        let failures = logs.enumerated().compactMap { shard, log in log.failure.map { (shard, $0) } }
        let firstFailure = failures.min { $0.1 < $1.1 }
        let (winner, stop) = (firstFailure?.0, firstFailure?.1)
        // Counts saturate at Int.max: a log may claim any count up to Int.max, and merging must not trap.
        var cases = 0, discarded = 0
        // The unsharded run decides every case up to its first failure; the corpus case is on every shard.
        var coverage = Coverage()
        for (k, log) in logs.enumerated() {
            for c in log.caseLabels
            where (c.position.phase != .corpus || k == 0) && stop.map({ c.position <= $0 }) ?? true {
                coverage.record(c.labels, phase: c.position.phase)
            }
        }
        if let stop, stop.phase == .corpus {
            return Merged(
                winner: winner, casesRun: 1, discarded: 0, exhaustive: nil, generated: 1, generationError: nil,
                coverage: coverage)
        }
        cases = cases.saturatingAdd(first.corpusCases)
        discarded = discarded.saturatingAdd(first.corpusDiscarded)
        var exhaustive: ExhaustiveSummary? = nil
        if first.exhaustive != nil {
            // Sequences 0...stop (or all walked) count.
            let limit = stop.map { $0.phase == .exhaustive ? $0.index.saturatingAdd(1) : Int.max } ?? Int.max
            let walked = logs.compactMap(\.exhaustive).map(\.sequences).max() ?? 0
            let end = min(limit, walked)
            for log in logs {
                let skipped = log.exhaustiveDiscards.filter { $0 < end }.count
                cases = cases.saturatingAdd(log.shard.owned(below: end) - skipped)
                discarded = discarded.saturatingAdd(skipped)
            }
            if let w = winner, stop?.phase == .exhaustive {
                exhaustive = logs[w].exhaustive
            } else {
                exhaustive = first.exhaustive
            }
        }
        if let requested = first.randomCases, stop == nil || stop?.phase == .random {
            let end = stop.map { $0.index.saturatingAdd(1) } ?? requested
            for log in logs {
                let below = log.randomDiscards.filter { $0.index < end }
                let undecided = below.filter { $0.count >= Shard.attemptsPerCase }.count
                cases = cases.saturatingAdd(log.shard.owned(below: end) - undecided)
                discarded = below.reduce(discarded) { $0.saturatingAdd($1.count) }
            }
        }
        let generated = logs.reduce(0) { $0.saturatingAdd($1.generated) }
        let lastError = logs.filter { $0.generationError != nil }
            .max {
                ($0.generationErrorPosition ?? CasePosition(phase: .corpus, index: 0))
                    < ($1.generationErrorPosition ?? CasePosition(phase: .corpus, index: 0))
            }
        return Merged(
            winner: winner, casesRun: cases, discarded: discarded, exhaustive: exhaustive,
            generated: generated, generationError: lastError?.generationError, coverage: coverage)
    }
}

extension Int {
    /// self + other, or Int.max / Int.min where that overflows.
    func saturatingAdd(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

extension ExhaustiveSummary {
    public init(json: JSONValue) throws(CampaignError) {
        guard case let .int(s)? = json["sequences"], case let .int(g)? = json["generated"],
            case let .int(r)? = json["rejected"],
            case let .bool(c)? = json["complete"], case let .bool(capped)? = json["capped"],
            let capValue = json["valueCap"]
        else {
            throw .malformed("exhaustive summary: missing fields")
        }
        guard s >= 0, g >= 0, r >= 0 else { throw .malformed("exhaustive summary: counts must be non-negative") }
        let cap: UInt64? =
            switch capValue {
            case let .int(v) where v >= 0: UInt64(v)
            case let .string(v): UInt64(v)
            default: nil
            }
        guard let cap else { throw .malformed("exhaustive summary: bad 'valueCap'") }
        self.init(sequences: s, generated: g, rejected: r, complete: c, capped: capped, valueCap: cap)
    }
}

/// Why the results of a campaign's shards could not be merged.
public enum CampaignError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `missingShards` lists at most this many of the missing shards.
    public static let listedMissingShards = 10

    /// The first `listedMissingShards` indices of 0..<count not in `present`, found in at most
    /// present.count + `listedMissingShards` steps (a count near Int.max costs nothing).
    public static func missing(from present: Set<Int>, count: Int) -> [Int] {
        var missing: [Int] = []
        var i = 0
        while i < count && missing.count < listedMissingShards {
            if !present.contains(i) { missing.append(i) }
            i += 1
        }
        return missing
    }

    case noInput
    case malformed(String)
    case mixedKinds
    case mixedSeeds([String])
    case mixedCaseCounts([String])
    case mixedShardCounts([Int])
    case mixedReadings
    case mixedRuns(String)
    case missingShards([Int], of: Int)
    case duplicateShard(Int)

    public var description: String {
        switch self {
        case .noInput: "no result files to merge: pass the JSON of every shard (oracle check --shard i/n --json)"
        case let .malformed(reason): "not a shard result: \(reason)"
        case .mixedKinds: "cannot merge `oracle check` results with `oracle fuzz` reports"
        case let .mixedSeeds(seeds):
            "the shards come from different campaigns: seeds \(seeds.joined(separator: ", ")) (all shards must share "
                + "one seed)"
        case let .mixedCaseCounts(counts):
            "the shards ran different case counts: \(counts.joined(separator: ", ")) (all shards must share --cases)"
        case let .mixedShardCounts(counts):
            "the shards disagree on the number of shards: \(counts.map(String.init).joined(separator: ", "))"
        case .mixedReadings: "the shards decided different readings (all shards must name the same ids)"
        case let .mixedRuns(what): "the shards come from different runs: \(what)"
        case let .missingShards(missing, n):
            "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", "))"
                + (missing.count >= CampaignError.listedMissingShards ? " (the first \(missing.count))" : "")
                + " (pass one result for each of 0/\(n) … \(n - 1)/\(n))"
        case let .duplicateShard(i): "shard \(i) is given twice"
        }
    }
}
