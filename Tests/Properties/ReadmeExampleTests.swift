import Oracle
import OracleTesting
import Reference
import Testing

/// The README's example, compiled and run, so the documentation cannot rot.
@Suite struct ReadmeExampleTests {
    @Test func sdrIsSymmetric() throws {
        let pairs = Gen.zip(Domain.kernel(length: 5), Domain.kernel(length: 5))
        try propertyCheck(pairs, "sdr symmetric", render: { .tuple($0.0, $0.1) }) { k1, k2 in
            let (a, b) = (try RationalImage(k1), try RationalImage(k2))
            guard let r = try? SpectralDensityRatio.ratio(a, b) else { throw Discard("undefined") }
            return try r == SpectralDensityRatio.ratio(b, a)
        }
    }
}
