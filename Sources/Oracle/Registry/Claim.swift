import Fast
import Reference

/// How a claim is decided (claims/CLAIMS.md, "Kinds").
public enum ClaimKind: String, Sendable, Codable, CaseIterable {
    /// Decidable on finite instances with rational / cyclotomic arithmetic.
    case exact
    /// A floating-point implementation must agree with the exact value within a derived bound.
    case float
    /// About random training or sampling; decided by simulation with a stated confidence.
    case stat
}

/// A computed verdict.
public enum ClaimVerdict: String, Sendable, Codable, CaseIterable {
    case holds, refuted, inconclusive
}

/// How a verdict was reached.
public enum ClaimEvidence: String, Sendable, Codable {
    /// A symbolic identity valid for every parameter, or an exhaustive pass over the statement's whole domain.
    case proved
    /// An exhaustive pass over a bounded part of the statement's domain (`bound` says which part).
    case exhaustive
    /// No counterexample in N generated cases (or a counterexample found among them).
    case tested
    /// A simulation with a stated confidence.
    case simulated
}

/// Options for deciding readings.
public struct CheckOptions: Sendable {
    /// The run's seed; each reading derives its own from it and its label.
    public var seed: UInt64
    /// Random cases per reading; nil means each reading's default (≥ 200 for `oracle check`).
    public var cases: Int?
    /// Where counterexamples are replayed from and saved to; nil runs without a corpus.
    public var corpus: Corpus?
    /// Replay exactly one case (a string printed by an earlier failure).
    public var replay: String?
    /// Scales each reading's default case count (tests use < 1 to stay fast).
    public var caseScale: Double
    /// This machine's part of a campaign (`oracle check --shard i/n`); readings not decided on
    /// generated cases run on shard 0 only.
    public var shard: Shard
    /// Threads the run may use (`oracle check --jobs`): a reading that runs one long simulation of independent
    /// runs (b12) spreads them over as many; its result does not depend on it.
    public var jobs: Int

    public init(
        seed: UInt64 = 0, cases: Int? = nil, corpus: Corpus? = nil, replay: String? = nil, caseScale: Double = 1,
        shard: Shard = .whole, jobs: Int = 1
    ) {
        self.seed = seed
        self.cases = cases
        self.corpus = corpus
        self.replay = replay
        self.caseScale = caseScale
        self.shard = shard
        self.jobs = jobs
    }
}

/// How a reading's outcome came about on one shard of a campaign (absent when unsharded).
public enum ShardRecord: Sendable, Equatable, JSONRenderable {
    /// Decided on generated cases: this shard's part, to be merged with the other shards'.
    case cases(ShardLog)
    /// Not decided on generated cases (symbolic identity, simulation): decided whole on shard 0…
    case decidedHere(ClaimReading.Method)
    /// …and skipped on the other shards.
    case skipped(ClaimReading.Method)

    public var json: JSONValue {
        switch self {
        case .cases(let log):
            .object(["method": .string(ClaimReading.Method.generatedCases.rawValue), "log": log.json])
        case .decidedHere(let m): .object(["method": .string(m.rawValue), "decidedHere": .bool(true)])
        case .skipped(let m): .object(["method": .string(m.rawValue), "skipped": .bool(true)])
        }
    }

    init(json: JSONValue) throws(CampaignError) {
        guard case let .string(m)? = json["method"], let method = ClaimReading.Method(rawValue: m) else {
            throw .malformed("per-reading 'shard' needs a 'method'")
        }
        if let log = json["log"] {
            self = .cases(try ShardLog(json: log))
        } else if json["skipped"] == .bool(true) {
            self = .skipped(method)
        } else {
            self = .decidedHere(method)
        }
    }
}

/// The computed result of one reading.
public struct ReadingOutcome: Sendable, Equatable, JSONRenderable {
    public var id: String
    public var reading: String
    public var kind: ClaimKind
    public var verdict: ClaimVerdict
    public var evidence: ClaimEvidence
    /// The verdict proofs.md documents.
    public var expected: ClaimVerdict
    public var cases: Int
    public var counterexample: PropertyReport.Counterexample?
    /// A one-line account of how the verdict was reached (exhaustive domain, identity checked, …).
    public var note: String
    /// On a shard of a campaign: what `oracle merge` needs (nil when unsharded).
    public var shard: ShardRecord? = nil
    /// The part of the domain an `exhaustive` verdict covers, e.g. "d ≤ 11" (nil otherwise).
    public var bound: String? = nil
    /// What the decided cases were: size parameters and whether the claim bites (`non-trivial`).
    public var coverage = Coverage()
    /// The share of cases on which the claim must bite, as the reading declares it (nil: none declared).
    public var requiredNonTrivialShare: Double? = nil

    /// False when a holding reading declared a non-trivial share and the run fell below it.
    public var meetsCoverage: Bool {
        // A refutation stands on its counterexample; a holding verdict is only as good as the cases it bit on.
        guard let required = requiredNonTrivialShare, !isSkipped, verdict == .holds else { return true }
        return (coverage.nonTrivialShare ?? 0) >= required
    }

    /// Skipped on this shard (decided on shard 0).
    public var isSkipped: Bool { if case .skipped? = shard { true } else { false } }

    public var matchesExpectation: Bool { isSkipped || verdict == expected }

    public init(
        id: String, reading: String, kind: ClaimKind, verdict: ClaimVerdict, evidence: ClaimEvidence,
        expected: ClaimVerdict, cases: Int, counterexample: PropertyReport.Counterexample?, note: String,
        shard: ShardRecord? = nil
    ) {
        self.id = id
        self.reading = reading
        self.kind = kind
        self.verdict = verdict
        self.evidence = evidence
        self.expected = expected
        self.cases = cases
        self.counterexample = counterexample
        self.note = note
        self.shard = shard
    }

    /// The JSON of `oracle check --json` (with a trailing `shard` member on a shard of a campaign;
    /// a skipped reading's verdict is "skipped").
    public var json: JSONValue {
        guard case var .object(members) = unshardedJSON, let shard else { return unshardedJSON }
        if isSkipped, let i = members.firstIndex(where: { $0.key == "verdict" }) {
            members[i].value = .string("skipped")
        }
        members.append(.init("shard", shard.json))
        return .object(members)
    }

    var unshardedJSON: JSONValue {
        .object([
            "id": .string(id), "reading": .string(reading), "kind": .string(kind.rawValue),
            "verdict": .string(verdict.rawValue), "evidence": .string(evidence.rawValue),
            "expected": .string(expected.rawValue), "cases": .int(cases),
            "counterexample": counterexample.map { c in
                JSONValue.object([
                    "replay": .string(c.replay), "case": c.case, "original": c.originalCase,
                    "message": .string(c.message),
                ])
            } ?? .null,
            "shrinkSteps": counterexample.map { .int($0.shrinkSteps) } ?? .null,
            "note": .string(note),
            "bound": bound.map(JSONValue.string) ?? .null,
            "coverage": coverageJSON,
        ])
    }

    /// `{"cases", "events", "targets", "nonTrivialShare", "requiredNonTrivialShare"}`.
    var coverageJSON: JSONValue {
        guard case var .object(members) = coverage.json else { return coverage.json }
        members.append(.init("nonTrivialShare", coverage.nonTrivialShare.map(JSONValue.number) ?? .null))
        members.append(.init("requiredNonTrivialShare", requiredNonTrivialShare.map(JSONValue.number) ?? .null))
        return .object(members)
    }

    /// A short summary of the coverage for the text table: the range of d (or shape) seen and the non-trivial share.
    public var coverageSummary: String {
        var parts: [String] = []
        for name in ["d", "shape", "batch", "stride"] {
            let values = coverage.parameter(name).map(\.value)
            guard let first = values.first, let last = values.last else { continue }
            parts.append(values.count == 1 ? "\(name) \(first)" : "\(name) \(first)…\(last) (\(values.count) values)")
        }
        if let share = coverage.nonTrivialShare {
            var text = "non-trivial \(Int((share * 100).rounded(.down))) %"
            // The share is required of holding readings only: a refutation stands on its counterexample.
            if let required = requiredNonTrivialShare, verdict == .holds {
                text += " (needs ≥ \(Int((required * 100).rounded())) %)"
            }
            parts.append(text)
        }
        return parts.joined(separator: ", ")
    }

    /// Reads back one element of `claims` in `oracle check --json` (for `oracle merge`).
    public init(json: JSONValue) throws(CampaignError) {
        func string(_ key: String) throws(CampaignError) -> String {
            guard case let .string(v)? = json[key] else { throw .malformed("claim result: missing string '\(key)'") }
            return v
        }
        let id = try string("id"), reading = try string("reading")
        guard let kind = ClaimKind(rawValue: try string("kind")),
            let evidence = ClaimEvidence(rawValue: try string("evidence")),
            let expected = ClaimVerdict(rawValue: try string("expected"))
        else {
            throw .malformed("claim result \(id)/\(reading): unknown kind, evidence or expected verdict")
        }
        let verdictText = try string("verdict")
        guard case let .int(cases)? = json["cases"], cases >= 0 else {
            throw .malformed("claim result \(id)/\(reading): 'cases' must be a non-negative integer")
        }
        let record = try json["shard"].map { j throws(CampaignError) in try ShardRecord(json: j) }
        let verdict: ClaimVerdict
        if verdictText == "skipped" {
            verdict = .inconclusive
        } else if let v = ClaimVerdict(rawValue: verdictText) {
            verdict = v
        } else {
            throw .malformed("claim result \(id)/\(reading): unknown verdict '\(verdictText)'")
        }
        var counterexample: PropertyReport.Counterexample?
        if let c = json["counterexample"], c != .null {
            guard case let .string(replay)? = c["replay"], case let .string(message)? = c["message"],
                let shownCase = c["case"], let original = c["original"]
            else {
                throw .malformed("claim result \(id)/\(reading): incomplete counterexample")
            }
            let choices = replay.isEmpty ? [] : ((try? Replay(parsing: replay))?.choices ?? [])
            var steps = 0
            if case let .int(s)? = json["shrinkSteps"] { steps = s }
            var phase = PropertyReport.Phase.random
            if case let .cases(log)? = record, let f = log.failure { phase = f.phase }
            counterexample = PropertyReport.Counterexample(
                replay: replay, choices: choices, case: shownCase, originalCase: original,
                originalReplay: "", shrinkSteps: steps, shrinkAttempts: 0,
                message: message, phase: phase)
        }
        self.init(
            id: id, reading: reading, kind: kind, verdict: verdict, evidence: evidence, expected: expected,
            cases: cases,
            counterexample: counterexample, note: try string("note"), shard: record)
        if case let .string(b)? = json["bound"] { bound = b }
        if let c = json["coverage"], c != .null {
            do { coverage = try Coverage(json: c) } catch {
                throw .malformed("claim result \(id)/\(reading): \(error)")
            }
            switch c["requiredNonTrivialShare"] {
            case let .number(x)?: requiredNonTrivialShare = x
            case let .int(x)?: requiredNonTrivialShare = Double(x)
            default: break
            }
        }
    }
}

/// One reading of one claim of claims/CLAIMS.md, with its generator and its check.
/// Every claim has a reading named `printed` (the most literal reading of the text as printed);
/// other readings of the printed text are `printed-<variant>`; corrected readings have short names.
public struct ClaimReading: Sendable {
    public let id: String
    public let reading: String
    public let kind: ClaimKind
    /// The statement this reading checks, in words.
    public let statement: String
    /// The verdict proofs.md documents; `oracle check` exits 1 when a computed verdict differs.
    public let expected: ClaimVerdict
    /// How the verdict is reached: on generated cases (replayable, with a corpus entry when refuted),
    /// by one exact symbolic computation, or by a simulation / numerical experiment.
    public enum Method: String, Sendable { case generatedCases, symbolicIdentity, simulation }
    public let method: Method
    let runner: @Sendable (CheckOptions) throws -> ReadingOutcome
    /// Rebuilds one case from its replay string and evaluates the reading on it (generated-case readings).
    let replayer: (@Sendable (Replay) throws -> ReplayedCase)?

    public var label: String { "\(id)/\(reading)" }

    public init(
        id: String, reading: String, kind: ClaimKind, statement: String, expected: ClaimVerdict,
        method: Method = .simulation, runner: @escaping @Sendable (CheckOptions) throws -> ReadingOutcome
    ) {
        self.init(
            id: id, reading: reading, kind: kind, statement: statement, expected: expected, method: method,
            replayer: nil, runner: runner)
    }

    init(
        id: String, reading: String, kind: ClaimKind, statement: String, expected: ClaimVerdict, method: Method,
        replayer: (@Sendable (Replay) throws -> ReplayedCase)?,
        runner: @escaping @Sendable (CheckOptions) throws -> ReadingOutcome
    ) {
        self.method = method
        self.id = id
        self.reading = reading
        self.kind = kind
        self.statement = statement
        self.expected = expected
        self.runner = runner
        self.replayer = replayer
    }

    /// One side of a refuted statement on a concrete case: an equation's left or right side, or one of
    /// the two judgements an "iff" or an existence statement opposes.
    public struct Side: Sendable, Equatable {
        /// What this side is, in the paper's notation (e.g. "‖a‖²₂", "(1/d) Σ_k |â[k]|² d").
        public var name: String
        /// The exact value: "p/q" for rationals, "c₀ + c₁·ζ_n + …" in Q(ζ_n), a vector "[…]", or a truth value.
        public var exact: String
        /// The correctly rounded Double of a rational value (nil for vectors, truth values and irrational numbers).
        public var double: Double?
        /// An irrational or complex cyclotomic value: (Re, Im) in Doubles, each within `errorBound`.
        public var approximation: (real: Double, imaginary: Double, errorBound: Double)?

        public init(_ name: String, exact: String, double: Double? = nil) {
            self.name = name
            self.exact = exact
            self.double = double
        }

        public static func == (a: Side, b: Side) -> Bool {
            a.name == b.name && a.exact == b.exact && a.double == b.double
                && a.approximation.map { [$0.real, $0.imaginary, $0.errorBound] }
                    == b.approximation.map { [$0.real, $0.imaginary, $0.errorBound] }
        }

        /// A rational side: its exact "p/q" and its correctly rounded Double.
        public init(_ name: String, _ value: Rational) {
            self.init(name, exact: value.description, double: value.doubleValue)
        }

        /// A cyclotomic side: rational ones as `init(_:_: Rational)`; others in the power basis of Q(ζ_n).
        public init(_ name: String, _ value: Cyclotomic) {
            if let r = value.rationalValue {
                self.init(name, r)
            } else {
                self.init(name, exact: value.description)
                approximation = value.approximation()
            }
        }

        /// A truth value.
        public init(_ name: String, _ value: Bool) { self.init(name, exact: value ? "true" : "false") }

        /// A vector of rationals.
        public init(_ name: String, _ values: [Rational]) {
            self.init(name, exact: "[" + values.map(\.description).joined(separator: ", ") + "]")
        }
    }

    /// One case replayed through the reading: the rendered case, why it fails (nil when it passes),
    /// and the sides of the statement on it (nil when the reading declares none).
    public struct ReplayedCase: Sendable {
        public var caseJSON: JSONValue
        public var failure: String?
        public var sides: [Side]?
        /// What the statement claims between the first two sides: "=", "≠", "⟺", "∈", ….
        public var relation: String = "="
    }

    /// Replays `replay` through the reading's generator and check (nil for readings not decided on generated cases).
    public func replayCase(_ replay: Replay) throws -> ReplayedCase? { try replayer?(replay) }

    /// Decides the reading; a usage error (a malformed replay string, an unreadable corpus file) throws.
    public func run(_ options: CheckOptions) throws -> ReadingOutcome {
        if let skipped = skippedOutcome(options) { return skipped }
        var outcome = try runner(options)
        if !options.shard.isWhole, method != .generatedCases { outcome.shard = .decidedHere(method) }
        return outcome
    }

    /// On shards other than 0, readings not decided on generated cases are skipped.
    func skippedOutcome(_ options: CheckOptions) -> ReadingOutcome? {
        guard method != .generatedCases, options.shard.index != 0 else { return nil }
        return ReadingOutcome(
            id: id, reading: reading, kind: kind, verdict: .inconclusive, evidence: .tested, expected: expected,
            cases: 0, counterexample: nil,
            note: "skipped on shard \(options.shard): \(method.rawValue), decided on shard 0", shard: .skipped(method))
    }

    /// Decides the reading; a check that cannot run at all is reported as inconclusive, with the reason.
    public func decide(_ options: CheckOptions) -> ReadingOutcome {
        do { return try run(options) } catch {
            return ReadingOutcome(
                id: id, reading: reading, kind: kind, verdict: .inconclusive, evidence: .tested,
                expected: expected, cases: 0, counterexample: nil, note: "could not be decided: \(error)")
        }
    }

    /// The reading's seed: the run's seed mixed with the label, so readings are independent.
    public static func seed(_ run: UInt64, label: String) -> UInt64 {
        SplitMix64.mix(run ^ Property.defaultSeed(for: label))
    }

    /// The note of a reading decided on generated cases.
    static func casesNote(casesRun: Int, exhaustive: ExhaustiveSummary?, discarded: Int) -> String {
        var note = "\(casesRun) cases"
        if let e = exhaustive {
            note +=
                "; exhaustive pass over \(e.sequences) choice sequences (choices ≤ "
                + "\(e.valueCap))\(e.complete ? ", complete" : "")"
        }
        if discarded > 0 { note += "; \(discarded) discarded" }
        return note
    }

    /// A reading decided on generated cases: corpus first, then a bounded-exhaustive pass, then random cases.
    /// `sides` gives, for a case, the two sides of the statement that a counterexample makes disagree
    /// (first two entries; more may follow as context), for `oracle counterexample`.
    ///
    /// Coverage: every decided case is labelled with the size parameters read off its rendering (`d`, `n`,
    /// `s`/`stride`, `batch`, the shape of the first array) and with `classify`'s labels — among them
    /// `.nonTrivial(_:)`, whether the statement bites on the case; `nonTrivialShare` is the share of
    /// cases that must be non-trivial (the gate fails below it).
    ///
    /// Evidence: a complete, uncapped exhaustive pass covers the generator's finite domain. It is
    /// `proved` only when `exhaustiveBound` is nil and `wholeDomain` says that domain is the statement's
    /// whole domain; otherwise it is `exhaustive`, with `exhaustiveBound` (e.g. "d ≤ 11") in the report.
    public static func property<Value>(
        id: String, reading: String, kind: ClaimKind = .exact, statement: String, expected: ClaimVerdict,
        cases: Int = 200, exhaustiveBudget: Int? = nil, exhaustiveValueCap: UInt64 = 4,
        exhaustiveBound: String? = nil, wholeDomain: Bool = false,
        gen: Gen<Value>, render: @escaping @Sendable (Value) -> JSONValue,
        classify: (@Sendable (Value) -> [CoverageLabel])? = nil, nonTrivialShare: Double? = nil,
        relation: String = "=", sides: (@Sendable (Value) throws -> [Side])? = nil,
        check: @escaping @Sendable (Value) throws -> Bool
    ) -> ClaimReading {
        let replayer: @Sendable (Replay) throws -> ReplayedCase = { replay in
            let value = try gen.generate(replaying: replay.choices, size: replay.size)
            let failure: String?
            do { failure = try check(value) ? nil : "property returned false" } catch is Discard { failure = nil } catch
            { failure = "threw: \(error)" }
            return ReplayedCase(caseJSON: render(value), failure: failure, sides: try sides?(value), relation: relation)
        }
        return ClaimReading(
            id: id, reading: reading, kind: kind, statement: statement, expected: expected, method: .generatedCases,
            replayer: replayer
        ) { options in
            let label = "\(id)/\(reading)"
            let count = options.cases ?? max(1, Int((Double(cases) * options.caseScale).rounded()))
            let budget = exhaustiveBudget.map { max(1, Int((Double($0) * min(1, options.caseScale)).rounded())) }
            let configuration = RunConfiguration(
                seed: seed(options.seed, label: label), cases: count,
                exhaustive: budget.map { ExhaustiveBudget(sequences: $0, valueCap: exhaustiveValueCap) },
                corpus: options.corpus.map { .claim($0, id: id, reading: reading) }, replay: options.replay,
                shard: options.shard)
            let labels: (Value) -> [CoverageLabel] = { value in
                sizeLabels(render(value)) + (classify?(value) ?? [])
            }
            let report = try Property.check(
                gen, label: label, configuration: configuration, render: render,
                classify: labels, property: check)
            let complete = report.evidence == .proved
            let evidence: ClaimEvidence =
                !complete ? .tested : (wholeDomain && exhaustiveBound == nil ? .proved : .exhaustive)
            var outcome = ReadingOutcome(
                id: id, reading: reading, kind: kind,
                verdict: report.verdict == .holds ? .holds : .refuted, evidence: evidence,
                expected: expected, cases: report.casesRun, counterexample: report.counterexample,
                note: casesNote(casesRun: report.casesRun, exhaustive: report.exhaustive, discarded: report.discarded),
                shard: options.shard.isWhole ? nil : .cases(report.log))
            if evidence == .exhaustive { outcome.bound = exhaustiveBound ?? "the generator's finite domain" }
            outcome.coverage = report.coverage
            outcome.requiredNonTrivialShare = nonTrivialShare
            return outcome
        }
    }

    /// The size parameters of a rendered case: integer members `d`, `n`, `s`, `stride`, `batch`, `B`, and the
    /// shape of the first array member (`shape=5` for a vector, `shape=3x5` for rows of 5).
    static func sizeLabels(_ json: JSONValue) -> [CoverageLabel] {
        guard case let .object(members) = json else { return [] }
        var labels: [CoverageLabel] = []
        for member in members {
            switch (member.key, member.value) {
            case ("d", .int(let v)), ("n", .int(let v)): labels.append(.parameter(member.key, v))
            case ("s", .int(let v)), ("stride", .int(let v)): labels.append(.parameter("stride", v))
            case ("batch", .int(let v)), ("B", .int(let v)): labels.append(.parameter("batch", v))
            default: break
            }
        }
        if let array = members.lazy.compactMap({ m -> [JSONValue]? in if case let .array(a) = m.value { a } else { nil }
        }).first {
            if case let .array(row)? = array.first {
                labels.append(.parameter("shape", "\(array.count)x\(row.count)"))
            } else {
                labels.append(.parameter("shape", array.count))
            }
        }
        return labels
    }

    /// A reading decided by one exact symbolic computation. `decide` returns whether the identity holds
    /// and a JSON account of what was computed. With `bound` nil the computation is a symbolic identity
    /// valid for every parameter (`proved`); a finite enumeration over part of the domain names its
    /// `bound` (`exhaustive`).
    public static func identity(
        id: String, reading: String, kind: ClaimKind = .exact, statement: String, expected: ClaimVerdict,
        bound: String? = nil,
        decide: @escaping @Sendable () throws -> (holds: Bool, account: JSONValue)
    ) -> ClaimReading {
        ClaimReading(
            id: id, reading: reading, kind: kind, statement: statement, expected: expected, method: .symbolicIdentity
        ) { _ in
            let (holds, account) = try decide()
            let counterexample =
                holds
                ? nil
                : PropertyReport.Counterexample(
                    replay: "", choices: [], case: account, originalCase: account, originalReplay: "",
                    shrinkSteps: 0, shrinkAttempts: 0, message: "the identity fails symbolically", phase: .exhaustive)
            var outcome = ReadingOutcome(
                id: id, reading: reading, kind: kind, verdict: holds ? .holds : .refuted,
                evidence: bound == nil ? .proved : .exhaustive, expected: expected, cases: 1,
                counterexample: counterexample,
                note: "exact symbolic computation: \(account.serialized())")
            outcome.bound = bound
            outcome.coverage.record([.event(bound == nil ? "symbolic" : "enumeration")])
            return outcome
        }
    }
}
