import Fast
import Foundation
import Reference

/// Options of a fuzzing run: what is fuzzed and judged, and the engine's run configuration (cases,
/// seed, shard, shrink limits).
public struct FuzzOptions: Sendable {
    public var task: EstimatorTask
    /// Largest acceptable relative error |value − ρ| / |ρ|.
    public var tolerance: Double
    /// Where findings are written, one file per finding kind, atomically as they arise (nil: nowhere).
    public var findingsDirectory: String?
    /// Cases, seed (nil is 0), shard and shrink limits; the fuzzer runs the engine's random and shrink phases.
    public var run: RunConfiguration

    public init(
        task: EstimatorTask, cases: Int = 500, tolerance: Double = 1e-9, seed: UInt64 = 0,
        shard: Shard = .whole, findingsDirectory: String? = nil,
        shrinkLimits: ShrinkLimits = ShrinkLimits(maxAttempts: 2_000, maxSteps: 500, timeLimit: .seconds(60))
    ) {
        self.task = task
        self.tolerance = tolerance
        self.findingsDirectory = findingsDirectory
        self.run = RunConfiguration(seed: seed, cases: cases, shrinkLimits: shrinkLimits, shard: shard)
    }

    public var cases: Int {
        get { run.cases }
        set { run.cases = newValue }
    }
    public var seed: UInt64 {
        get { run.seed ?? 0 }
        set { run.seed = newValue }
    }
    public var shard: Shard {
        get { run.shard }
        set { run.shard = newValue }
    }
    public var shrinkLimits: ShrinkLimits {
        get { run.shrinkLimits }
        set { run.shrinkLimits = newValue }
    }
}

/// One finding: an input on which the estimator misbehaves, shrunk to a minimal one.
public struct FuzzFinding: Sendable, Equatable, JSONRenderable {
    public var kind: FindingKind
    public var message: String
    public var caseIndex: Int
    public var replay: String
    public var shrunk: JSONValue
    public var original: JSONValue
    public var shrinkSteps: Int
    /// The exact value ("p/q", or "undefined: …") and the answer on the shrunk case.
    public var exact: String
    public var answer: String
    /// How many cases of the run failed this way.
    public var occurrences: Int

    public var json: JSONValue {
        .object([
            "kind": .string(kind.rawValue), "message": .string(message), "caseIndex": .int(caseIndex),
            "replay": .string(replay),
            "case": shrunk, "original": original, "shrinkSteps": .int(shrinkSteps), "exact": .string(exact),
            "answer": .string(answer), "occurrences": .int(occurrences),
        ])
    }
}

/// The result of a fuzzing run. Everything but `seconds` is deterministic for a seed.
public struct FuzzReport: Sendable, JSONRenderable {
    public var estimator: String
    public var task: EstimatorTask
    public var seed: UInt64
    public var shard: Shard
    public var cases: Int
    /// The run's `--cases` (all shards together) and `--tolerance`: what `oracle merge` checks the shards agree on.
    public var requestedCases = 0
    public var tolerance = 0.0
    /// Relative errors of every finite answer on a case with a defined exact value.
    public var errors: [Double]
    public var worst: (error: Double, caseIndex: Int, input: JSONValue)?
    public var findings: [FuzzFinding]
    public var undefinedCases: Int
    public var seconds: Double

    public func quantile(_ q: Double) -> Double? {
        guard !errors.isEmpty else { return nil }
        let sorted = errors.sorted()
        return sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded(.up)))]
    }

    public var json: JSONValue {
        .object([
            "estimator": .string(estimator), "task": .string(task.rawValue), "seed": .string(String(seed)),
            "shard": .string(shard.description), "requestedCases": .int(requestedCases),
            "tolerance": .number(tolerance),
            "cases": .int(cases), "undefinedCases": .int(undefinedCases),
            "worstRelativeError": worst.map { .number($0.error) } ?? .null,
            "worstCase": worst.map { .object(["caseIndex": .int($0.caseIndex), "case": $0.input]) } ?? .null,
            "quantiles": .object([
                "p50": quantile(0.5).map(JSONValue.number) ?? .null,
                "p90": quantile(0.9).map(JSONValue.number) ?? .null,
                "p99": quantile(0.99).map(JSONValue.number) ?? .null, "max": quantile(1).map(JSONValue.number) ?? .null,
            ]),
            "findings": .array(findings.map(\.json)),
            // The raw errors, in case order, so merged shards give exact quantiles.
            "errors": .array(errors.map(JSONValue.number)),
            "timing": .object([
                "seconds": .number(seconds), "casesPerSecond": .number(seconds > 0 ? Double(cases) / seconds : 0),
            ]),
        ])
    }
}

/// Runs an estimator against the exact Reference on generated cases.
public enum Fuzzer {
    /// How one case went: the exact value and the answer as text, whether ρ is defined, the relative
    /// error (finite answer, defined ρ), and the finding, if any.
    struct Judgement {
        var exact: String
        var answer: String
        var defined: Bool
        var relativeError: Double?
        var finding: (kind: FindingKind, message: String)?
    }

    /// Computes the exact value once, asks the estimator once, and judges the answer.
    static func judge(_ input: EstimatorCase, _ estimator: Estimator, id: Int, tolerance: Double) -> Judgement {
        let exact: Result<[Rational], ReferenceError>
        do { exact = .success(try input.exactValues()) } catch { exact = .failure(error) }
        var j = Judgement(exact: "", answer: "—", defined: false, relativeError: nil, finding: nil)
        switch exact {
        case .success(let rho):
            j.defined = true
            j.exact = rho.count == 1 ? rho[0].description : "[" + rho.map(\.description).joined(separator: ", ") + "]"
        case .failure(let error):
            // ReferenceError.undefined already reads "undefined: …"; other errors get the prefix once.
            let reason = "\(error)"
            j.exact = reason.hasPrefix("undefined") ? reason : "undefined: \(reason)"
        }
        let answer: EstimatorAnswer
        do { answer = try estimator.estimate(input, id: id) } catch {
            j.finding = (error.kind, error.description); return j
        }
        let values: [Double]
        switch answer {
        case .error(let message):
            j.answer = "error: \(message)"
            if j.defined { j.finding = (.unexpectedError, "the estimator refused a defined case: \(message)") }
            return j
        case .value(let v): values = [v]
        case .values(let vs): values = vs
        }
        j.answer = values.count == 1 ? "\(values[0])" : "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            j.finding = (
                .nonFinite, "the estimator answered \(values[bad])" + (values.count > 1 ? " at entry \(bad)" : "")
            )
            return j
        }
        guard case .success(let rho) = exact else {
            j.finding = (
                .missedUndefined, "the SDR is undefined here but the estimator answered \(j.answer) instead of an error"
            )
            return j
        }
        guard values.count == rho.count else {
            let layout =
                if case let .layer(l) = input { " (Cout·Cin = \(l.outChannels)·\(l.inChannels), C order)" } else { "" }
            j.finding = (.wrongShape, "\(values.count) values answered, \(rho.count) expected" + layout)
            return j
        }
        // The relative error of each entry, computed exactly from the Double's value; the case's error is the worst
        // entry's.
        var worst = 0.0, worstEntry = 0
        for (k, (v, r)) in zip(values, rho).enumerated() {
            let difference = ((try? Rational(exactly: v)) ?? .zero) - r
            let error =
                r.isZero
                ? difference.magnitude.doubleValue : ((try? difference / r)?.magnitude.doubleValue ?? .infinity)
            if error > worst { (worst, worstEntry) = (error, k) }
        }
        j.relativeError = worst
        if worst > tolerance {
            let place = input.place(ofEntry: worstEntry)
            j.finding = (.tolerance, "relative error \(worst)\(place) > tolerance \(tolerance)")
        }
        return j
    }

    /// Fuzzes `estimator`; `progress` is called after each case with the cases done and the finding kinds
    /// (for a TTY display), and `shrinking` when a new kind of finding starts shrinking.
    public static func run(
        _ estimator: Estimator, options: FuzzOptions, progress: ((Int, Int) -> Void)? = nil,
        shrinking: ((String) -> Void)? = nil
    ) throws -> FuzzReport {
        let gen = Domain.estimatorCase(options.task)
        let clock = ContinuousClock(), start = clock.now
        var report = FuzzReport(
            estimator: estimator.name, task: options.task, seed: options.seed, shard: options.shard, cases: 0,
            errors: [], worst: nil, findings: [], undefinedCases: 0, seconds: 0)
        report.requestedCases = options.cases
        report.tolerance = options.tolerance
        var requestId = 0
        let phase = RandomPhase(
            cases: options.cases, seed: options.seed, shard: options.shard,
            maxChoices: options.run.maxChoices)
        run: for slot in phase {
            // A draw the generator rejects is replaced inside its case, as in `Property.check`.
            guard
                let (input, source) = slot.draws.lazy.compactMap({ source -> (EstimatorCase, ChoiceSource)? in
                    var source = source
                    return (try? gen.run(&source)).map { ($0, source) }
                }).first
            else { continue }
            let j = slot.index
            report.cases += 1
            requestId += 1
            let judgement = judge(input, estimator, id: requestId, tolerance: options.tolerance)
            if !judgement.defined { report.undefinedCases += 1 }
            // Every finite answer on a defined case counts in the error distribution, beyond the tolerance too.
            if let error = judgement.relativeError {
                report.errors.append(error)
                if error > (report.worst?.error ?? -1) { report.worst = (error, j, input.json) }
            }
            if let (kind, message) = judgement.finding {
                if let k = report.findings.firstIndex(where: { $0.kind == kind }) {
                    report.findings[k].occurrences += 1
                    try save(report.findings[k], options: options)
                } else {
                    let replay = Replay(seed: options.seed, size: slot.size, choices: source.choices)
                    var finding = FuzzFinding(
                        kind: kind, message: message, caseIndex: j, replay: replay.encoded,
                        shrunk: input.json, original: input.json, shrinkSteps: 0,
                        exact: judgement.exact, answer: judgement.answer, occurrences: 1)
                    try save(finding, options: options)  // saved before shrinking: a killed run keeps it
                    if kind == .cannotStart {
                        // Nothing to shrink and nothing more to learn: the estimator never ran.
                        report.findings.append(finding)
                        break run
                    }
                    shrinking?(kind.rawValue)
                    finding = shrink(
                        finding, choices: source.choices, size: slot.size, gen: gen,
                        estimator: estimator, options: options, requestId: &requestId)
                    report.findings.append(finding)
                    try save(finding, options: options)
                }
            }
            progress?(report.cases, report.findings.count)
        }
        report.seconds =
            Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        return report
    }

    /// Shrinks a finding on its choice sequence (the engine's shrink phase), keeping candidates that
    /// fail the same way.
    static func shrink(
        _ finding: FuzzFinding, choices: [UInt64], size: Int, gen: Gen<EstimatorCase>,
        estimator: Estimator, options: FuzzOptions, requestId: inout Int
    ) -> FuzzFinding {
        var id = requestId
        // Each attempt on a hang costs a full timeout: at most 10 of them.
        let o = options.shrinkLimits
        let limits =
            finding.kind == .hang
            ? ShrinkLimits(maxAttempts: min(o.maxAttempts, 10), maxSteps: min(o.maxSteps, 10), timeLimit: o.timeLimit)
            : o
        let result = ShrinkPhase.shrink(
            choices: choices, payload: finding, size: size, limits: limits,
            maxChoices: options.run.maxChoices
        ) { source in
            guard let input = try? gen.run(&source) else { return nil }
            id += 1
            let judgement = judge(input, estimator, id: id, tolerance: options.tolerance)
            guard let (kind, message) = judgement.finding, kind == finding.kind else { return nil }
            var shrunk = finding
            shrunk.message = message
            shrunk.exact = judgement.exact
            shrunk.answer = judgement.answer
            shrunk.shrunk = input.json
            return shrunk
        }
        requestId = id
        var shrunk = result.payload
        shrunk.shrinkSteps = result.steps
        shrunk.replay = Replay(seed: options.seed, size: size, choices: result.choices).encoded
        return shrunk
    }

    static func save(_ finding: FuzzFinding, options: FuzzOptions) throws {
        guard let directory = options.findingsDirectory else { return }
        let name =
            "\(options.task.rawValue)--\(finding.kind.rawValue)"
            + (options.shard.count > 1 ? "--shard\(options.shard.index)" : "") + ".json"
        try AtomicFile.write(
            finding.json.serialized(pretty: true) + "\n", to: (directory as NSString).appendingPathComponent(name))
    }

    /// Runs the one case of a replay string (`oracle fuzz --replay`): the case, its exact value, the
    /// estimator's answer, and the finding it makes (nil when the answer is within the tolerance).
    public static func replay(_ text: String, estimator: Estimator, options: FuzzOptions) throws
        -> (input: EstimatorCase, exact: String, answer: String, finding: (kind: FindingKind, message: String)?)
    {
        let input = try replayCase(text, task: options.task)
        let judgement = judge(input, estimator, id: 1, tolerance: options.tolerance)
        return (input, judgement.exact, judgement.answer, judgement.finding)
    }

    /// Rebuilds the case of a replay string (for `oracle fuzz --replay`).
    public static func replayCase(_ text: String, task: EstimatorTask) throws -> EstimatorCase {
        let replay = try Replay(parsing: text)
        return try Domain.estimatorCase(task).generate(replaying: replay.choices, size: replay.size)
    }
}
