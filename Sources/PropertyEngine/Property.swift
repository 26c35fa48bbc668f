import MechanismCommon
/// The outcome of `Property.check`: deterministic (same inputs and seed → identical JSON).
public struct PropertyReport: Sendable, Equatable, Codable, JSONRenderable {
    public enum Verdict: String, Sendable, Codable { case holds, refuted }
    /// `proved`: the property held and a complete, uncapped exhaustive pass backs it (a proof over
    /// the generator's whole finite domain). Otherwise `tested` (a capped pass is reported in `exhaustive`).
    public enum Evidence: String, Sendable, Codable { case proved, tested }
    /// Where the failing case was found.
    public typealias Phase = RunPhase

    public struct Counterexample: Sendable, Equatable, Codable, JSONRenderable {
        /// Replay string of the shrunk case.
        public var replay: String
        public var choices: [UInt64]
        /// The shrunk case, rendered (null if the generator itself threw).
        public var `case`: JSONValue
        /// The case as first found, and its replay string.
        public var originalCase: JSONValue
        public var originalReplay: String
        /// Successful shrink steps and candidates evaluated.
        public var shrinkSteps: Int
        public var shrinkAttempts: Int
        /// "property returned false" or "threw: <error>".
        public var message: String
        public var phase: Phase

        public init(
            replay: String, choices: [UInt64], case: JSONValue, originalCase: JSONValue, originalReplay: String,
            shrinkSteps: Int, shrinkAttempts: Int, message: String, phase: Phase
        ) {
            self.replay = replay
            self.choices = choices
            self.case = `case`
            self.originalCase = originalCase
            self.originalReplay = originalReplay
            self.shrinkSteps = shrinkSteps
            self.shrinkAttempts = shrinkAttempts
            self.message = message
            self.phase = phase
        }

        public var json: JSONValue {
            .object([
                "replay": .string(replay), "choices": .array(choices.map(\.json)), "case": `case`,
                "originalCase": originalCase, "originalReplay": .string(originalReplay),
                "shrinkSteps": .int(shrinkSteps), "shrinkAttempts": .int(shrinkAttempts),
                "message": .string(message), "phase": .string(phase.rawValue),
            ])
        }
    }

    public var label: String
    public var seed: UInt64
    public var verdict: Verdict
    public var evidence: Evidence
    /// Cases on which the property was decided (passed or failed), over all phases, not counting shrinking.
    public var casesRun: Int
    /// Cases skipped: the generator rejected them or the property threw `Discard`.
    public var discarded: Int
    /// Corpus entries replayed (0 or 1).
    public var corpusReplayed: Int
    public var exhaustive: ExhaustiveSummary?
    /// Random cases attempted.
    public var randomCases: Int
    public var counterexample: Counterexample?
    /// What this shard of the run did (the whole run when unsharded), for `ShardLog.merge`.
    public var log: ShardLog
    /// The events and targets of the decided cases (empty without `classify`).
    public var coverage = Coverage()

    public var holds: Bool { verdict == .holds }

    public var json: JSONValue {
        .object([
            "label": .string(label), "seed": .string(Property.hex(seed)), "verdict": .string(verdict.rawValue),
            "evidence": .string(evidence.rawValue), "casesRun": .int(casesRun), "discarded": .int(discarded),
            "corpusReplayed": .int(corpusReplayed), "exhaustive": exhaustive?.json ?? .null,
            "randomCases": .int(randomCases), "counterexample": counterexample?.json ?? .null,
            "coverage": coverage.json,
        ])
    }

    /// A short human-readable summary (multi-line when refuted).
    public var summary: String {
        var text = "\(label): \(verdict.rawValue) (\(evidence.rawValue); \(casesRun) cases, \(discarded) discarded"
        if let exhaustive { text += "; exhaustive \(exhaustive.sequences)\(exhaustive.complete ? " complete" : "")" }
        text += ")"
        if let c = counterexample {
            text += "\n  \(c.message)\n  case: \(c.case.serialized())\n  original: \(c.originalCase.serialized())"
            text += "\n  shrink steps: \(c.shrinkSteps)\n  replay: \(c.replay)"
        }
        return text
    }
}

/// The property runner.
public enum Property {
    /// Runs `property` against cases from `gen`, in this order (`configuration` says how many and where):
    /// 1. `replay` given: only that case (no shrinking, no corpus; the report's seed is the replay's);
    /// 2. the corpus entry of `corpus.key`, if any;
    /// 3. a bounded-exhaustive pass when `exhaustive` is set (random cases are skipped when it was
    ///    complete and uncapped);
    /// 4. the random phase (`RandomPhase`): `cases` random cases with growing size; a discarded draw is
    ///    replaced inside its case, at most `Shard.attemptsPerCase` draws per case.
    ///
    /// `shard` runs only the exhaustive sequences and random cases whose index j has j mod n = i (every
    /// shard replays the corpus and walks the whole exhaustive tree, testing only its own sequences);
    /// `ShardLog.merge` of all n shards' `log`s gives the unsharded run's verdict, counterexample and counts.
    ///
    /// A case fails when the property returns false or throws (other than `Discard`), or when the
    /// generator throws something other than `GenerationError`/`Discard`. The first failure is shrunk
    /// (`ShrinkPhase`), recorded in the corpus (`Corpus.record`: an entry with the same choices is kept as it
    /// is, whatever the seed) and reported. Throws `ReplayError` (bad `replay`), `CorpusError`,
    /// or the `GenerationError` (e.g. `.filterTooStrict(label:)`) when no case at all could be generated.
    /// `classify` labels each decided case for the report's `coverage`.
    public static func check<Value>(
        _ gen: Gen<Value>, label: String, configuration: RunConfiguration = RunConfiguration(),
        render: (Value) -> JSONValue, classify: ((Value) -> [CoverageLabel])? = nil,
        property: (Value) throws -> Bool
    ) throws -> PropertyReport {
        let (cases, replay, shrinkLimits, maxChoices, shard) = (
            configuration.cases, configuration.replay,
            configuration.shrinkLimits, configuration.maxChoices, configuration.shard
        )
        let corpus = configuration.corpus
        let parsedReplay = try replay.map { text throws(ReplayError) in try Replay(parsing: text) }
        let seed = parsedReplay?.seed ?? configuration.seed ?? defaultSeed(for: label)
        var report = PropertyReport(
            label: label, seed: seed, verdict: .holds, evidence: .tested, casesRun: 0,
            discarded: 0, corpusReplayed: 0, exhaustive: nil, randomCases: 0, counterexample: nil,
            log: ShardLog(shard: shard))
        var generated = 0
        var lastGenerationError: GenerationError?
        var position = CasePosition(phase: .replay, index: 0)
        /// Only decided cases of the run count in the coverage, not shrink candidates.
        var recordCoverage = true

        /// One case: generation then property.
        func evaluate(_ source: inout ChoiceSource) -> Outcome<Value> {
            let value: Value
            do { value = try gen.run(&source) } catch let error as GenerationError {
                return .rejected(error)
            } catch is Discard { return .discarded } catch { return .failed(nil, "generator threw: \(error)") }
            let outcome: Outcome<Value>
            do { outcome = try property(value) ? .passed : .failed(value, "property returned false") } catch is Discard
            { return .discarded } catch { outcome = .failed(value, "threw: \(error)") }
            if recordCoverage, let classify {
                let labels = classify(value)
                report.coverage.record(labels, phase: position.phase)
                if !shard.isWhole { report.log.caseLabels.append(.init(position: position, labels: labels)) }
            }
            return outcome
        }

        func tally(_ outcome: Outcome<Value>) {
            switch outcome {
            case .passed, .failed: report.casesRun += 1; generated += 1
            case .discarded: report.discarded += 1; generated += 1
            case let .rejected(error):
                report.discarded += 1; lastGenerationError = error
                report.log.generationError = error.description
                report.log.generationErrorPosition = position
            }
            report.log.generated = generated
        }

        func renderValue(_ value: Value?) -> JSONValue { value.map(render) ?? .null }

        /// Shrinks a failure found at `choices`/`size` and fills in the report.
        func refute(
            choices: [UInt64], size: Int, value: Value?, message: String, phase: PropertyReport.Phase,
            shrink: Bool
        ) throws -> PropertyReport {
            recordCoverage = false
            defer { recordCoverage = true }
            let shrunk =
                shrink
                ? ShrinkPhase.shrink(
                    choices: choices, payload: (value, message), size: size, limits: shrinkLimits,
                    maxChoices: maxChoices
                ) { source in
                    if case let .failed(v, m) = evaluate(&source) { (v, m) } else { nil }
                }
                : ShrinkPhase.Result(choices: choices, payload: (value, message), steps: 0, attempts: 0)
            let shrunkReplay = Replay(seed: seed, size: size, choices: shrunk.choices)
            report.verdict = .refuted
            report.evidence = .tested
            report.log.failure = position
            report.counterexample = PropertyReport.Counterexample(
                replay: shrunkReplay.encoded, choices: shrunk.choices, case: renderValue(shrunk.payload.0),
                originalCase: renderValue(value),
                originalReplay: Replay(seed: seed, size: size, choices: choices).encoded,
                shrinkSteps: shrunk.steps, shrinkAttempts: shrunk.attempts, message: shrunk.payload.1, phase: phase)
            if let corpus, phase != .replay {
                try corpus.corpus.record(
                    Corpus.Entry(
                        key: corpus.key, annotations: corpus.annotations, replay: shrunkReplay,
                        caseJSON: renderValue(shrunk.payload.0), shrinkSteps: shrunk.steps))
            }
            return report
        }

        // 1. Explicit replay.
        if let parsedReplay {
            var source = ChoiceSource.replaying(parsedReplay.choices, size: parsedReplay.size, maxChoices: maxChoices)
            let outcome = evaluate(&source)
            tally(outcome)
            if case let .rejected(error) = outcome { throw error }
            if case let .failed(value, message) = outcome {
                return try refute(
                    choices: source.choices, size: parsedReplay.size, value: value, message: message,
                    phase: .replay, shrink: false)
            }
            return report
        }

        // 2. Corpus.
        if let corpus, let entry = try corpus.corpus.load(corpus.key) {
            report.corpusReplayed = 1
            position = CasePosition(phase: .corpus, index: 0)
            var source = ChoiceSource.replaying(entry.choices, size: entry.replay.size, maxChoices: maxChoices)
            let outcome = evaluate(&source)
            tally(outcome)
            switch outcome {
            case .passed, .failed: report.log.corpusCases = 1
            case .discarded, .rejected: report.log.corpusDiscarded = 1
            }
            if case let .failed(value, message) = outcome {
                return try refute(
                    choices: source.choices, size: entry.replay.size, value: value, message: message,
                    phase: .corpus, shrink: true)
            }
        }

        // 3. Bounded-exhaustive pass.
        var skipRandom = false
        if let budget = configuration.exhaustive, budget.sequences > 0 {
            var failure: (choices: [UInt64], value: Value?, message: String)?
            var index = -1
            var summary = Exhaustive.walk(
                budget: budget.sequences, valueCap: budget.valueCap, size: ChoiceSource.maxSize,
                maxChoices: maxChoices
            ) { source in
                index += 1
                guard shard.owns(index) else {
                    // Another shard tests this sequence; walking on needs only the choices it consumes.
                    do { _ = try gen.run(&source); return .next } catch is GenerationError { return .rejected } catch {
                        return .next
                    }
                }
                position = CasePosition(phase: .exhaustive, index: index)
                let outcome = evaluate(&source)
                tally(outcome)
                switch outcome {
                case .rejected: report.log.exhaustiveDiscards.append(index); return .rejected
                case .discarded: report.log.exhaustiveDiscards.append(index); return .next
                case .passed: return .next
                case let .failed(value, message):
                    failure = (source.choices, value, message)
                    return .stop
                }
            }
            if let failure {
                summary.complete = false
                report.exhaustive = summary
                report.log.exhaustive = summary
                return try refute(
                    choices: failure.choices, size: ChoiceSource.maxSize, value: failure.value,
                    message: failure.message, phase: .exhaustive, shrink: true)
            }
            report.exhaustive = summary
            report.log.exhaustive = summary
            skipRandom = summary.complete && !summary.capped
        }

        // 4. Random cases j = 0..<cases with growing size; a discarded draw is replaced inside its case.
        if !skipRandom {
            let phase = RandomPhase(cases: cases, seed: seed, shard: shard, maxChoices: maxChoices)
            report.log.randomCases = phase.cases
            for slot in phase {
                position = CasePosition(phase: .random, index: slot.index)
                var discards = 0
                draws: for var source in slot.draws {
                    report.randomCases += 1
                    let outcome = evaluate(&source)
                    tally(outcome)
                    switch outcome {
                    case .passed: break draws
                    case .discarded, .rejected: discards += 1
                    case let .failed(value, message):
                        if discards > 0 { report.log.randomDiscards.append(.init(index: slot.index, count: discards)) }
                        return try refute(
                            choices: source.choices, size: slot.size, value: value, message: message,
                            phase: .random, shrink: true)
                    }
                }
                if discards > 0 { report.log.randomDiscards.append(.init(index: slot.index, count: discards)) }
            }
        }

        // A shard may own no generable case while the others do: `ShardLog.merge` decides.
        if generated == 0, shard.isWhole, let lastGenerationError { throw lastGenerationError }
        // A proof needs the whole domain: a complete pass over an uncapped choice tree.
        if let e = report.exhaustive, e.complete, !e.capped { report.evidence = .proved }
        return report
    }

    /// `check` for values that render themselves.
    public static func check<Value: JSONRenderable>(
        _ gen: Gen<Value>, label: String, configuration: RunConfiguration = RunConfiguration(),
        classify: ((Value) -> [CoverageLabel])? = nil, property: (Value) throws -> Bool
    ) throws -> PropertyReport {
        try check(
            gen, label: label, configuration: configuration, render: { $0.json }, classify: classify,
            property: property)
    }

    /// The default seed for a label: 64-bit FNV-1a of its UTF-8, finalised with `SplitMix64.mix`.
    public static func defaultSeed(for label: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return SplitMix64.mix(hash)
    }

    /// 16 lowercase hex digits.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

enum Outcome<Value> {
    case passed
    case discarded
    case rejected(GenerationError)
    case failed(Value?, String)
}
