import Foundation
import Oracle
import Testing

/// `oracle bench layer-large`: the activations streamed a map stack at a time give the checksum of `oracle bench
/// layer` on the same inputs, and the run reports its peak memory against its bound (it exits 1 above it).
@Suite struct BenchCommandTests {
    @Test(.enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
    func theStreamedLayerHasTheLayersChecksumWithinItsMemoryBound() throws {
        let sizes = ["--cin", "12", "--cout", "5", "--batch", "11", "--map", "12", "--stride", "2", "--kernel", "4"]
        let layer = try OracleBinary.oracle(["bench", "layer", "--repeat", "1", "--json"] + sizes)
        let large = try OracleBinary.oracle(["bench", "layer-large", "--repeat", "1", "--json"] + sizes)
        #expect(layer.status == 0 && large.status == 0, "\(layer.stderr)\n\(large.stderr)")
        let ours = try JSONValue(parsing: layer.stdout), streamed = try JSONValue(parsing: large.stdout)
        #expect(streamed["checksum"] == ours["checksum"] && ours["checksum"] != nil)
        guard case let .number(peak)? = streamed["peak_rss_mib"], case let .number(bound)? = streamed["bound_mib"]
        else {
            Issue.record("no peak_rss_mib or bound_mib in \(large.stdout)")
            return
        }
        #expect(peak > 0 && peak <= bound)
    }
}
