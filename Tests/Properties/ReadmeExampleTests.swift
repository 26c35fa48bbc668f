// The example of docs/engine.md ("Property tests inside this package"), compiled and run, so the documentation
// cannot rot: Tests/Properties/DocumentationTests.swift fails when docs/engine.md shows anything other than the
// lines between the two marker comments.
// BEGIN DOCUMENTED SNIPPET oracle-example
import Oracle
import OracleTesting
import Reference
import Testing

@Test func sdrIsSymmetric() throws {
    let pairs = Gen.zip(Domain.kernel(length: 5), Domain.kernel(length: 5))
    try propertyCheck(
        pairs, "sdr symmetric", configuration: RunConfiguration(cases: 200),
        render: { .tuple($0.0, $0.1) }
    ) { k1, k2 in
        let (a, b) = (try RationalImage(k1), try RationalImage(k2))
        guard let r = try? SpectralDensityRatio.ratio(a, b) else { throw Discard("undefined") }
        return try r == SpectralDensityRatio.ratio(b, a)
    }
}
// END DOCUMENTED SNIPPET
