import Fast
import Foundation
import Reference

/// Options of a fuzzing run: what is fuzzed and judged, and the engine's run configuration (cases,
/// seed, shard, shrink limits).
public struct FuzzOptions: Sendable {
    public var task: EstimatorTask
    /// A fixed largest acceptable relative error |value − ρ| / |ρ| (`--tolerance`); nil (the default) judges
    /// each answer by its own budget, `Conditioning.budget`: factor · u · (κ + 1), κ the SDR's condition number
    /// at that input.
    public var tolerance: Double?
    /// The arithmetic the estimator is judged as using (u in the budget); unused under a fixed tolerance.
    public var precision: Conditioning.Precision
    /// Where findings are written, one file per finding kind, atomically when found and when shrunk (occurrence
    /// counts at the end of the run; nil: nowhere).
    public var findingsDirectory: String?
    /// Cases, seed (nil is 0), shard and shrink limits; the fuzzer runs the engine's random and shrink phases.
    public var run: RunConfiguration
    /// The conventions requests ask for (`--averaging`, `--grid`), one drawn per case when there are several
    /// (default: the paper's only, and no draw, so replays of earlier runs stay valid).
    public var conventions: [SDRConvention] = [.paper]

    public init(
        task: EstimatorTask, cases: Int = 500, tolerance: Double? = nil, precision: Conditioning.Precision = .float64,
        seed: UInt64 = 0, shard: Shard = .whole, findingsDirectory: String? = nil,
        shrinkLimits: ShrinkLimits = ShrinkLimits(maxAttempts: 2_000, maxSteps: 500, timeLimit: .seconds(60))
    ) {
        self.task = task
        self.tolerance = tolerance
        self.precision = precision
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
    /// The finding is shown by the task's smallest defined and undefined cases alike (a banner, a crash at start-up):
    /// it does not depend on the input and was not shrunk further.
    public var inputIndependent = false
    /// For a `flaky` finding: the kind it showed before the fresh process, and the last requests sent before it
    /// (JSON lines with their ids).
    public var flakyKind: FindingKind? = nil
    public var history: [JSONValue] = []
    /// The input families the original case was drawn from (distinct, sorted).
    public var families: [String] = []

    public init(
        kind: FindingKind, message: String, caseIndex: Int, replay: String, shrunk: JSONValue, original: JSONValue,
        shrinkSteps: Int, exact: String, answer: String, occurrences: Int
    ) {
        self.kind = kind
        self.message = message
        self.caseIndex = caseIndex
        self.replay = replay
        self.shrunk = shrunk
        self.original = original
        self.shrinkSteps = shrinkSteps
        self.exact = exact
        self.answer = answer
        self.occurrences = occurrences
    }

    /// The minimal input as the estimator receives it: the protocol's request lines ({"id", "task", inputs as
    /// numbers}), ids from 0, in the order sent — to paste into the estimator's stdin or a unit test. Empty when the
    /// case cannot be read back (a finding that names no input).
    public var requests: [JSONValue] {
        guard let fuzzCase = try? FuzzCase(json: shrunk) else { return [] }
        return fuzzCase.protocolRequests()
    }

    public var json: JSONValue {
        let members: [JSONValue.Member] = [
            .init("kind", .string(kind.rawValue)), .init("message", .string(message)),
            .init("caseIndex", .int(caseIndex)), .init("replay", .string(replay)), .init("case", shrunk),
            .init("original", original), .init("shrinkSteps", .int(shrinkSteps)), .init("exact", .string(exact)),
            .init("answer", .string(answer)), .init("occurrences", .int(occurrences)),
            .init("inputIndependent", .bool(inputIndependent)),
            .init("families", .array(families.map(JSONValue.string))),
            .init("requests", .array(requests)),
        ]
        let flaky: [JSONValue.Member] =
            kind == .flaky
            ? [.init("flakyKind", .string(flakyKind?.rawValue ?? "")), .init("history", .array(history))] : []
        return .object(members + flaky)
    }
}

/// How one answer measured against its error budget (`Conditioning`): for a layer, the reading of one entry.
public struct BudgetReading: Sendable, Equatable {
    /// |value − ρ| / |ρ| (absolute where ρ = 0).
    public var relativeError: Double
    /// κ of the SDR at the input (`Conditioning.conditionNumbers`).
    public var conditionNumber: Double
    /// factor · u · (κ + 1), or the fixed `--tolerance`.
    public var budget: Double
    /// E / B, the error in units of its budget ("ulps of budget"); above 1 is a finding.
    public var errorInBudgets: Double

    public init(relativeError: Double, conditionNumber: Double, budget: Double) {
        self.relativeError = relativeError
        self.conditionNumber = conditionNumber
        self.budget = budget
        self.errorInBudgets = relativeError == 0 ? 0 : relativeError / budget
    }

    /// "κ = 4.7e+07, budget 3.2e-07, E/B = 0.0041".
    public var summary: String {
        "κ = \(Self.short(conditionNumber)), budget \(budget), E/B = \(Self.short(errorInBudgets))"
    }

    static func short(_ x: Double) -> String { x.isFinite ? String(format: "%.3g", x) : "\(x)" }
}

/// The result of a fuzzing run. Everything but `seconds` is deterministic for a seed.
public struct FuzzReport: Sendable, JSONRenderable {
    public var estimator: String
    public var task: EstimatorTask
    public var seed: UInt64
    public var shard: Shard
    public var cases: Int
    /// The run's `--cases` (all shards together), `--tolerance` (nil: each case judged by its conditioning) and
    /// `--precision`: what `oracle merge` checks the shards agree on.
    public var requestedCases = 0
    public var tolerance: Double? = nil
    public var precision = Conditioning.Precision.float64
    /// Relative errors of every finite answer on a case with a defined exact value.
    public var errors: [Double]
    public var worst: (error: Double, caseIndex: Int, input: JSONValue)?
    /// The worst case's κ, budget and error in budgets (of its worst entry).
    public var worstReading: BudgetReading? = nil
    /// Where the time went (not deterministic, like `seconds`).
    public var profile = FuzzProfile()
    /// The case furthest from (or beyond) its budget: the largest E/B, ties to the earlier case.
    public var worstInBudgets: (reading: BudgetReading, caseIndex: Int, input: JSONValue)? = nil
    public var findings: [FuzzFinding]
    public var undefinedCases: Int
    /// Why the run stopped before its cases were done (nil: it ran them all).
    public var stoppedEarly: String? = nil
    /// Coverage: how many cases (for arrays: arrays) were drawn from each input family (`Domain.fuzzCase`).
    public var families: [String: Int] = [:]
    public var seconds: Double

    public func quantile(_ q: Double) -> Double? {
        guard !errors.isEmpty else { return nil }
        let sorted = errors.sorted()
        return sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded(.up)))]
    }

    /// How answers are judged, as printed: the budget's rule with its u, or the fixed tolerance.
    public var budgetRule: String {
        tolerance.map { "fixed tolerance \($0)" }
            ?? "\(task.isCompanion ? CompanionConditioning.rule : Conditioning.rule), u = "
            + "\(precision == .float64 ? "2^-53" : "2^-24") (float\(precision.rawValue))"
    }

    public var json: JSONValue {
        func reading(_ r: BudgetReading?) -> [JSONValue.Member] {
            guard let r else { return [] }
            return [
                .init("conditionNumber", .number(r.conditionNumber)), .init("budget", .number(r.budget)),
                .init("errorInBudgets", .number(r.errorInBudgets)),
            ]
        }
        let worstCase: JSONValue =
            worst.map { w -> JSONValue in
                .object([.init("caseIndex", .int(w.caseIndex)), .init("case", w.input)] + reading(worstReading))
            } ?? .null
        let furthest: JSONValue =
            worstInBudgets.map { w -> JSONValue in
                let head: [JSONValue.Member] = [
                    .init("caseIndex", .int(w.caseIndex)), .init("case", w.input),
                    .init("relativeError", .number(w.reading.relativeError)),
                ]
                return .object(head + reading(w.reading))
            } ?? .null
        let toleranceValue: JSONValue = tolerance.map(JSONValue.number) ?? .null
        let worstError: JSONValue = worst.map { .number($0.error) } ?? .null
        return .object([
            "estimator": .string(estimator), "task": .string(task.rawValue), "seed": .string(String(seed)),
            "shard": .string(shard.description), "requestedCases": .int(requestedCases),
            "tolerance": toleranceValue, "precision": .int(precision.rawValue), "budget": .string(budgetRule),
            "cases": .int(cases), "undefinedCases": .int(undefinedCases),
            "families": .object(families.keys.sorted().map { .init($0, .int(families[$0]!)) }),
            "worstRelativeError": worstError, "worstCase": worstCase, "worstInBudgets": furthest,
            "quantiles": .object([
                "p50": quantile(0.5).map(JSONValue.number) ?? .null,
                "p90": quantile(0.9).map(JSONValue.number) ?? .null,
                "p99": quantile(0.99).map(JSONValue.number) ?? .null, "max": quantile(1).map(JSONValue.number) ?? .null,
            ]),
            "findings": .array(findings.map(\.json)),
            "stoppedEarly": stoppedEarly.map(JSONValue.string) ?? .null,
            // The raw errors, in case order, so merged shards give exact quantiles.
            "errors": .array(errors.map(JSONValue.number)),
            "timing": .object([
                "seconds": .number(seconds), "casesPerSecond": .number(seconds > 0 ? Double(cases) / seconds : 0),
                "profile": profile.json,
            ]),
        ])
    }
}

/// Where a run's time went: seconds summed over its cases (over the worker threads with several workers) —
/// drawing the cases, the exact value, the estimator's answer (waiting for the child), judging it (κ, budget,
/// error), and shrinking findings.
public struct FuzzProfile: Sendable, Equatable {
    public var generation = 0.0
    public var exact = 0.0
    public var estimator = 0.0
    public var judging = 0.0
    public var shrinking = 0.0

    public init() {}

    static var fields: [(name: String, path: WritableKeyPath<FuzzProfile, Double>)] {
        [
            ("generation", \.generation), ("exact", \.exact), ("estimator", \.estimator), ("judging", \.judging),
            ("shrinking", \.shrinking),
        ]
    }

    /// Field by field (run per case: no key paths).
    public static func += (a: inout FuzzProfile, b: FuzzProfile) {
        a.generation += b.generation
        a.exact += b.exact
        a.estimator += b.estimator
        a.judging += b.judging
        a.shrinking += b.shrinking
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public var json: JSONValue { .object(Self.fields.map { .init($0.name, .number(self[keyPath: $0.path])) }) }

    /// Reads a report's `timing.profile` (absent fields 0).
    public init(json: JSONValue?) {
        for (name, path) in Self.fields {
            switch json?[name] {
            case let .number(x)?: self[keyPath: path] = x
            case let .int(n)?: self[keyPath: path] = Double(n)
            default: break
            }
        }
    }

    /// "generation 0.01 s, exact 0.52 s, …".
    public var summary: String {
        Self.fields.map { "\($0.name) \(String(format: "%.3g", self[keyPath: $0.path])) s" }.joined(separator: ", ")
    }
}

/// Cases handed to worker threads in index order, their results collected by index (nil: every draw rejected).
typealias CasePool = OrderedWorkPool<Fuzzer.CaseResult?>

/// A value handed to another thread that only that thread uses.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Runs an estimator against the exact Reference on generated cases.
public enum Fuzzer {
    /// How one case went: the exact value and the answer as text, whether ρ is defined, the relative
    /// error (finite answer, defined ρ; a layer's worst entry), the budget readings, and the finding, if any.
    public struct Judgement: Sendable {
        /// The exact value, or why it is undefined; rendered as text only when a report or finding shows it.
        var exactScores: Result<[SquareRootSum], ReferenceError>
        /// What the estimator answered (nil: nothing yet, or it failed).
        var answered: EstimatorAnswer?
        public var defined: Bool
        public var relativeError: Double?
        /// The reading of the entry with the largest relative error.
        public var reading: BudgetReading?
        /// The reading of the entry with the largest E/B (the same entry but for a layer).
        public var furthest: BudgetReading?
        public var finding: (kind: FindingKind, message: String)?
        /// Where the case's time went.
        public var profile = FuzzProfile()
        /// κ not computed yet (a run's judging: `reading` and `furthest` are nil until `resolveConditioning`).
        var pending: PendingConditioning? = nil

        /// What computes κ of a single rational value when it is needed, and E/B at κ = 0: B(κ) ≥ B(0), so that
        /// bounds E/B from above.
        struct PendingConditioning: Sendable {
            var input: EstimatorCase
            var convention: SDRConvention
            var exact: Rational
            var tolerance: Double?
            var precision: Conditioning.Precision
            var bound: Double
        }

        /// The exact value as text ("[a, b, …]" for several), or "undefined: why".
        public var exact: String {
            switch exactScores {
            case .success(let rho):
                return rho.count == 1
                    ? rho[0].description : "[" + rho.map(\.description).joined(separator: ", ") + "]"
            case .failure(let error):
                // ReferenceError.undefined already reads "undefined: …"; other errors get the prefix once.
                let reason = "\(error)"
                return reason.hasPrefix("undefined") ? reason : "undefined: \(reason)"
            }
        }

        /// The answer as text: "—" before one, "error: message", or the value(s).
        public var answer: String {
            switch answered {
            case nil: "—"
            case .error(let message): "error: \(message)"
            case .value(let v): "\(v)"
            case .values(let vs): vs.count == 1 ? "\(vs[0])" : "[" + vs.map { "\($0)" }.joined(separator: ", ") + "]"
            }
        }

        /// E/B of `furthest`, or an upper bound of it while κ is pending.
        var inBudgetsBound: Double? { pending?.bound ?? furthest?.errorInBudgets }

        /// Computes a pending κ and the readings, as `judge` computes them eagerly.
        mutating func resolveConditioning() {
            guard let p = pending, let error = relativeError else { return }
            pending = nil
            let kappa =
                Conditioning.conditionNumbers(p.input, convention: p.convention, exact: [p.exact]).first ?? .infinity
            let budget =
                p.tolerance
                ?? Conditioning.budget(
                    conditionNumber: kappa, transformLength: Conditioning.transformLength(p.input),
                    precision: p.precision)
            (reading, furthest) = (
                BudgetReading(relativeError: error, conditionNumber: kappa, budget: budget),
                BudgetReading(relativeError: error, conditionNumber: kappa, budget: budget)
            )
        }
    }

    /// Computes the exact value once, asks the estimator once, and judges the answer: beyond its budget
    /// factor · u · (κ + 1) (`Conditioning`; u of `precision`) is a `.tolerance` finding — or beyond the fixed
    /// `tolerance` when one is given.
    public static func judge(
        _ input: EstimatorCase, _ estimator: Estimator, id: Int = 1, tolerance: Double? = nil,
        precision: Conditioning.Precision = .float64, convention: SDRConvention = .paper
    ) -> Judgement {
        judge(input, convention: convention, tolerance: tolerance, precision: precision) {
            () throws(EstimatorFailure) in
            try estimator.estimate(input, convention: convention, id: id)
        }
    }

    /// `judge` with the answer from `answer`, asked after the exact value is computed (a pipelined request's
    /// answer is read there).
    ///
    /// With `lazyConditioning`, a single rational value within the budget at κ = 0 (so within its own) is left with
    /// κ pending (`Judgement.resolveConditioning`): a run computes it only for a case that may become the report's
    /// worst.
    static func judge(
        _ input: EstimatorCase, convention: SDRConvention, tolerance: Double?, precision: Conditioning.Precision,
        lazyConditioning: Bool = false, answer answering: () throws(EstimatorFailure) -> EstimatorAnswer
    ) -> Judgement {
        let clock = ContinuousClock()
        var mark = clock.now
        /// Seconds since the last mark.
        func lap() -> Double {
            let now = clock.now
            defer { mark = now }
            return FuzzProfile.seconds(now - mark)
        }
        let exact: Result<[SquareRootSum], ReferenceError>
        do { exact = .success(try input.exactScores(convention)) } catch { exact = .failure(error) }
        var j = Judgement(
            exactScores: exact, answered: nil, defined: false, relativeError: nil, reading: nil, furthest: nil,
            finding: nil)
        j.profile.exact = lap()
        if case .success = exact { j.defined = true }
        // Below (64u)² of an array's power ρ is defined but not resolvable in the estimator's precision: any error
        // or finite value is accepted.
        let resolvable =
            !j.defined || Conditioning.resolvable(input, precision: precision, convention: convention)
        _ = lap()
        let answer: EstimatorAnswer
        do { answer = try answering() } catch {
            j.profile.estimator = lap()
            j.finding = (error.kind, error.description); return j
        }
        j.profile.estimator = lap()
        j.answered = answer
        let values: [Double]
        switch answer {
        case .error(let message):
            if j.defined && resolvable {
                j.finding = (.unexpectedError, "the estimator refused a defined case: \(message)")
            }
            return j
        case .value(let v): values = [v]
        case .values(let vs): values = vs
        }
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
            let layout: String =
                switch input {
                case let .layer(l): " (Cout·Cin = \(l.outChannels)·\(l.inChannels), C order)"
                case let .icScores(map):
                    " (INV and EQV n×n, SCN n, L_INV, L_EQV: 2n² + n + 2 for n = \(map.dimension))"
                case .cageScores: " (GATE(c→e), GATE(e→c), Δτ)"
                default: ""
                }
            j.finding = (.wrongShape, "\(values.count) values answered, \(rho.count) expected" + layout)
            return j
        }
        guard resolvable else { return j }
        if lazyConditioning, !input.task.isCompanion, rho.count == 1, rho[0].isRational {
            let error = relativeError((try? Rational(exactly: values[0])) ?? .zero, rho[0])
            let floor =
                tolerance
                ?? Conditioning.budget(
                    conditionNumber: 0, transformLength: Conditioning.transformLength(input), precision: precision)
            if error <= floor {
                j.relativeError = error
                j.pending = .init(
                    input: input, convention: convention, exact: rho[0].rational, tolerance: tolerance,
                    precision: precision,
                    bound: BudgetReading(relativeError: error, conditionNumber: 0, budget: floor).errorInBudgets)
                return j
            }
        }
        // The relative error of each entry, computed exactly from the Double's value; the case's error is the worst
        // entry's. Each entry has its own budget (its own κ); the finding names the entry furthest beyond its budget.
        let kappas =
            input.task.isCompanion
            ? CompanionConditioning.conditionNumbers(input, exact: rho)
            : Conditioning.conditionNumbers(input, convention: convention, exact: rho.map(\.rational))
        let length = Conditioning.transformLength(input)
        var worst = 0.0, worstEntry = 0, furthestEntry = 0
        var readings: [BudgetReading] = []
        /// Entries beyond their budget, decided exactly where the exact value has square roots.
        var beyond: [Bool] = []
        for (k, (v, r)) in zip(values, rho).enumerated() {
            let answered = (try? Rational(exactly: v)) ?? .zero
            let error = relativeError(answered, r)
            if error > worst { (worst, worstEntry) = (error, k) }
            let kappa = k < kappas.count ? kappas[k] : .infinity
            let budget =
                tolerance ?? Conditioning.budget(conditionNumber: kappa, transformLength: length, precision: precision)
            readings.append(BudgetReading(relativeError: error, conditionNumber: kappa, budget: budget))
            if readings[k].errorInBudgets > readings[furthestEntry].errorInBudgets { furthestEntry = k }
            // |v − S| > B·|S| on squares (a Double budget is a rational); an infinite budget holds everything.
            beyond.append(
                r.isRational
                    ? error > budget
                    : budget.isFinite
                        && r.differsRelatively(from: answered, byMoreThan: (try? Rational(exactly: budget)) ?? .zero))
        }
        j.relativeError = worst
        j.reading = readings[worstEntry]
        // The entry furthest beyond its budget; with square roots, the exact decision names the entry.
        if !beyond[furthestEntry],
            let k = beyond.indices.filter({ beyond[$0] }).max(by: {
                readings[$0].errorInBudgets < readings[$1].errorInBudgets
            })
        {
            furthestEntry = k
        }
        let furthest = readings[furthestEntry]
        j.furthest = furthest
        if beyond[furthestEntry] {
            let place = input.place(ofEntry: furthestEntry)
            let (e, b, kappa, ratio) = (
                furthest.relativeError, furthest.budget, BudgetReading.short(furthest.conditionNumber),
                BudgetReading.short(furthest.errorInBudgets)
            )
            j.finding = (
                .tolerance,
                tolerance == nil
                    ? "relative error \(e)\(place) > budget \(b) (κ = \(kappa), E/B = \(ratio) budgets)"
                    : "relative error \(e)\(place) > tolerance \(b) (κ = \(kappa), E/T = \(ratio))"
            )
        }
        return j
    }

    /// |v − S|/|S| (|v − S| where S = 0): exact for a rational S, else in Double from the exact difference's terms.
    static func relativeError(_ v: Rational, _ r: SquareRootSum) -> Double {
        if r.isRational {
            let difference = v - r.rational
            return r.rational.isZero
                ? difference.magnitude.doubleValue
                : ((try? difference / r.rational)?.magnitude.doubleValue ?? .infinity)
        }
        let difference = abs(r.scaled(by: -.one, plus: v).doubleValue)
        return r.isZero ? difference : difference / abs(r.doubleValue)
    }

    /// The last requests sent (ids and cases), for a `flaky` finding's history.
    struct RequestHistory {
        static let capacity = 16
        var entries: [(id: Int, request: EstimatorCase, convention: SDRConvention)] = []

        mutating func append(_ id: Int, _ request: EstimatorCase, _ convention: SDRConvention) {
            entries.append((id, request, convention))
            if entries.count > Self.capacity { entries.removeFirst() }
        }

        var json: [JSONValue] { entries.map { $0.request.request(id: $0.id, convention: $0.convention) } }
    }

    /// Judges the requests of a case in order, with consecutive ids after `requestId`, stopping at the first
    /// finding; the last judgement holds it.
    static func judge(
        _ input: FuzzCase, _ estimator: Estimator, requestId: inout Int, history: inout RequestHistory,
        options: FuzzOptions, lazyConditioning: Bool = false
    ) -> [Judgement] {
        var out: [Judgement] = []
        let clock = ContinuousClock()
        for request in input.requests {
            requestId += 1
            history.append(requestId, request, input.convention)
            let start = clock.now
            var j = judge(
                request, convention: input.convention, tolerance: options.tolerance, precision: options.precision,
                lazyConditioning: lazyConditioning
            ) { () throws(EstimatorFailure) in
                try estimator.estimate(request, convention: input.convention, id: requestId)
            }
            j.profile.judging = FuzzProfile.seconds(clock.now - start) - j.profile.exact - j.profile.estimator
            out.append(j)
            if j.finding != nil { break }
        }
        return out
    }

    /// A worker that keeps up to `depth` cases' requests in flight to its process (under 32 KiB of them, so a
    /// write never blocks on a child that stopped reading): it writes the next cases' requests, then computes each
    /// request's exact value while the child works, reads its answer and judges it. Answers after a case's first
    /// finding are read and dropped, so each case's judgements are the one-at-a-time ones.
    static func pipelinedWorker(
        _ estimator: ExternalEstimator, depth: Int, pool: CasePool, slots: [RandomPhase.Slot], gen: Gen<FuzzCase>,
        options: FuzzOptions
    ) {
        let clock = ContinuousClock()
        var id = 0
        var log = RequestHistory()
        var window: [(k: Int, drawn: (input: FuzzCase, choices: [UInt64])?, ids: [Int], generation: Double)] = []
        while true {
            while window.count < depth, estimator.bytesInFlight < 32_768, let k = pool.next() {
                let start = clock.now
                let drawn = draw(slots[k], gen: gen)
                var ids: [Int] = []
                let convention = drawn?.input.convention ?? .paper
                for request in drawn?.input.requests ?? [] {
                    id += 1
                    ids.append(id)
                    log.append(id, request, convention)
                    estimator.send(request, convention: convention, id: id)
                }
                window.append((k, drawn, ids, FuzzProfile.seconds(clock.now - start)))
            }
            guard !window.isEmpty else { break }
            let item = window.removeFirst()
            guard let (input, choices) = item.drawn else {
                pool.finish(item.k, nil)
                continue
            }
            var judgements: [Judgement] = []
            var history = RequestHistory()
            for (request, rid) in zip(input.requests, item.ids) {
                if judgements.last?.finding != nil {
                    _ = try? estimator.receive(id: rid)
                    continue
                }
                let start = clock.now
                var j = judge(
                    request, convention: input.convention, tolerance: options.tolerance, precision: options.precision,
                    lazyConditioning: true
                ) {
                    () throws(EstimatorFailure) in try estimator.receive(id: rid)
                }
                j.profile.judging = FuzzProfile.seconds(clock.now - start) - j.profile.exact - j.profile.estimator
                if j.finding != nil { history.entries = log.entries.filter { $0.id <= rid } }
                judgements.append(j)
            }
            pool.finish(
                item.k,
                CaseResult(
                    slot: slots[item.k], choices: choices, input: input, judgements: judgements,
                    generation: item.generation, history: history))
        }
    }

    /// One judged random case, before it is folded into the report.
    struct CaseResult {
        var slot: RandomPhase.Slot
        var choices: [UInt64]
        var input: FuzzCase
        var judgements: [Judgement]
        var generation: Double
        /// With a finding: the requests the process had been sent up to it (a `flaky` finding's history; later ones
        /// may be in flight).
        var history = RequestHistory()
    }

    /// Draws and judges the case of a slot (nil when every draw is rejected).
    static func runCase(
        _ slot: RandomPhase.Slot, gen: Gen<FuzzCase>, estimator: Estimator, requestId: inout Int,
        history: inout RequestHistory, options: FuzzOptions
    ) -> CaseResult? {
        let clock = ContinuousClock(), start = clock.now
        guard let (input, choices) = draw(slot, gen: gen) else { return nil }
        let generation = FuzzProfile.seconds(clock.now - start)
        let judgements = judge(
            input, estimator, requestId: &requestId, history: &history, options: options, lazyConditioning: true)
        var result = CaseResult(
            slot: slot, choices: choices, input: input, judgements: judgements, generation: generation)
        if judgements.last?.finding != nil { result.history = history }
        return result
    }

    /// The case of a slot and its choices (nil when every draw is rejected: a rejected draw is replaced inside
    /// its case, as in `Property.check`).
    static func draw(_ slot: RandomPhase.Slot, gen: Gen<FuzzCase>) -> (input: FuzzCase, choices: [UInt64])? {
        // A plain loop: the first draw that generates is the case, and the later ones are never run
        // (`lazy.compactMap(…).first` here ran all ten of them).
        for var source in slot.draws {
            if let input = try? gen.run(&source) { return (input, source.choices) }
        }
        return nil
    }

    /// Fuzzes `estimator`; `progress` is called after each case with the cases done and the finding kinds
    /// (for a TTY display), and `shrinking` when a new kind of finding starts shrinking.
    public static func run(
        _ estimator: Estimator, options: FuzzOptions, progress: ((Int, Int) -> Void)? = nil,
        shrinking: ((String) -> Void)? = nil
    ) throws -> FuzzReport {
        try run(
            workers: [estimator], shrinkingWith: estimator, options: options, progress: progress, shrinking: shrinking)
    }

    /// Fuzzes with several estimator processes (`--jobs`): each of `workers` judges cases on its own thread, and the
    /// cases are folded into the report in case order, findings shrunk with `shrinkingWith` — so the report is the
    /// one-worker report whatever the number of workers (a `flaky` finding's history excepted: it is the requests of
    /// the process that showed it). With one worker that is also the shrinking one, cases run on this thread. With
    /// `pipeline` above 1, each external worker keeps up to that many cases' requests in flight (`pipelinedWorker`);
    /// the report does not depend on it either.
    public static func run(
        workers: [Estimator], shrinkingWith shrinker: Estimator, options: FuzzOptions, pipeline depth: Int = 1,
        progress: ((Int, Int) -> Void)? = nil, shrinking: ((String) -> Void)? = nil
    ) throws -> FuzzReport {
        precondition(!workers.isEmpty, "Fuzzer.run needs at least one worker")
        let gen = Domain.fuzzCase(options.task, conventions: options.conventions)
        let clock = ContinuousClock(), start = clock.now
        var report = FuzzReport(
            estimator: shrinker.name, task: options.task, seed: options.seed, shard: options.shard, cases: 0,
            errors: [], worst: nil, findings: [], undefinedCases: 0, seconds: 0)
        report.requestedCases = options.cases
        report.tolerance = options.tolerance
        report.precision = options.precision
        var requestId = 0
        var history = RequestHistory()
        /// Cases in a row, in case order, whose judgement was a crash.
        var crashesInARow = 0
        let slots = Array(
            RandomPhase(
                cases: options.cases, seed: options.seed, shard: options.shard, maxChoices: options.run.maxChoices))

        /// Folds one case into the report; false once the estimator cannot start (the run stops).
        func fold(_ result: CaseResult) throws -> Bool {
            let (input, j, judgements) = (result.input, result.slot.index, result.judgements)
            report.cases += 1
            report.profile.generation += result.generation
            for family in input.families { report.families[family, default: 0] += 1 }
            if judgements.contains(where: { !$0.defined }) { report.undefinedCases += 1 }
            for (judged, request) in zip(judgements, input.requests) {
                var judgement = judged
                report.profile += judgement.profile
                // Every finite answer on a defined case counts in the error distribution, beyond the budget too.
                if let error = judgement.relativeError {
                    report.errors.append(error)
                    if error > (report.worst?.error ?? -1) {
                        judgement.resolveConditioning()
                        report.worst = (error, j, FuzzCase([request], convention: input.convention).json)
                        report.worstReading = judgement.reading
                    }
                }
                // κ is computed (here, in case order) only where the bound of E/B could make a new furthest case.
                if let bound = judgement.inBudgetsBound,
                    bound > (report.worstInBudgets?.reading.errorInBudgets ?? -1)
                {
                    judgement.resolveConditioning()
                    if let r = judgement.furthest,
                        r.errorInBudgets > (report.worstInBudgets?.reading.errorInBudgets ?? -1)
                    {
                        report.worstInBudgets = (r, j, FuzzCase([request], convention: input.convention).json)
                    }
                }
            }
            let crashed = judgements.last?.finding?.kind == .crash
            crashesInARow = crashed ? crashesInARow + 1 : 0
            guard let last = judgements.last, let (kind, message) = last.finding else { return true }
            if let k = report.findings.firstIndex(where: { $0.kind == kind || $0.flakyKind == kind }) {
                // Counted here, written at the end: rewriting the file per occurrence cost 4 ms each (it is synced).
                report.findings[k].occurrences += 1
                // A crash the smallest inputs show too, on every one of the last cases: each further case would only
                // restart the process to crash again (a Python start-up each), so the run stops.
                if crashed, report.findings[k].inputIndependent, crashesInARow >= Self.crashesBeforeStopping {
                    report.stoppedEarly =
                        "the estimator crashed on each of the last \(crashesInARow) cases and on the smallest "
                        + "inputs: the crash does not depend on the input, so the remaining cases were not run"
                    return false
                }
                return true
            }
            let replay = Replay(seed: options.seed, size: result.slot.size, choices: result.choices)
            var finding = FuzzFinding(
                kind: kind, message: message, caseIndex: j, replay: replay.encoded,
                shrunk: input.json, original: input.json, shrinkSteps: 0,
                exact: last.exact, answer: last.answer, occurrences: 1)
            finding.families = Array(Set(input.families)).sorted()
            try save(finding, options: options)  // saved before shrinking: a killed run keeps it
            if kind == .cannotStart {
                // Nothing to shrink and nothing more to learn: the estimator never ran.
                report.findings.append(finding)
                return false
            }
            shrinking?(kind.rawValue)
            let requests = result.history.json
            let shrinkStart = clock.now
            finding = shrink(
                finding, input: input, estimator: shrinker, options: options, requestId: &requestId,
                history: &history)
            report.profile.shrinking += FuzzProfile.seconds(clock.now - shrinkStart)
            if finding.kind == .flaky { finding.history = requests }
            report.findings.append(finding)
            try save(finding, options: options)
            return true
        }

        if workers.count == 1 && workers[0] === shrinker {
            for slot in slots {
                guard
                    let result = runCase(
                        slot, gen: gen, estimator: shrinker, requestId: &requestId, history: &history,
                        options: options)
                else { continue }
                guard try fold(result) else { break }
                progress?(report.cases, report.findings.count)
            }
        } else {
            let pool = CasePool(count: slots.count)
            for worker in workers {
                let box = UncheckedBox(worker)
                let thread = Thread {
                    if depth > 1, let external = box.value as? ExternalEstimator {
                        pipelinedWorker(external, depth: depth, pool: pool, slots: slots, gen: gen, options: options)
                        pool.exit()
                        return
                    }
                    var (id, log) = (0, RequestHistory())
                    while let k = pool.next() {
                        pool.finish(
                            k,
                            runCase(
                                slots[k], gen: gen, estimator: box.value, requestId: &id, history: &log,
                                options: options))
                    }
                    pool.exit()
                }
                thread.start()
            }
            // In-process estimators answer in microseconds: the fold wakes once per 16 cases. A process's findings are
            // folded (and saved) as each case is judged.
            let batch = workers.contains { $0 is ExternalEstimator } ? 1 : 16
            var k = 0
            // On every way out (a finding file that cannot be written too) no worker may still talk to its process.
            defer {
                pool.stop()
                pool.drain(workers: workers.count)
            }
            while k < slots.count {
                let result = pool.wait(k, batch: batch)
                k += 1
                guard let result else { continue }
                guard try fold(result) else { break }
                progress?(report.cases, report.findings.count)
            }
        }
        for finding in report.findings where finding.occurrences > 1 { try save(finding, options: options) }
        report.seconds = FuzzProfile.seconds(clock.now - start)
        return report
    }

    /// Crashing cases in a row after which a run whose crash does not depend on the input stops.
    static let crashesBeforeStopping = 16

    /// Judges one case and, when it makes a finding, shrinks it as a run would (nil when the case passes): for a
    /// failing input found elsewhere.
    public static func shrink(_ input: FuzzCase, estimator: Estimator, options: FuzzOptions) -> FuzzFinding? {
        var (id, history) = (0, RequestHistory())
        guard let last = judge(input, estimator, requestId: &id, history: &history, options: options).last,
            let (kind, message) = last.finding
        else { return nil }
        let finding = FuzzFinding(
            kind: kind, message: message, caseIndex: 0, replay: input.literal, shrunk: input.json,
            original: input.json, shrinkSteps: 0, exact: last.exact, answer: last.answer, occurrences: 1)
        let requests = history.json
        var shrunk = shrink(
            finding, input: input, estimator: estimator, options: options, requestId: &id, history: &history)
        if shrunk.kind == .flaky { shrunk.history = requests }
        return shrunk
    }

    /// Shrinks a finding at the level of its values (`CaseShrinker`), keeping candidates that fail the same way:
    /// first the task's smallest cases — a finding they show too does not depend on the input and is not shrunk
    /// further — then the passes. The minimum is replayed in a fresh process (`Estimator.restart`); when it does
    /// not fail there, the finding itself is: if it does not fail either, it is `flaky` (reported unshrunk),
    /// otherwise the minimum leaned on state from earlier candidates and the shrink is redone with every kept step
    /// replayed in a fresh process. One restart per finding when nothing leans on state. A hang's shrink is limited
    /// to 10 hanging steps.
    static func shrink(
        _ finding: FuzzFinding, input: FuzzCase, estimator: Estimator, options: FuzzOptions, requestId: inout Int,
        history: inout RequestHistory
    ) -> FuzzFinding {
        var shrunk = finding
        var (id, log) = (requestId, history)
        defer { (requestId, history) = (id, log) }
        /// The last judgement of a candidate when it fails the same way.
        func failing(_ candidate: FuzzCase) -> Judgement? {
            guard let last = judge(candidate, estimator, requestId: &id, history: &log, options: options).last,
                last.finding?.kind == finding.kind
            else { return nil }
            return last
        }
        /// A failing candidate again in a fresh process (but for a hang, which already killed it: a second
        /// timeout per step would cost too much).
        func reproduces(_ candidate: FuzzCase, fresh: Bool) -> Judgement? {
            guard let first = failing(candidate) else { return nil }
            if !fresh || finding.kind == .hang { return first }
            estimator.restart()
            return failing(candidate)
        }
        let o = options.shrinkLimits
        let limits =
            finding.kind == .hang
            ? ShrinkLimits(maxAttempts: min(o.maxAttempts, 60), maxSteps: min(o.maxSteps, 10), timeLimit: o.timeLimit)
            : o
        /// Shrinks from `input`; with `fresh`, every kept step is replayed in a fresh process.
        func minimise(fresh: Bool) -> CaseShrinker {
            (shrunk.message, shrunk.exact, shrunk.answer) = (finding.message, finding.exact, finding.answer)
            shrunk.inputIndependent = false
            var shrinker = CaseShrinker(input, limits: limits) { candidate in
                guard let j = reproduces(candidate, fresh: fresh) else { return false }
                (shrunk.message, shrunk.exact, shrunk.answer) = (
                    j.finding?.message ?? shrunk.message, j.exact, j.answer
                )
                return true
            }
            let tiny = CaseShrinker.smallest(options.task, convention: input.convention)
            if shrinker.consider(tiny[0]) {
                // Shown on the smallest defined case: the smallest undefined one and one of another size tell whether
                // it needs any input.
                shrunk.inputIndependent =
                    reproduces(tiny[1], fresh: fresh) != nil && reproduces(tiny[2], fresh: fresh) != nil
            } else {
                shrinker.run()
            }
            return shrinker
        }
        // The minimum replayed in a fresh process. If it does not fail there, neither may the finding itself: then
        // it is flaky. Otherwise the minimum leaned on state left by earlier requests: shrink again with every step
        // replayed in a fresh process.
        var shrinker = minimise(fresh: false)
        estimator.restart()
        if failing(shrinker.best) == nil {
            if shrinker.steps > 0 { estimator.restart() }
            guard shrinker.steps > 0, failing(input) != nil else {
                shrunk = finding
                shrunk.kind = .flaky
                shrunk.flakyKind = finding.kind
                shrunk.message = "a \(finding.kind) finding did not replay in a fresh process: \(finding.message)"
                shrunk.replay = input.literal
                return shrunk
            }
            shrinker = minimise(fresh: true)
        }
        shrunk.shrunk = shrinker.best.json
        shrunk.shrinkSteps = shrinker.steps
        shrunk.replay = shrinker.best.literal
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

    /// Runs the case of a replay string (`oracle fuzz --replay`): a finding's literal ("c1.…") or a case's choices
    /// ("v1.…"). Its requests are judged in order in a fresh process; the result is the last judged one's: the exact
    /// value, the estimator's answer, the finding it makes (nil when every answer is within its budget or the
    /// tolerance), and how the answer measured against its budget (nil without a finite answer on a defined case).
    public static func replay(_ text: String, estimator: Estimator, options: FuzzOptions) throws
        -> (
            input: FuzzCase, exact: String, answer: String, finding: (kind: FindingKind, message: String)?,
            reading: BudgetReading?
        )
    {
        let input = try replayCase(text, task: options.task, conventions: options.conventions)
        var (id, history) = (0, RequestHistory())
        estimator.restart()
        let last = judge(input, estimator, requestId: &id, history: &history, options: options).last!
        return (input, last.exact, last.answer, last.finding, last.furthest)
    }

    /// Rebuilds the case of a replay string (for `oracle fuzz --replay`).
    public static func replayCase(_ text: String, task: EstimatorTask, conventions: [SDRConvention] = [.paper]) throws
        -> FuzzCase
    {
        if text.hasPrefix("c1.") {
            let input = try FuzzCase(literal: text)
            guard input.requests.allSatisfy({ $0.task == task }) else {
                throw CaseLiteralError(reason: "a case of another task (--task \(input.requests[0].task.rawValue))")
            }
            return input
        }
        let replay = try Replay(parsing: text)
        return try Domain.fuzzCase(task, conventions: conventions).generate(
            replaying: replay.choices, size: replay.size)
    }
}
