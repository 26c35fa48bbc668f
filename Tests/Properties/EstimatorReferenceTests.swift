import Testing
@testable import Reference

/// The exact estimators of eqs. (23)–(24) against their definitions, computed directly in Q(ζ).
@Suite struct EstimatorReferenceTests {
    static func image(_ s: inout TestStream, _ rows: Int, _ columns: Int) -> RationalImage {
        try! RationalImage(
            rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Rational(s.int(-3...3)) })
    }

    /// Σ over the averaged frequencies of |f̂(u) x̂(u mod the x-grid)|², |f̂|², |x̂(·)|² — the definition of eq. (24).
    static func definitionOfStrided(_ f: RationalImage, _ xs: [RationalImage], s: Int, grid: ActivationGrid) throws
        -> Rational
    {
        let field = try CyclotomicField(order: Primes.lcm(f.rows, f.columns))
        let ff = try ExactDFT.forward2D(f, in: field)
        var joint = Cyclotomic(0, in: field), filterPower = joint, activation = joint
        for u in 0..<f.rows {
            for v in 0..<f.columns where !(u == 0 && v == 0) { filterPower = try filterPower + ff[u, v].squaredModulus }
        }
        for x in xs {
            let fx = try ExactDFT.forward2D(x, in: field)
            for u in 0..<f.rows {
                for v in 0..<f.columns where !(u == 0 && v == 0) {
                    joint = try joint + (try ff[u, v] * fx[u % x.rows, v % x.columns]).squaredModulus
                    if grid == .upsampled { activation = try activation + fx[u % x.rows, v % x.columns].squaredModulus }
                }
            }
            if grid == .native {
                for u in 0..<x.rows {
                    for v in 0..<x.columns where !(u == 0 && v == 0) {
                        activation = try activation + fx[u, v].squaredModulus
                    }
                }
            }
        }
        let n = Rational(f.count - 1), m = Rational(grid == .upsampled ? f.count - 1 : xs[0].count - 1),
            b = Rational(xs.count)
        let numerator = try joint.rationalValue! / (n * b)
        return try numerator / ((try filterPower.rationalValue! / n) * (try activation.rationalValue! / (m * b)))
    }

    @Test func stridedMatchesItsDefinition() throws {
        var s = TestStream(seed: 21)
        for (n, stride) in [(4, 2), (6, 2), (6, 3), (4, 1), (6, 1)] {
            for _ in 0..<4 {
                let f = Self.image(&s, n, n)
                let xs = (0..<s.int(1...3)).map { _ in Self.image(&s, n / stride, n / stride) }
                guard !f.isZero, xs.contains(where: { !$0.isZero }) else { continue }
                for grid in ActivationGrid.allCases {
                    guard
                        let exact = try? SpectralDensityRatio.strided(
                            filter: f, samples: xs, stride: stride, activationGrid: grid)
                    else { continue }
                    #expect(
                        exact == (try Self.definitionOfStrided(f, xs, s: stride, grid: grid)),
                        "n=\(n) s=\(stride) \(grid)")
                }
            }
        }
    }

    @Test func batchOfOneIsTheSDRAndStrideOneIsTheBatch() throws {
        var s = TestStream(seed: 22)
        for _ in 0..<20 {
            let k = Self.image(&s, 1, 5), v = Self.image(&s, 1, 5), w = Self.image(&s, 1, 5)
            guard let rho = try? SpectralDensityRatio.ratio(k, v) else { continue }
            #expect(try SpectralDensityRatio.batch(kernel: k, samples: [v]) == rho)
            if let batch = try? SpectralDensityRatio.batch(kernel: k, samples: [v, w]) {
                #expect(try SpectralDensityRatio.strided(filter: k, samples: [v, w], stride: 1) == batch)
            }
        }
    }

    @Test func estimatorsRejectBadShapes() {
        let f = try! RationalImage(rows: 4, columns: 4, values: (0..<16).map { Rational($0) })
        let x = try! RationalImage(rows: 3, columns: 3, values: (0..<9).map { Rational($0) })
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.strided(filter: f, samples: [x], stride: 2) }
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.strided(filter: f, samples: [x], stride: 3) }
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.strided(filter: f, samples: [], stride: 2) }
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.batch(kernel: f, samples: []) }
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.batch(kernel: f, samples: [x]) }
    }
}
