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

    /// How many of the indices `0..<limit` run on this shard.
    public func owned(below limit: Int) -> Int {
        limit <= index ? 0 : (limit - index + count - 1) / count
    }

    /// The seed of random case j of a run seeded `seed` (independent of sharding); attempt r of case j
    /// (a discarded draw is retried inside its case) uses the (r+1)-th output of `SplitMix64(seed: caseSeed)`.
    public static func caseSeed(_ seed: UInt64, _ j: Int) -> UInt64 {
        SplitMix64.mix(seed &+ UInt64(j + 1) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The size parameter of random case j of `cases`: grows 0 → 100 with j (small cases first).
    public static func caseSize(_ j: Int, of cases: Int) -> Int {
        cases <= 1 ? 0 : min(ChoiceSource.maxSize, ChoiceSource.maxSize * j / (cases - 1))
    }

    /// Draws per random case: a discarded draw is replaced at most 9 times.
    public static let attemptsPerCase = 10
}

public enum ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String { "shard \"\(text)\" is not i/n with 0 ≤ i < n (e.g. 0/4)" }
    var text: String { switch self { case .invalid(let t): t } }
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
        switch p { case .replay: 0; case .corpus: 1; case .exhaustive: 2; case .random: 3 }
    }

    public static func < (a: CasePosition, b: CasePosition) -> Bool {
        (rank(a.phase), a.index) < (rank(b.phase), b.index)
    }

    public var json: JSONValue { .object(["phase": .string(phase.rawValue), "index": .int(index)]) }

    public init(json: JSONValue) throws(CampaignError) {
        guard case let .string(p)? = json["phase"], let phase = PropertyReport.Phase(rawValue: p),
              case let .int(i)? = json["index"] else { throw .malformed("a case position needs 'phase' and 'index'") }
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

        var labels: [CoverageLabel] { events.map(CoverageLabel.event) + targets.keys.sorted().map { .target($0, targets[$0]!) } }

        var json: JSONValue {
            .object(["phase": .string(position.phase.rawValue), "index": .int(position.index),
                     "events": .array(events.map(JSONValue.string)),
                     "targets": .object(targets.keys.sorted().map { .init($0, .number(targets[$0]!)) })])
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
        .object(["shard": .string(shard.description), "corpusCases": .int(corpusCases), "corpusDiscarded": .int(corpusDiscarded),
                 "exhaustive": exhaustive?.json ?? .null, "exhaustiveDiscards": .array(exhaustiveDiscards.map(JSONValue.int)),
                 "randomCases": randomCases.map(JSONValue.int) ?? .null,
                 "randomDiscards": .array(randomDiscards.map { .array([.int($0.index), .int($0.count)]) }),
                 "failure": failure?.json ?? .null, "generated": .int(generated),
                 "generationError": generationError.map(JSONValue.string) ?? .null,
                 "generationErrorPosition": generationErrorPosition?.json ?? .null,
                 "caseLabels": .array(caseLabels.map(\.json))])
    }

    public init(json: JSONValue) throws(CampaignError) {
        func int(_ key: String) throws(CampaignError) -> Int {
            guard case let .int(v)? = json[key] else { throw .malformed("shard log: missing integer '\(key)'") }
            return v
        }
        guard case let .string(s)? = json["shard"] else { throw .malformed("shard log: missing 'shard'") }
        do { self.init(shard: try Shard(parsing: s)) } catch { throw .malformed(error.description) }
        corpusCases = try int("corpusCases")
        corpusDiscarded = try int("corpusDiscarded")
        generated = try int("generated")
        if let e = json["exhaustive"], e != .null { exhaustive = try ExhaustiveSummary(json: e) }
        guard case let .array(ed)? = json["exhaustiveDiscards"], case let .array(rd)? = json["randomDiscards"] else {
            throw .malformed("shard log: missing 'exhaustiveDiscards'/'randomDiscards'")
        }
        for item in ed {
            guard case let .int(i) = item else { throw .malformed("shard log: 'exhaustiveDiscards' must hold integers") }
            exhaustiveDiscards.append(i)
        }
        for item in rd {
            guard case let .array(pair) = item, pair.count == 2, case let .int(i) = pair[0], case let .int(c) = pair[1] else {
                throw .malformed("shard log: 'randomDiscards' must hold [index, count] pairs")
            }
            randomDiscards.append(IndexCount(index: i, count: c))
        }
        if case let .int(r)? = json["randomCases"] { randomCases = r }
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
        let winner = logs.indices.filter { logs[$0].failure != nil }.min { logs[$0].failure! < logs[$1].failure! }
        let stop = winner.map { logs[$0].failure! }
        let first = logs[0]
        var cases = 0, discarded = 0
        // The unsharded run decides every case up to its first failure; the corpus case is on every shard.
        var coverage = Coverage()
        for (k, log) in logs.enumerated() {
            for c in log.caseLabels where (c.position.phase != .corpus || k == 0) && stop.map({ c.position <= $0 }) ?? true {
                coverage.record(c.labels, phase: c.position.phase)
            }
        }
        if let stop, stop.phase == .corpus {
            return Merged(winner: winner, casesRun: 1, discarded: 0, exhaustive: nil, generated: 1, generationError: nil,
                          coverage: coverage)
        }
        cases += first.corpusCases
        discarded += first.corpusDiscarded
        var exhaustive: ExhaustiveSummary? = nil
        if first.exhaustive != nil {
            // Sequences 0...stop (or all walked) count.
            let limit = stop.map { $0.phase == .exhaustive ? $0.index + 1 : Int.max } ?? Int.max
            let walked = logs.compactMap(\.exhaustive).map(\.sequences).max() ?? 0
            let end = min(limit, walked)
            for log in logs {
                let skipped = log.exhaustiveDiscards.filter { $0 < end }.count
                cases += log.shard.owned(below: end) - skipped
                discarded += skipped
            }
            if let w = winner, stop?.phase == .exhaustive { exhaustive = logs[w].exhaustive } else { exhaustive = first.exhaustive }
        }
        if let requested = first.randomCases, stop == nil || stop?.phase == .random {
            let end = stop.map { $0.index + 1 } ?? requested
            for log in logs {
                let below = log.randomDiscards.filter { $0.index < end }
                cases += log.shard.owned(below: end) - below.filter { $0.count >= Shard.attemptsPerCase }.count
                discarded += below.reduce(0) { $0 + $1.count }
            }
        }
        let generated = logs.reduce(0) { $0 + $1.generated }
        let lastError = logs.filter { $0.generationError != nil }
            .max { ($0.generationErrorPosition ?? CasePosition(phase: .corpus, index: 0)) < ($1.generationErrorPosition ?? CasePosition(phase: .corpus, index: 0)) }
        return Merged(winner: winner, casesRun: cases, discarded: discarded, exhaustive: exhaustive,
                      generated: generated, generationError: lastError?.generationError, coverage: coverage)
    }
}

extension ExhaustiveSummary {
    public init(json: JSONValue) throws(CampaignError) {
        guard case let .int(s)? = json["sequences"], case let .int(g)? = json["generated"], case let .int(r)? = json["rejected"],
              case let .bool(c)? = json["complete"], case let .bool(capped)? = json["capped"], let capValue = json["valueCap"] else {
            throw .malformed("exhaustive summary: missing fields")
        }
        let cap: UInt64
        switch capValue {
        case let .int(v) where v >= 0: cap = UInt64(v)
        case let .string(v) where UInt64(v) != nil: cap = UInt64(v)!
        default: throw .malformed("exhaustive summary: bad 'valueCap'")
        }
        self.init(sequences: s, generated: g, rejected: r, complete: c, capped: capped, valueCap: cap)
    }
}

/// Why the results of a campaign's shards could not be merged.
public enum CampaignError: Error, Sendable, Equatable, CustomStringConvertible {
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
        case let .mixedSeeds(seeds): "the shards come from different campaigns: seeds \(seeds.joined(separator: ", ")) (all shards must share one seed)"
        case let .mixedCaseCounts(counts): "the shards ran different case counts: \(counts.joined(separator: ", ")) (all shards must share --cases)"
        case let .mixedShardCounts(counts): "the shards disagree on the number of shards: \(counts.map(String.init).joined(separator: ", "))"
        case .mixedReadings: "the shards decided different readings (all shards must name the same ids)"
        case let .mixedRuns(what): "the shards come from different runs: \(what)"
        case let .missingShards(missing, n): "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) (pass one result for each of 0/\(n) … \(n - 1)/\(n))"
        case let .duplicateShard(i): "shard \(i) is given twice"
        }
    }
}
