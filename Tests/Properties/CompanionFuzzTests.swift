import Foundation
import Oracle
import Reference
import Testing

/// `oracle fuzz --task ic-scores` (paper 002's INV, EQV, SCN, L_INV, L_EQV) and `--task cage-scores` (paper 004's
/// GATE and Δτ): exact scores in Q(√q₁, √q₂) judged on squares, a budget from the printed formula's running error
/// bound, planted bugs caught and shrunk, and examples/companion_numpy.py passing or caught.
@Suite struct CompanionFuzzTests {
    static let root = FuzzTests.root

    static func options(_ task: EstimatorTask, cases: Int = 60) -> FuzzOptions {
        FuzzOptions(
            task: task, cases: cases, seed: 13,
            shrinkLimits: ShrinkLimits(maxAttempts: 400, maxSteps: 200, timeLimit: .seconds(20)))
    }

    static func rational(_ p: Int, _ q: Int = 1) -> Rational { try! Rational(p, q) }

    @Test func signsOfSumsOfSquareRootsAreExact() throws {
        let (two, three) = (Self.rational(2), Self.rational(3))
        // √2 − √3 < 0; 22/7 − √2 − √3 < 0 < 63/20 − √2 − √3 (√2 + √3 ≈ 3.1463); 1 − 4·√(1/4) = −1 is rational.
        #expect(try SquareRootSum(.zero, roots: [(.one, two), (-.one, three)]).signum == -1)
        #expect(try SquareRootSum(Self.rational(22, 7), roots: [(-.one, two), (-.one, three)]).signum == -1)
        #expect(try SquareRootSum(Self.rational(63, 20), roots: [(-.one, two), (-.one, three)]).signum == 1)
        let folded = try SquareRootSum(.one, roots: [(Self.rational(-4), Self.rational(1, 4))])
        #expect(folded.isRational && folded.rational == Self.rational(-1))
        // √8 − 2√2 = 0 exactly.
        #expect(try SquareRootSum(.zero, roots: [(.one, Self.rational(8)), (-two, two)]).isZero)
        // |v − 1/√2| against b·(1/√2): 0.7071 is within 1e-5 relatively (9.6e-6), not within 1e-6.
        let s = try SquareRootSum(.zero, roots: [(Self.rational(1, 2), two)])
        #expect(!s.differsRelatively(from: Self.rational(7071, 10_000), byMoreThan: Self.rational(1, 100_000)))
        #expect(s.differsRelatively(from: Self.rational(7071, 10_000), byMoreThan: Self.rational(1, 1_000_000)))
    }

    @Test func theSmallestCasesHaveTheirHandComputedScores() throws {
        // n = 1, R(N) = N, prior {0, 1}, N_0 ← 0: σ = U = 1/2, INV = 1 − (1/2)/(1/4) = −1, EQV = SCN = 1, losses 0.
        let ic = try EstimatorCase.icScores(.smallest).exactScores()
        #expect(ic.map(\.rational) == [Self.rational(-1), .one, .one, .zero, .zero] && ic.allSatisfy(\.isRational))
        #expect(try EstimatorCase.cageScores(.smallest).exactScores().map(\.rational) == [.one, .one, .zero])
        #expect(throws: ReferenceError.self) { try EstimatorCase.icScores(.smallestUndefined).exactScores() }
        #expect(throws: ReferenceError.self) { try EstimatorCase.cageScores(.smallestUndefined).exactScores() }
        // GATE(c → e) = α (w_e·w_c)/‖w_c‖ = 1·1/√2 for w_c = (1, 1), w_e = (1, 0): irrational, judged on squares.
        let pair = try Self.pair(wc: [1, 1], we: [1, 0])
        let gate = try EstimatorCase.cageScores(pair).exactScores()
        #expect(!gate[0].isRational && abs(gate[0].doubleValue - 0.5.squareRoot()) < 1e-15)
    }

    static func pair(wc: [Int], we: [Int], z: [[Int]] = [[0, 0]]) throws -> ClassifierPairCase {
        func row(_ v: [Int]) throws -> RationalImage {
            try RationalImage(rows: 1, columns: v.count, values: v.map { Rational($0) })
        }
        return ClassifierPairCase(
            treatment: try row(wc), treatmentBias: try row([0]), effect: try row(we), effectBias: try row([0]),
            samples: try RationalImage(
                rows: z.count, columns: z[0].count, values: z.flatMap { $0 }.map { Rational($0) }),
            alpha: try row([1]))
    }

    /// The nearest Double to GATE(c → e) = 1/√2 is within its budget; one 1e-12 off is beyond it (decided on
    /// squares). GATE(e → c) = (w_c·w_e)/‖w_e‖ = 1, Δτ = 1/√2 − 1.
    @Test func anIrrationalScoreIsJudgedExactly() throws {
        let input = EstimatorCase.cageScores(try Self.pair(wc: [1, 1], we: [1, 0]))
        func answering(_ slip: Double) -> SwiftEstimator {
            SwiftEstimator(
                name: "slip \(slip)",
                values: { _ in
                    let g = 0.5.squareRoot()
                    return [g + slip, 1, g - 1]
                })
        }
        #expect(Fuzzer.judge(input, answering(0)).finding == nil)
        let off = Fuzzer.judge(input, answering(1e-12))
        #expect(off.finding?.kind == .tolerance)
        #expect(off.finding?.message.contains("GATE(c→e)") == true, "\(off.finding?.message ?? "")")
    }

    @Test(arguments: [EstimatorTask.icScores, .cageScores])
    func theBuiltinIsWithinItsBudgets(task: EstimatorTask) throws {
        let report = try Fuzzer.run(SwiftEstimator.fast, options: Self.options(task, cases: 150))
        #expect(report.findings.isEmpty, "\(report.findings.map(\.message))")
        #expect(report.undefinedCases > 0 && report.undefinedCases < report.cases / 4)
        #expect((report.worstInBudgets?.reading.errorInBudgets ?? 1) < 0.25)
    }

    /// A relative slip of 1e-9 in one score is caught where the budget is about 1e-14, and shrunk to the task's
    /// smallest case; the finding carries the request line as sent.
    @Test(arguments: [EstimatorTask.icScores, .cageScores])
    func aSmallSlipIsCaughtAndShrunk(task: EstimatorTask) throws {
        let slipping = SwiftEstimator(
            name: "slip",
            values: { input in
                var values = CompanionConditioning.evaluate(input).scores.map(\.value)
                guard CompanionConditioning.evaluate(input).divisors.allSatisfy({ $0.value > 0 }) else {
                    throw ReferenceError.undefined("a zero divisor")
                }
                values[0] *= 1 + 1e-9
                values[0] += values[0] == 0 ? 1e-9 : 0
                return values
            })
        let report = try Fuzzer.run(slipping, options: Self.options(task))
        let finding = try #require(report.findings.first { $0.kind == .tolerance })
        let smallest = task == .icScores ? EstimatorCase.icScores(.smallest) : .cageScores(.smallest)
        #expect(finding.shrunk == smallest.json, "\(finding.shrunk.serialized())")
        let request = try #require(finding.requests.first)
        #expect(request["task"] == .string(task.rawValue) && request["id"] == .int(0))
        // Its replay string reruns the shrunk case.
        let replayed = try Fuzzer.replay(finding.replay, estimator: slipping, options: Self.options(task))
        #expect(replayed.input.json == finding.shrunk && replayed.finding?.kind == .tolerance)
    }

    /// Wrong shapes, NaN and a value where a score is undefined are findings, never a crash of the oracle.
    @Test func malformedAnswersAreFindings() throws {
        let defined = EstimatorCase.icScores(.smallest), undefined = EstimatorCase.icScores(.smallestUndefined)
        let one = SwiftEstimator(name: "one value", values: { _ in [1] })
        #expect(Fuzzer.judge(defined, one).finding?.kind == .wrongShape)
        #expect(Fuzzer.judge(defined, one).finding?.message.contains("2n² + n + 2") == true)
        let nan = SwiftEstimator(name: "nan", values: { _ in [-1, 1, .nan, 0, 0] })
        #expect(Fuzzer.judge(defined, nan).finding?.kind == .nonFinite)
        let always = SwiftEstimator(name: "always", values: { _ in [-1, 1, 1, 0, 0] })
        #expect(Fuzzer.judge(defined, always).finding == nil)
        #expect(Fuzzer.judge(undefined, always).finding?.kind == .missedUndefined)
    }

    /// A case reads back from its literal, and its request carries the documented members.
    @Test func casesRoundTripAndRequestsCarryTheSchema() throws {
        for task in [EstimatorTask.icScores, .cageScores] {
            var source = ChoiceSource.random(seed: 5, size: 60)
            let drawn = try Domain.fuzzCase(task).run(&source)
            let back = try FuzzCase(literal: drawn.literal)
            #expect(back.requests == drawn.requests)
            guard case let .object(members) = drawn.requests[0].request(id: 3) else {
                Issue.record("not an object")
                continue
            }
            let keys =
                task == .icScores
                ? ["id", "task", "matrix", "offset", "prior", "xblock", "interventions", "u_index", "sigma"]
                : ["id", "task", "wc", "bc", "we", "be", "z", "alpha", "phi"]
            #expect(members.map(\.key) == keys)
        }
        // A literal whose arrays do not make a case is a typed error (a 2-wide offset against a 1×1 matrix).
        var bad = EstimatorCase.icScores(.smallest).json
        if case var .object(members) = bad, let k = members.firstIndex(where: { $0.key == "offset" }) {
            members[k] = .init("offset", .array([.array([.string("0"), .string("1")])]))
            bad = .object(members)
        }
        #expect(throws: CaseLiteralError.self) { try FuzzCase(json: bad) }
    }

    @Test(.enabled(if: FuzzTests.hasNumpy, "needs python3 with numpy for examples/companion_numpy.py"))
    func theNumpyExampleIsCaughtOrPasses() throws {
        let script = Self.root + "/examples/companion_numpy.py"
        let expectations: [(bug: String?, task: EstimatorTask, kind: FindingKind?)] = [
            (nil, .icScores, nil), (nil, .cageScores, nil), ("sample-std", .icScores, .tolerance),
            ("printed-index", .icScores, .unexpectedError), ("unnormalised", .cageScores, .tolerance),
            ("signed-delta", .cageScores, .tolerance),
        ]
        for (bug, task, kind) in expectations {
            let estimator = ExternalEstimator(
                command: "python3 '\(script)'" + (bug.map { " --bug \($0)" } ?? ""), timeout: 20)
            defer { estimator.stop() }
            let report = try Fuzzer.run(estimator, options: Self.options(task, cases: 40))
            guard let kind else {
                #expect(report.findings.isEmpty, "correct example on \(task): \(report.findings.map(\.message))")
                #expect((report.worstInBudgets?.reading.errorInBudgets ?? 1) < 0.25)
                continue
            }
            let finding = report.findings.first { $0.kind == kind }
            #expect(finding != nil, "--bug \(bug!) on \(task): \(report.findings.map(\.message))")
            #expect((finding?.shrunk.serialized().count ?? .max) <= 200, "\(finding?.shrunk.serialized() ?? "")")
        }
    }

    static let hasTorch = OracleBinary.python(has: "torch")

    /// The batched PyTorch version passes both tasks in float64.
    @Test(.enabled(if: CompanionFuzzTests.hasTorch, "needs python3 with torch for examples/companion_torch.py"))
    func theTorchExamplePasses() throws {
        let script = Self.root + "/examples/companion_torch.py"
        for task in [EstimatorTask.icScores, .cageScores] {
            let estimator = ExternalEstimator(command: "python3 '\(script)'", timeout: 20, startupTimeout: 60)
            defer { estimator.stop() }
            let report = try Fuzzer.run(estimator, options: Self.options(task, cases: 30))
            #expect(report.findings.isEmpty, "torch example on \(task): \(report.findings.map(\.message))")
        }
    }
}
