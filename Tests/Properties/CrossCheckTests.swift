import Fast
import Testing
@testable import Oracle
import Reference

/// The Fast-vs-Reference cross-check readings (Sources/Oracle/CrossChecks), at a reduced case count.
@Suite struct FastCrossCheckTests {
    /// `fast.fft/large-prime` (exact DFTs of length > 1000) runs in `oracle check`, not in the debug suite.
    @Test(arguments: FastCrossChecks.readings.map(\.label).filter { $0 != "fast.fft/large-prime" })
    func fastCrossCheckHolds(label: String) throws {
        let reading = FastCrossChecks.readings.first { $0.label == label }!
        let outcome = try reading.run(CheckOptions(seed: 1, caseScale: 0.1))
        #expect(
            outcome.verdict == .holds,
            "\(label): \(outcome.counterexample.map { "\($0.message) \($0.case.serialized())" } ?? outcome.note)")
    }

    /// The integer fast path gives the same reduced fractions as the general exact route.
    @Test func fastExactIntegerSDRMatchesReference() throws {
        var state: UInt64 = 9
        func next(_ r: Int) -> Int {
            state &+= 0x9E3779B97F4A7C15
            return Int(SplitMix64.mix(state) % UInt64(2 * r + 1)) - r
        }
        for (rows, columns) in [(1, 2), (1, 5), (1, 13), (1, 31), (2, 3), (3, 3), (1, 8)] {
            for _ in 0..<8 {
                let k1 = (0..<(rows * columns)).map { _ in next(100) }, k2 = (0..<(rows * columns)).map { _ in next(3) }
                for averaging in Reference.FrequencyAveraging.allCases {
                    let a = try RationalImage(rows: rows, columns: columns, values: k1.map { Rational($0) })
                    let b = try RationalImage(rows: rows, columns: columns, values: k2.map { Rational($0) })
                    let general = Result { try SpectralDensityRatio.ratio(a, b, averaging: averaging) }
                    let fast = Result {
                        try SpectralDensityRatio.ratio(
                            integer: k1, k2, rows: rows, columns: columns, averaging: averaging)
                    }
                    switch (general, fast) {
                    case let (.success(x), .success(y)): #expect(x == y, "\(k1) \(k2) \(averaging)")
                    case (.failure, .failure): break
                    default: Issue.record("one route failed: \(general) vs \(fast)")
                    }
                }
            }
        }
        #expect(throws: ReferenceError.self) {
            try SpectralDensityRatio.ratio(integer: [0, 0, 0], [1, 2, 3], columns: 3)
        }
        #expect(throws: ReferenceError.self) {
            try SpectralDensityRatio.ratio(integer: [2, 2, 2], [1, 2, 3], columns: 3)
        }
    }
}
