import Testing
import Oracle
import Reference

/// Planted failures on the theory's own objects: the shrinker must reach the known minimum.
@Suite struct EngineDomainTests {
    struct PrimeKernel: Sendable, JSONRenderable {
        let d: Int, kernel: [Rational]
        var json: JSONValue { .object(["d": .int(d), "kernel": kernel.json]) }
    }

    static let nonZeroPrimeKernels = Domain.prime(in: 2...31)
        .flatMap { d in Domain.kernel(length: d).map { PrimeKernel(d: d, kernel: $0) } }
        .filter("non-zero prime kernel") { $0.kernel.contains { !$0.isZero } }

    /// "No kernel of prime length has a zero DFT coefficient" is false; decided exactly in Q(ζ_d),
    /// the smallest failure is d = 2 and k = [1, 1] (k̂(1) = 1 − 1 = 0).
    @Test func engineShrinksZeroDFTCoefficientToSmallestPrimeAndKernel() throws {
        for seed: UInt64 in [1, 2, 3] {
            let report = try Property.check(
                Self.nonZeroPrimeKernels, label: "no zero DFT coefficient",
                configuration: RunConfiguration(seed: seed, cases: 300)
            ) { c in
                try !ExactDFT.forward(c.kernel).contains { $0.isZero }
            }
            #expect(report.verdict == .refuted)
            let shrunk = try #require(report.counterexample)
            #expect(
                shrunk.case == JSONValue.object(["d": .int(2), "kernel": .array([.string("1"), .string("1")])]),
                "seed \(seed): \(shrunk.case.serialized())")
            // The replay string rebuilds exactly the shrunk case.
            let replayed = try Property.check(
                Self.nonZeroPrimeKernels, label: "replay", configuration: RunConfiguration(replay: shrunk.replay)
            ) { c in
                try !ExactDFT.forward(c.kernel).contains { $0.isZero }
            }
            #expect(replayed.counterexample?.case == shrunk.case)
        }
    }

    /// Dependent generation through flatMap: the prime (outer) and the group element (inner) both shrink.
    @Test func engineShrinksPrimeAndGroupElement() throws {
        let gen = Domain.prime(in: 2...97).flatMap { d in Domain.groupElement(d).map { [d, $0] } }
        // Planted: "g² ≢ 1 mod d whenever g ≥ 3"; the smallest failure is d = 5, g = 4 (16 ≡ 1).
        let report = try Property.check(gen, label: "involutions", configuration: RunConfiguration(seed: 9, cases: 300))
        { pair in
            let (d, g) = (pair[0], pair[1])
            return g < 3 || (g * g) % d != 1
        }
        #expect(report.counterexample?.case == .array([.int(5), .int(4)]))
    }
}
