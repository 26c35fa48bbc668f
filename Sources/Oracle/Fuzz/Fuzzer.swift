import Foundation
import Reference

/// Options of a fuzzing run.
public struct FuzzOptions: Sendable {
    public var task: EstimatorTask
    public var cases: Int
    /// Largest acceptable relative error |value − ρ| / |ρ|.
    public var tolerance: Double
    public var seed: UInt64
    /// This machine's part of the case space: case j runs on shard j mod count.
    public var shard: (index: Int, count: Int)
    /// Where findings are written, one file per finding kind, atomically as they arise (nil: nowhere).
    public var findingsDirectory: String?
    public var shrinkLimits: ShrinkLimits

    public init(task: EstimatorTask, cases: Int = 500, tolerance: Double = 1e-9, seed: UInt64 = 0,
                shard: (index: Int, count: Int) = (0, 1), findingsDirectory: String? = nil,
                shrinkLimits: ShrinkLimits = ShrinkLimits(maxAttempts: 2_000, maxSteps: 500, timeLimit: .seconds(60))) {
        self.task = task
        self.cases = cases
        self.tolerance = tolerance
        self.seed = seed
        self.shard = shard
        self.findingsDirectory = findingsDirectory
        self.shrinkLimits = shrinkLimits
    }
}

/// One finding: an input on which the estimator misbehaves, shrunk to a minimal one.
public struct FuzzFinding: Sendable, Equatable, JSONRenderable {
    /// tolerance, non-finite, unexpected-error, missed-undefined, crash, hang, garbage, wrong-id.
    public var kind: String
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
        .object(["kind": .string(kind), "message": .string(message), "caseIndex": .int(caseIndex), "replay": .string(replay),
                 "case": shrunk, "original": original, "shrinkSteps": .int(shrinkSteps), "exact": .string(exact),
                 "answer": .string(answer), "occurrences": .int(occurrences)])
    }
}

/// The result of a fuzzing run. Everything but `seconds` is deterministic for a seed.
public struct FuzzReport: Sendable, JSONRenderable {
    public var estimator: String
    public var task: EstimatorTask
    public var seed: UInt64
    public var shard: (index: Int, count: Int)
    public var cases: Int
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
            "shard": .string("\(shard.index)/\(shard.count)"), "cases": .int(cases), "undefinedCases": .int(undefinedCases),
            "worstRelativeError": worst.map { .number($0.error) } ?? .null,
            "worstCase": worst.map { .object(["caseIndex": .int($0.caseIndex), "case": $0.input]) } ?? .null,
            "quantiles": .object(["p50": quantile(0.5).map(JSONValue.number) ?? .null, "p90": quantile(0.9).map(JSONValue.number) ?? .null,
                                  "p99": quantile(0.99).map(JSONValue.number) ?? .null, "max": quantile(1).map(JSONValue.number) ?? .null]),
            "findings": .array(findings.map(\.json)),
            "timing": .object(["seconds": .number(seconds), "casesPerSecond": .number(seconds > 0 ? Double(cases) / seconds : 0)]),
        ])
    }
}

/// Runs an estimator against the exact Reference on generated cases.
public enum Fuzzer {
    /// How one case went.
    enum Verdict {
        case ok(relativeError: Double?)
        case finding(kind: String, message: String, exact: String, answer: String)
    }

    static func judge(_ input: EstimatorCase, _ estimator: Estimator, id: Int, tolerance: Double) -> Verdict {
        let exact: Result<Rational, ReferenceError>
        do { exact = .success(try input.exactValue()) } catch { exact = .failure(error) }
        let exactText: String
        switch exact {
        case .success(let rho): exactText = rho.description
        case .failure(let error): exactText = "undefined: \(error)"
        }
        let answer: EstimatorAnswer
        do { answer = try estimator.estimate(input, id: id) }
        catch { return .finding(kind: error.kind, message: error.description, exact: exactText, answer: "—") }
        switch (exact, answer) {
        case (.success, .error(let message)):
            return .finding(kind: "unexpected-error", message: "the estimator refused a defined case: \(message)", exact: exactText, answer: "error: \(message)")
        case (.failure, .error):
            return .ok(relativeError: nil)
        case (_, .value(let v)) where !v.isFinite:
            return .finding(kind: "non-finite", message: "the estimator answered \(v)", exact: exactText, answer: "\(v)")
        case (.failure, .value(let v)):
            return .finding(kind: "missed-undefined", message: "the SDR is undefined here but the estimator answered \(v) instead of an error", exact: exactText, answer: "\(v)")
        case (.success(let rho), .value(let v)):
            // The relative error, computed exactly from the Double's value.
            let difference = ((try? Rational(exactly: v)) ?? .zero) - rho
            let error = rho.isZero ? difference.magnitude.doubleValue : ((try? difference / rho)?.magnitude.doubleValue ?? .infinity)
            if error > tolerance {
                return .finding(kind: "tolerance", message: "relative error \(error) > tolerance \(tolerance)", exact: exactText, answer: "\(v)")
            }
            return .ok(relativeError: error)
        }
    }

    /// The case seed of case j: independent of sharding, so the shards of a run together are the run.
    static func caseSeed(_ seed: UInt64, _ j: Int) -> UInt64 { SplitMix64.mix(seed &+ UInt64(j + 1) &* 0x9E37_79B9_7F4A_7C15) }

    static func size(_ j: Int, of cases: Int) -> Int { cases <= 1 ? 0 : min(ChoiceSource.maxSize, ChoiceSource.maxSize * j / (cases - 1)) }

    /// Fuzzes `estimator`; `progress` is called after each case (for a TTY display).
    public static func run(_ estimator: Estimator, options: FuzzOptions, progress: ((Int, Int) -> Void)? = nil) throws -> FuzzReport {
        let gen = Domain.estimatorCase(options.task)
        let clock = ContinuousClock(), start = clock.now
        var report = FuzzReport(estimator: estimator.name, task: options.task, seed: options.seed, shard: options.shard, cases: 0,
                                errors: [], worst: nil, findings: [], undefinedCases: 0, seconds: 0)
        var requestId = 0
        for j in 0..<options.cases where j % options.shard.count == options.shard.index {
            let size = size(j, of: options.cases)
            var source = ChoiceSource.random(seed: caseSeed(options.seed, j), size: size)
            guard let input = try? gen.run(&source) else { continue }
            report.cases += 1
            requestId += 1
            if (try? input.exactValue()) == nil { report.undefinedCases += 1 }
            switch judge(input, estimator, id: requestId, tolerance: options.tolerance) {
            case .ok(let error):
                if let error {
                    report.errors.append(error)
                    if error > (report.worst?.error ?? -1) { report.worst = (error, j, input.json) }
                }
            case let .finding(kind, message, exact, answer):
                if let k = report.findings.firstIndex(where: { $0.kind == kind }) {
                    report.findings[k].occurrences += 1
                    try save(report.findings[k], options: options)
                    break
                }
                var finding = FuzzFinding(kind: kind, message: message, caseIndex: j,
                                          replay: Replay(seed: caseSeed(options.seed, j), size: size, choices: source.choices).encoded,
                                          shrunk: input.json, original: input.json, shrinkSteps: 0, exact: exact, answer: answer, occurrences: 1)
                try save(finding, options: options)   // saved before shrinking: a killed run keeps it
                finding = shrink(finding, choices: source.choices, size: size, seed: caseSeed(options.seed, j), gen: gen,
                                 estimator: estimator, options: options, requestId: &requestId)
                report.findings.append(finding)
                try save(finding, options: options)
            }
            progress?(report.cases, report.findings.count)
        }
        report.seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
        return report
    }

    /// Shrinks a finding on its choice sequence, keeping candidates that fail the same way.
    static func shrink(_ finding: FuzzFinding, choices: [UInt64], size: Int, seed: UInt64, gen: Gen<EstimatorCase>,
                       estimator: Estimator, options: FuzzOptions, requestId: inout Int) -> FuzzFinding {
        var id = requestId
        let limits = finding.kind == "hang" ? ShrinkLimits(maxAttempts: 10, maxSteps: 10, timeLimit: .seconds(60)) : options.shrinkLimits
        let initial = ShrinkCandidate(choices: choices, spans: [], payload: finding)
        var shrinker = Shrinker<FuzzFinding>(initial: initial, limits: limits) { candidate in
            var source = ChoiceSource.replaying(candidate, size: size)
            guard let input = try? gen.run(&source) else { return nil }
            id += 1
            guard case let .finding(kind, message, exact, answer) = judge(input, estimator, id: id, tolerance: options.tolerance),
                  kind == finding.kind else { return nil }
            var shrunk = finding
            shrunk.message = message
            shrunk.exact = exact
            shrunk.answer = answer
            shrunk.shrunk = input.json
            return ShrinkCandidate(choices: source.choices, spans: source.elementSpans, payload: shrunk)
        }
        shrinker.run()
        requestId = id
        var result = shrinker.best.payload
        result.shrinkSteps = shrinker.steps
        result.replay = Replay(seed: seed, size: size, choices: shrinker.best.choices).encoded
        return result
    }

    static func save(_ finding: FuzzFinding, options: FuzzOptions) throws {
        guard let directory = options.findingsDirectory else { return }
        let name = "\(options.task.rawValue)--\(finding.kind)" + (options.shard.count > 1 ? "--shard\(options.shard.index)" : "") + ".json"
        try AtomicFile.write(finding.json.serialized(pretty: true) + "\n", to: (directory as NSString).appendingPathComponent(name))
    }

    /// Rebuilds the case of a replay string (for `oracle fuzz --replay`).
    public static func replayCase(_ text: String, task: EstimatorTask) throws -> EstimatorCase {
        let replay = try Replay(parsing: text)
        return try Domain.estimatorCase(task).generate(replaying: replay.choices, size: replay.size)
    }
}
