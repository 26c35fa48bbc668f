import Reference

/// How a claim is decided (../shared/CLAIMS.md, "Kinds").
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
    /// An exact symbolic identity, or exhaustive over a finite domain.
    case proved
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

    public init(seed: UInt64 = 0, cases: Int? = nil, corpus: Corpus? = nil, replay: String? = nil, caseScale: Double = 1) {
        self.seed = seed
        self.cases = cases
        self.corpus = corpus
        self.replay = replay
        self.caseScale = caseScale
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

    public var matchesExpectation: Bool { verdict == expected }

    public var json: JSONValue {
        .object([
            "id": .string(id), "reading": .string(reading), "kind": .string(kind.rawValue),
            "verdict": .string(verdict.rawValue), "evidence": .string(evidence.rawValue),
            "expected": .string(expected.rawValue), "cases": .int(cases),
            "counterexample": counterexample.map { c in
                JSONValue.object(["replay": .string(c.replay), "case": c.case, "original": c.originalCase,
                                  "message": .string(c.message)])
            } ?? .null,
            "shrinkSteps": counterexample.map { .int($0.shrinkSteps) } ?? .null,
            "note": .string(note),
        ])
    }
}

/// One reading of one claim of ../shared/CLAIMS.md, with its generator and its check.
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

    public var label: String { "\(id)/\(reading)" }

    public init(id: String, reading: String, kind: ClaimKind, statement: String, expected: ClaimVerdict,
                method: Method = .simulation, runner: @escaping @Sendable (CheckOptions) throws -> ReadingOutcome) {
        self.method = method
        self.id = id
        self.reading = reading
        self.kind = kind
        self.statement = statement
        self.expected = expected
        self.runner = runner
    }

    /// Decides the reading; a usage error (a malformed replay string, an unreadable corpus file) throws.
    public func run(_ options: CheckOptions) throws -> ReadingOutcome { try runner(options) }

    /// Decides the reading; a check that cannot run at all is reported as inconclusive, with the reason.
    public func decide(_ options: CheckOptions) -> ReadingOutcome {
        do { return try runner(options) }
        catch {
            return ReadingOutcome(id: id, reading: reading, kind: kind, verdict: .inconclusive, evidence: .tested,
                                  expected: expected, cases: 0, counterexample: nil, note: "could not be decided: \(error)")
        }
    }

    /// The reading's seed: the run's seed mixed with the label, so readings are independent.
    public static func seed(_ run: UInt64, label: String) -> UInt64 {
        SplitMix64.mix(run ^ Property.defaultSeed(for: label))
    }

    /// A reading decided on generated cases: corpus first, then a bounded-exhaustive pass, then random cases.
    public static func property<Value>(
        id: String, reading: String, kind: ClaimKind = .exact, statement: String, expected: ClaimVerdict,
        cases: Int = 200, exhaustiveBudget: Int? = nil, exhaustiveValueCap: UInt64 = 4,
        gen: Gen<Value>, render: @escaping @Sendable (Value) -> JSONValue,
        check: @escaping @Sendable (Value) throws -> Bool
    ) -> ClaimReading {
        ClaimReading(id: id, reading: reading, kind: kind, statement: statement, expected: expected, method: .generatedCases) { options in
            let label = "\(id)/\(reading)"
            let count = options.cases ?? max(1, Int((Double(cases) * options.caseScale).rounded()))
            let budget = exhaustiveBudget.map { max(1, Int((Double($0) * min(1, options.caseScale)).rounded())) }
            let report = try Property.check(
                gen, label: label, seed: seed(options.seed, label: label), cases: count,
                exhaustiveBudget: budget, exhaustiveValueCap: exhaustiveValueCap,
                corpus: options.corpus.map { (corpus: $0, claim: id, reading: reading) }, replay: options.replay,
                render: render, property: check)
            var note = "\(report.casesRun) cases"
            if let e = report.exhaustive {
                note += "; exhaustive pass over \(e.sequences) choice sequences (choices ≤ \(exhaustiveValueCap))\(e.complete ? ", complete" : "")"
            }
            if report.discarded > 0 { note += "; \(report.discarded) discarded" }
            return ReadingOutcome(
                id: id, reading: reading, kind: kind,
                verdict: report.verdict == .holds ? .holds : .refuted,
                evidence: report.evidence == .proved ? .proved : .tested,
                expected: expected, cases: report.casesRun, counterexample: report.counterexample, note: note)
        }
    }

    /// A reading decided by one exact symbolic computation (a polynomial identity, a finite enumeration).
    /// `decide` returns whether the identity holds and a JSON account of what was computed.
    public static func identity(
        id: String, reading: String, kind: ClaimKind = .exact, statement: String, expected: ClaimVerdict,
        decide: @escaping @Sendable () throws -> (holds: Bool, account: JSONValue)
    ) -> ClaimReading {
        ClaimReading(id: id, reading: reading, kind: kind, statement: statement, expected: expected, method: .symbolicIdentity) { _ in
            let (holds, account) = try decide()
            let counterexample = holds ? nil : PropertyReport.Counterexample(
                replay: "", choices: [], case: account, originalCase: account, originalReplay: "",
                shrinkSteps: 0, shrinkAttempts: 0, message: "the identity fails symbolically", phase: .exhaustive)
            return ReadingOutcome(id: id, reading: reading, kind: kind, verdict: holds ? .holds : .refuted,
                                  evidence: .proved, expected: expected, cases: 1, counterexample: counterexample,
                                  note: "exact symbolic computation: \(account.serialized())")
        }
    }
}
