import Foundation
import PropertyEngine
import Testing

/// A Swift Testing trait that replays one case in every `propertyCheck` of the test (or suite):
/// `@Test(.replay("v1.…")) func …`. Takes precedence over `ORACLE_REPLAY`.
public struct ReplayTrait: TestTrait, SuiteTrait, TestScoping {
    public let replay: String
    public var isRecursive: Bool { true }

    public init(_ replay: String) { self.replay = replay }

    /// The replay string in force for the current task, if any.
    @TaskLocal public static var current: String?

    public func provideScope(
        for test: Test, testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        try await ReplayTrait.$current.withValue(replay) { try await function() }
    }
}

extension Trait where Self == ReplayTrait {
    /// Replay the case named by a replay string (as printed by a failing `propertyCheck`).
    public static func replay(_ replay: String) -> Self { ReplayTrait(replay) }
}

/// The environment variable holding a replay string for every `propertyCheck` in the process
/// (combine with `swift test --filter`).
public let oracleReplayEnvironmentKey = "ORACLE_REPLAY"

/// The replay string in force: the `.replay` trait, else `ORACLE_REPLAY` (if non-empty), else nil.
public func currentReplay() -> String? {
    if let trait = ReplayTrait.current { return trait }
    if let env = ProcessInfo.processInfo.environment[oracleReplayEnvironmentKey],
        !env.allSatisfy(\.isWhitespace)
    {
        return env
    }
    return nil
}

/// Checks a property inside a `@Test` (see `Property.check` for the phases). A refutation records
/// an `Issue` with the shrunk case and a replay line; the report is returned either way. The replay
/// string in force (`.replay` trait or `ORACLE_REPLAY`) overrides `configuration.replay`.
/// Throws for bad replay strings, corpus errors and generators that cannot produce any case.
@discardableResult
public func propertyCheck<Value>(
    _ gen: Gen<Value>, _ label: String, configuration: RunConfiguration = RunConfiguration(),
    render: (Value) -> JSONValue, classify: ((Value) -> [CoverageLabel])? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ property: (Value) throws -> Bool
) throws -> PropertyReport {
    var configuration = configuration
    if let replay = currentReplay() { configuration.replay = replay }
    let report = try Property.check(
        gen, label: label, configuration: configuration, render: render,
        classify: classify, property: property)
    if let issue = issueText(report) {
        Issue.record(Comment(rawValue: issue), sourceLocation: sourceLocation)
    }
    return report
}

/// `propertyCheck` for values that render themselves as JSON.
@discardableResult
public func propertyCheck<Value: JSONRenderable>(
    _ gen: Gen<Value>, _ label: String, configuration: RunConfiguration = RunConfiguration(),
    classify: ((Value) -> [CoverageLabel])? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ property: (Value) throws -> Bool
) throws -> PropertyReport {
    try propertyCheck(
        gen, label, configuration: configuration, render: { $0.json }, classify: classify,
        sourceLocation: sourceLocation, property)
}

/// The issue text for a refuted report (nil when it holds).
public func issueText(_ report: PropertyReport) -> String? {
    guard let c = report.counterexample else { return nil }
    let testName = Test.current?.name ?? "<test>"
    return """
        Property '\(report.label)' refuted (\(c.phase.rawValue) phase, after \(report.casesRun) cases): \(c.message)
          case: \(c.case.serialized())
          original: \(c.originalCase.serialized())
          shrink steps: \(c.shrinkSteps)
          replay: \(c.replay)
          rerun: \(oracleReplayEnvironmentKey)='\(c.replay)' swift test --filter '\(testName)'   or   \
        @Test(.replay("\(c.replay)"))
        """
}
