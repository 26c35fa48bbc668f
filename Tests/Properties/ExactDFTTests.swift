import Fast
import Testing
@testable import Reference

/// Seeded SplitMix64 for these tests only (never the system RNG).
private struct DFTRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
    mutating func rational() -> Rational {
        if int(0...4) == 0 { return .zero }
        return try! Rational(int(-9...9), int(1...4))
    }
    mutating func signal(_ n: Int) -> [Rational] { (0..<n).map { _ in rational() } }
    mutating func image(_ rows: Int, _ columns: Int) -> RationalImage {
        try! RationalImage(rows: rows, columns: columns, values: signal(rows * columns))
    }
    mutating func element(_ field: CyclotomicField) -> Cyclotomic {
        try! Cyclotomic(coefficients: (0..<field.degree).map { _ in rational() }, in: field)
    }
}

private func thrownError<T>(_ body: () throws(ReferenceError) -> T) -> ReferenceError? {
    do { _ = try body(); return nil } catch { return error }
}

/// â[u] by the definition Σ_k a[k]·ζ_n^{−uk}, with field multiplications (independent of the transform code).
private func naiveDFT(_ a: [Rational], _ f: CyclotomicField) throws -> [Cyclotomic] {
    let n = a.count
    return try (0..<n).map { u in
        var s = f.zero
        for k in 0..<n { s = try s + Cyclotomic(a[k], in: f) * f.zeta(-u * k * (f.order / n)) }
        return s
    }
}

private let shapes2D = [(3, 5), (5, 5), (3, 3), (2, 3), (4, 6), (1, 7), (6, 1)]

@Suite struct ExactDFTTests {
    @Test func exactDFTMatchesDefinition() throws {
        var rng = DFTRandom(seed: 0xDF7_0001)
        for n in Array(1...13) + [21] {
            let f = try CyclotomicField(order: n)
            let a = rng.signal(n)
            let hat = try ExactDFT.forward(a)
            #expect(hat == (try naiveDFT(a, f)))
            #expect(hat[0].rationalValue == a.reduce(Rational.zero, +))
        }
        // Hand-checked: DFT of the unit impulse at k = 1 is ζ^{−u}.
        let f4 = try CyclotomicField(order: 4)
        #expect(try ExactDFT.forward([0, 1, 0, 0]) == [f4.one, f4.zeta(-1), f4.zeta(-2), f4.zeta(-3)])
        // 2D against the definition with ζ_m^{−(uk·m/R + vl·m/C)}.
        for (rows, cols) in shapes2D {
            let img = rng.image(rows, cols)
            let m = Primes.lcm(rows, cols)
            let f = try CyclotomicField(order: m)
            let hat = try ExactDFT.forward2D(img)
            #expect(hat.field.order == m)
            for u in 0..<rows {
                for v in 0..<cols {
                    var s = f.zero
                    for k in 0..<rows {
                        for l in 0..<cols {
                            s =
                                try s + Cyclotomic(img[k, l], in: f)
                                * f.zeta(-(u * k * (m / rows) + v * l * (m / cols)))
                        }
                    }
                    #expect(hat[u, v] == s)
                }
            }
        }
    }

    @Test func exactDFTRoundTrips() throws {
        var rng = DFTRandom(seed: 0xDF7_0002)
        for n in Array(1...13) + [9, 21] {
            let f = try CyclotomicField(order: n)
            for _ in 0..<3 {
                let a = rng.signal(n)
                #expect(try ExactDFT.inverseRational(ExactDFT.forward(a)) == a)
                let x = (0..<n).map { _ in rng.element(f) }
                #expect(try ExactDFT.forward(ExactDFT.inverse(x)) == x)
                #expect(try ExactDFT.inverse(ExactDFT.forward(x)) == x)
            }
        }
        for (rows, cols) in shapes2D {
            let f = try CyclotomicField(order: Primes.lcm(rows, cols))
            let img = rng.image(rows, cols)
            #expect(try ExactDFT.inverse2DRational(ExactDFT.forward2D(img)) == img)
            let x = try CyclotomicImage(
                rows: rows, columns: cols, values: (0..<rows * cols).map { _ in rng.element(f) })
            #expect(try ExactDFT.forward2D(ExactDFT.inverse2D(x)) == x)
            #expect(try ExactDFT.inverse2D(ExactDFT.forward2D(x)) == x)
        }
    }

    @Test func exactDFTParseval() throws {
        var rng = DFTRandom(seed: 0xDF7_0003)
        for n in Array(1...13) + [21] {
            let a = rng.signal(n)
            var total = try CyclotomicField(order: n).zero
            for x in try ExactDFT.forward(a) { total = try total + x.squaredModulus }
            #expect(total.rationalValue?.divided(byNonZero: n) == (try Signals.energy(a)))
        }
        for (rows, cols) in shapes2D {
            let img = rng.image(rows, cols)
            let hat = try ExactDFT.forward2D(img)
            var total = hat.field.zero
            for x in hat.values { total = try total + x.squaredModulus }
            #expect(total.rationalValue?.divided(byNonZero: rows * cols) == Signals.energy(img))
        }
    }

    @Test func exactDFTConvolutionTheorem() throws {
        var rng = DFTRandom(seed: 0xDF7_0004)
        #expect(try Signals.circularConvolution([1, 2, 3], [0, 1, 0]) == [3, 1, 2])
        for n in Array(1...13) + [21] {
            let (a, b) = (rng.signal(n), rng.signal(n))
            let lhs = try ExactDFT.forward(Signals.circularConvolution(a, b))
            let (ha, hb) = (try ExactDFT.forward(a), try ExactDFT.forward(b))
            for u in 0..<n { #expect(try lhs[u] == ha[u] * hb[u]) }
        }
        for (rows, cols) in shapes2D {
            let (a, b) = (rng.image(rows, cols), rng.image(rows, cols))
            let lhs = try ExactDFT.forward2D(Signals.circularConvolution(a, b))
            let (ha, hb) = (try ExactDFT.forward2D(a), try ExactDFT.forward2D(b))
            for i in 0..<rows * cols { #expect(try lhs.values[i] == ha.values[i] * hb.values[i]) }
        }
    }

    @Test func exactDFTGaloisStretch() throws {
        var rng = DFTRandom(seed: 0xDF7_0005)
        for d in [2, 3, 5, 7, 11, 13] {
            let k = rng.signal(d)
            let hat = try ExactDFT.forward(k)
            for a in 1..<d {
                for u in 0..<d { #expect(try hat[a * u % d] == hat[u].galois(a)) }
            }
        }
    }

    @Test func exactDFTUpsamplingCompressesFrequency() throws {
        var rng = DFTRandom(seed: 0xDF7_0006)
        #expect(try Signals.upsampled([1, 2], by: 2) == [1, 0, 2, 0])
        for n in [1, 2, 3, 4, 5, 7] {
            for s in 1...3 {
                let x = rng.signal(n)
                let big = try CyclotomicField(order: n * s)
                let up = try ExactDFT.forward(Signals.upsampled(x, by: s))
                let hat = try ExactDFT.forward(x)
                #expect(up.count == n * s)
                for u in 0..<n * s { #expect(try up[u] == hat[u % n].embedded(in: big)) }
            }
        }
        for (rows, cols) in [(2, 3), (3, 3), (1, 5)] {
            for s in 1...2 {
                let x = rng.image(rows, cols)
                let up = try Signals.upsampled(x, by: s)
                #expect(up.rows == rows * s && up.columns == cols * s)
                let hatUp = try ExactDFT.forward2D(up), hat = try ExactDFT.forward2D(x)
                for u in 0..<up.rows {
                    for v in 0..<up.columns { #expect(try hatUp[u, v] == hat[u, v].embedded(in: hatUp.field)) }
                }
            }
        }
    }

    @Test func exactDFTHermitianShiftReversal() throws {
        var rng = DFTRandom(seed: 0xDF7_0007)
        for n in Array(1...13) + [21] {
            let f = try CyclotomicField(order: n)
            let a = rng.signal(n)
            let hat = try ExactDFT.forward(a)
            for u in 0..<n { #expect(hat[(n - u) % n] == hat[u].conjugate) }
            // Reversal conjugates the spectrum; a shift by t multiplies it by ζ^{−ut}.
            let hatRev = try ExactDFT.forward(Signals.reversed(a))
            for u in 0..<n { #expect(hatRev[u] == hat[u].conjugate) }
            let t = rng.int(-2 * n...2 * n)
            let hatShift = try ExactDFT.forward(Signals.shifted(a, by: t))
            for u in 0..<n { #expect(try hatShift[u] == hat[u] * f.zeta(-u * t)) }
            #expect(try Signals.energy(Signals.shifted(a, by: t)) == Signals.energy(a))
        }
        #expect(try Signals.shifted([1, 2, 3], by: 1) == [3, 1, 2])
        #expect(try Signals.reversed([1, 2, 3, 4]) == [1, 4, 3, 2])
        for (rows, cols) in shapes2D {
            let img = rng.image(rows, cols)
            let hat = try ExactDFT.forward2D(img)
            let hatRev = try ExactDFT.forward2D(Signals.reversed(img))
            let (t, s) = (rng.int(-3...3), rng.int(-3...3))
            let hatShift = try ExactDFT.forward2D(Signals.shifted(img, rows: t, columns: s))
            let m = hat.field.order
            for u in 0..<rows {
                for v in 0..<cols {
                    #expect(hat[-u, -v] == hat[u, v].conjugate)
                    #expect(hatRev[u, v] == hat[u, v].conjugate)
                    let phase = hat.field.zeta(-(u * t * (m / rows) + v * s * (m / cols)))
                    #expect(try hatShift[u, v] == hat[u, v] * phase)
                }
            }
        }
    }

    @Test func exactDFTTypedErrors() throws {
        func expectShape<T>(_ body: () throws(ReferenceError) -> T) {
            if case .shapeMismatch? = thrownError(body) {} else { Issue.record("expected shapeMismatch") }
        }
        expectShape { () throws(ReferenceError) in try ExactDFT.forward([Rational]()) }
        expectShape { () throws(ReferenceError) in try ExactDFT.inverse([]) }
        expectShape { () throws(ReferenceError) in try Signals.circularConvolution([1, 2], [1, 2, 3]) }
        expectShape { () throws(ReferenceError) in try Signals.upsampled([], by: 2) }
        expectShape { () throws(ReferenceError) in try Signals.energy([]) }
        expectShape { () throws(ReferenceError) in try RationalImage(rows: 2, columns: 2, values: [1, 2, 3]) }
        expectShape { () throws(ReferenceError) in try RationalImage(rows: 0, columns: 2, values: []) }
        expectShape { () throws(ReferenceError) in
            try Signals.circularConvolution(
                RationalImage.zeros(rows: 2, columns: 3), RationalImage.zeros(rows: 3, columns: 2))
        }
        if case .invalidArgument? = thrownError({ () throws(ReferenceError) in try Signals.upsampled([1], by: 0) }) {
        } else {
            Issue.record("s < 1 must be refused")
        }
        // A non-Hermitian spectrum has no rational inverse.
        let f3 = try CyclotomicField(order: 3)
        if case .undefined? = thrownError({ () throws(ReferenceError) in
            try ExactDFT.inverseRational([f3.zeta(), f3.zero, f3.zero])
        }) {
        } else {
            Issue.record("a non-rational inverse must be refused")
        }
        // Mixed fields, and a length that does not divide the field order.
        let f5 = try CyclotomicField(order: 5)
        if case .fieldMismatch? = thrownError({ () throws(ReferenceError) in
            try ExactDFT.forward([f3.one, f5.one, f3.one])
        }) {
        } else {
            Issue.record("mixed fields must be refused")
        }
        if case .fieldMismatch? = thrownError({ () throws(ReferenceError) in try ExactDFT.forward([f3.one, f3.one]) }) {
        } else {
            Issue.record("length 2 does not divide 3")
        }
    }
}
