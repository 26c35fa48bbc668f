// The README's "Using the engine from your own package" example, compiled and run here as another package's test
// would be: this target (EngineTests) depends only on the engine products, and the snippet imports only
// PropertyEngine, OracleTesting and Testing. Tests/Properties/DocumentationTests.swift fails when README.md or
// docs/engine.md shows anything other than the lines between the two marker comments.
// BEGIN DOCUMENTED SNIPPET engine-example
import OracleTesting
import PropertyEngine
import Testing

/// The code under test (in your package it comes from your module: `@testable import MyModule`).
func runLengthEncode(_ xs: [Int]) -> [(value: Int, count: Int)] {
    var runs: [(value: Int, count: Int)] = []
    for x in xs {
        if runs.last?.value == x { runs[runs.count - 1].count += 1 } else { runs.append((value: x, count: 1)) }
    }
    return runs
}

@Test func runLengthEncodingRoundTrips() throws {
    // Few distinct values, so that runs occur; small arrays come first, then larger ones.
    let arrays = Gen.array(of: Gen.int(in: -2...2), count: 0...30)
    try propertyCheck(arrays, "run-length round trip", configuration: RunConfiguration(cases: 500)) { xs in
        let runs = runLengthEncode(xs)
        let decoded = runs.flatMap { Array(repeating: $0.value, count: $0.count) }
        let maximal = zip(runs, runs.dropFirst()).allSatisfy { pair in pair.0.value != pair.1.value }
        return decoded == xs && maximal
    }
}
// END DOCUMENTED SNIPPET
