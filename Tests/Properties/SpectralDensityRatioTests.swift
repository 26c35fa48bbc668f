import Testing
@testable import Reference

@Suite struct SpectralDensityRatioTests {
    static func kernel(_ s: inout TestStream, _ n: Int) -> RationalImage {
        while true {
            let values = (0..<n).map { _ in try! Rational(s.int(-4...4), s.int(1...3)) }
            if values.contains(where: { !$0.isZero }) { return try! RationalImage(values) }
        }
    }

    /// The two exact routes agree (autocorrelation in Q; Galois trace in Q(ζ_d)), for both averagings.
    @Test func sdrRoutesAgree() throws {
        var s = TestStream(seed: 11)
        for d in [2, 3, 5, 7, 11, 13] {
            for _ in 0..<15 {
                let k1 = Self.kernel(&s, d), k2 = Self.kernel(&s, d)
                for averaging in FrequencyAveraging.allCases {
                    let a = try SpectralDensityRatio.partsByAutocorrelation(k1, k2, averaging: averaging)
                    let b = try SpectralDensityRatio.partsByGalois(k1, k2, averaging: averaging)
                    #expect(a == b, "d=\(d) k1=\(k1.compactDescription) k2=\(k2.compactDescription) \(averaging)")
                }
            }
        }
    }

    @Test func sdrPinnedValues() throws {
        let k1 = try RationalImage([1, 2, 0, -1, 3].map { Rational($0) })
        let k2 = try RationalImage([0, 1, 1, 0, 0].map { Rational($0) })
        let rho = try SpectralDensityRatio.ratio(k1, k2)
        let rhoAll = try SpectralDensityRatio.ratio(k1, k2, averaging: .all)
        // Pinned by hand from the autocorrelations: r1 = (15, 0, -3, -3, 0)... see Regression for the full set.
        #expect(rho == (try SpectralDensityRatio.partsByGalois(k1, k2).ratio()))
        #expect(rho != rhoAll)
        // A Dirac is spectrally flat: ρ(δ, k) = 1 for any k with power at the averaged frequencies.
        let dirac = try RationalImage([1, 0, 0, 0, 0].map { Rational($0) })
        #expect(try SpectralDensityRatio.ratio(dirac, k1) == 1)
        #expect(try SpectralDensityRatio.ratio(dirac, k1, averaging: .all) == 1)
    }

    @Test func sdrRejectsBadInput() throws {
        let zero = try! RationalImage([0, 0, 0].map { Rational($0) })
        let one = try! RationalImage([1, 2, 3].map { Rational($0) })
        let constant = try! RationalImage([2, 2, 2].map { Rational($0) })
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.ratio(zero, one) }
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.ratio(constant, one) }  // no power off 0
        // A constant kernel is a Dirac in frequency: ρ_all = |k̂(0)|²/(d⟨|k̂|²⟩) = (Σk)²/Σk² = 36/14.
        #expect(try SpectralDensityRatio.ratio(constant, one, averaging: .all) == (try Rational(18, 7)))
        let four = try! RationalImage([1, 2, 3, 4].map { Rational($0) })
        #expect(throws: ReferenceError.self) { try SpectralDensityRatio.ratio(one, four) }
        #expect(throws: ReferenceError.notPrime(4)) { try SpectralDensityRatio.partsByGalois(four, four) }
    }

    /// Prop. 4 on the modular reading: the literal generic ratio of Def. 2 equals the SDR.
    @Test func genericRatioEqualsSDROnZd() throws {
        var s = TestStream(seed: 12)
        for d in [3, 5, 7] {
            for _ in 0..<10 {
                let k1 = Self.kernel(&s, d), k2 = Self.kernel(&s, d)
                let model = try Model1(k1: k1, k2: k2)
                guard let rho = try? SpectralDensityRatio.ratio(k1, k2) else { continue }
                #expect(try model.genericRatio(.modular) == rho)
            }
        }
    }
}

extension SpectralDensityRatioTests {
    /// In 2D (and any 1D length) the autocorrelation route agrees with the direct sum over Q(ζ) frequencies.
    @Test func sdrRoutesAgreeIn2D() throws {
        var s = TestStream(seed: 13)
        for (rows, columns) in [(2, 2), (2, 3), (3, 3), (3, 5), (1, 4), (1, 9)] {
            for _ in 0..<8 {
                let k1 = try RationalImage(
                    rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Rational(s.int(-3...3)) })
                let k2 = try RationalImage(
                    rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Rational(s.int(-3...3)) })
                guard !k1.isZero, !k2.isZero else { continue }
                for averaging in FrequencyAveraging.allCases {
                    #expect(
                        try SpectralDensityRatio.partsByAutocorrelation(k1, k2, averaging: averaging)
                            == SpectralDensityRatio.partsByFourier(k1, k2, averaging: averaging))
                }
            }
        }
    }
}
