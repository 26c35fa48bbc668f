import Foundation
import Oracle
import Reference
import Testing

/// The request's conventions (`oracle fuzz --averaging`, `--grid`): every request carries them, the exact judge
/// and the budget follow them, a correct estimator passes under every one, an estimator that ignores them is
/// caught only when they are asked for, and its finding replays with them.
@Suite struct FuzzConventionTests {
    static let every = FrequencyAveraging.allCases.flatMap { a in
        ActivationGrid.allCases.map { SDRConvention(averaging: a, grid: $0) }
    }

    static func options(_ task: EstimatorTask, conventions: [SDRConvention], cases: Int = 150) -> FuzzOptions {
        var options = FuzzOptions(
            task: task, cases: cases, seed: 5,
            shrinkLimits: ShrinkLimits(maxAttempts: 2_000, maxSteps: 500, timeLimit: .seconds(60)))
        options.conventions = conventions
        return options
    }

    /// Fast's estimators under the paper's conventions whatever the request asks for.
    static var paperOnly: SwiftEstimator {
        let fast = SwiftEstimator.fast
        return SwiftEstimator(
            name: "ignores the conventions",
            values: { input in
                switch try fast.estimate(input, convention: .paper, id: 0) {
                case .value(let v): return [v]
                case .values(let vs): return vs
                case .error(let message): throw FuzzCaseError(message)
                }
            })
    }

    struct FuzzCaseError: Error, CustomStringConvertible {
        let description: String
        init(_ message: String) { description = message }
    }

    @Test(arguments: EstimatorTask.allCases.filter { !$0.isCompanion })
    func fastPassesUnderEveryConventionAndCoverageCountsThem(_ task: EstimatorTask) throws {
        let report = try Fuzzer.run(SwiftEstimator.fast, options: Self.options(task, conventions: Self.every))
        #expect(report.findings.isEmpty, "\(report.findings.map(\.message))")
        #expect(report.families["averaging all", default: 0] >= 45, "\(report.families)")
        #expect(report.families["averaging nonzero", default: 0] >= 45, "\(report.families)")
        if task.hasGrid {
            #expect(report.families["grid native", default: 0] >= 45, "\(report.families)")
        } else {
            #expect(report.families["grid native"] == nil)
        }
    }

    @Test(arguments: [EstimatorTask.sdr1d, .batch, .strided, .layer])
    func anEstimatorIgnoringTheConventionsIsCaughtOnlyWhenTheyAreAskedFor(_ task: EstimatorTask) throws {
        let paper = try Fuzzer.run(Self.paperOnly, options: Self.options(task, conventions: [.paper], cases: 60))
        #expect(paper.findings.isEmpty, "\(paper.findings.map(\.message))")
        let options = Self.options(task, conventions: Self.every)
        let report = try Fuzzer.run(Self.paperOnly, options: options)
        let finding = try #require(report.findings.first)
        // The minimum keeps the convention that shows the slip, and its request lines carry it.
        let shrunk = try FuzzCase(json: finding.shrunk)
        #expect(shrunk.convention != .paper, "\(finding.shrunk.serialized())")
        let line = try #require(finding.requests.first)
        #expect(line["averaging"] == .string(shrunk.convention.averaging.rawValue))
        #expect((line["grid"] != nil) == task.hasGrid)
        if task.hasGrid { #expect(line["grid"] == .string(shrunk.convention.grid.rawValue)) }
        // Both replay forms give the finding again: the shrunk literal, and the original case's choices.
        let literal = try Fuzzer.replay(finding.replay, estimator: Self.paperOnly, options: options)
        #expect(literal.finding?.kind == finding.kind)
        #expect(literal.input.json == finding.shrunk)
        let original = try Fuzzer.replayCase(finding.replay, task: task, conventions: Self.every)
        #expect(original.convention == shrunk.convention)
    }

    @Test func theRequestCarriesItsConventionsAndTheCaseJSONRoundTrips() throws {
        let one = try RationalImage(rows: 1, columns: 1, values: [Rational(1)])
        let filter = try RationalImage(rows: 2, columns: 2, values: [1, 0, 0, 0].map { Rational($0) })
        let strided = EstimatorCase.strided(filter: filter, samples: [one], stride: 2)
        let native = SDRConvention(averaging: .all, grid: .native)
        let request = strided.request(id: 3, convention: native)
        #expect(request["averaging"] == .string("all") && request["grid"] == .string("native"))
        let sdr = EstimatorCase.sdr1d(k1: filter, k2: filter)
        #expect(sdr.request(id: 0)["averaging"] == .string("nonzero") && sdr.request(id: 0)["grid"] == nil)
        let fuzzCase = FuzzCase([strided, strided], convention: native)
        #expect(try FuzzCase(json: fuzzCase.json) == FuzzCase([strided, strided], convention: native))
        #expect(try FuzzCase(literal: fuzzCase.literal).convention == native)
        // The paper's conventions are not written into a case, so earlier literals read the same.
        #expect(FuzzCase([strided]).json["averaging"] == nil)
        #expect(throws: CaseLiteralError.self) {
            try FuzzCase(json: .object([.init("task", .string("sdr1d")), .init("averaging", .string("most"))]))
        }
    }

    /// Under the all-frequency averaging a constant kernel is defined (its power sits at u = 0), and on the native
    /// grid a 1×1 map has no non-zero frequency: the exact judge follows the request.
    @Test func definednessFollowsTheConvention() throws {
        let constant = try RationalImage(rows: 1, columns: 4, values: Array(repeating: Rational(3), count: 4))
        let other = try RationalImage(rows: 1, columns: 4, values: [1, 2, 0, 0].map { Rational($0) })
        let sdr = EstimatorCase.sdr1d(k1: constant, k2: other)
        #expect(throws: ReferenceError.self) { try sdr.exactValues() }
        // ρ = N·|k̂₁(0)|²|k̂₂(0)|² / (|k̂₁(0)|²·Σ_u|k̂₂(u)|²) = 4·9/20.
        #expect(try sdr.exactValues(SDRConvention(averaging: .all)).map(\.description) == ["9/5"])
        let one = try RationalImage(rows: 1, columns: 1, values: [Rational(2)])
        let filter = try RationalImage(rows: 2, columns: 2, values: [1, 2, 0, 1].map { Rational($0) })
        let strided = EstimatorCase.strided(filter: filter, samples: [one], stride: 2)
        #expect(try strided.exactValues().count == 1)
        #expect(throws: ReferenceError.self) { try strided.exactValues(SDRConvention(grid: .native)) }
    }
}
