import Testing
@testable import Reference

/// `Rational` keeps values that fit in two machine words there and the rest in GMP: every operation must give the
/// same reduced fraction as integer arithmetic on BigInt, across the boundary (±Int.max, Int.min, 2⁶³, 2⁶⁴), and the
/// form must be words exactly when the value fits.
@Suite struct RationalWordTests {
    /// Integers that sit on or near the word boundary, and random ones of 1 to 130 bits.
    static func boundaryInteger(_ s: inout TestStream) -> BigInt {
        let two63 = BigInt(1).shiftedLeft(63)
        let special: [BigInt] = [
            0, 1, -1, 2, -2, 3, BigInt(Int.max), BigInt(Int.max - 1), -BigInt(Int.max), BigInt(Int.min), two63,
            two63 + 1, -two63 - 1, BigInt(1).shiftedLeft(64), BigInt(1).shiftedLeft(62), BigInt(3).shiftedLeft(61),
            BigInt(1 << 53), BigInt(1 << 53) + 1, BigInt(Int(bitPattern: 0xFFFF_FFFF)) * BigInt(0x1_0000_0001),
        ]
        if s.int(0...1) == 0 { return special[s.int(0...(special.count - 1))] }
        let bits = s.int(1...130)
        var value = BigInt(0)
        for _ in 0..<(bits + 63) / 64 { value = value.shiftedLeft(64) + BigInt(Int(truncatingIfNeeded: s.next() >> 1)) }
        value = value.shiftedRight(max(0, value.bitWidth - bits))
        return s.int(0...1) == 0 ? value : -value
    }

    static func fraction(_ s: inout TestStream) -> (BigInt, BigInt) {
        var d = boundaryInteger(&s)
        if d.isZero { d = 1 }
        return (boundaryInteger(&s), d)
    }

    /// n/d reduced, with a positive denominator, by BigInt arithmetic alone.
    static func reduced(_ n: BigInt, _ d: BigInt) -> (BigInt, BigInt) {
        let g = BigInt.gcd(n, d)
        var (p, q) = (try! n.exactlyDivided(by: g), try! d.exactlyDivided(by: g))
        if q < 0 { (p, q) = (-p, -q) }
        return (p, q)
    }

    static func expect(_ x: Rational, equals fraction: (BigInt, BigInt), _ what: String) {
        let (n, d) = reduced(fraction.0, fraction.1)
        #expect(x.numerator == n && x.denominator == d, "\(what): got \(x), expected \(n)/\(d)")
        let fits = n.magnitude <= BigInt(Int.max) && d <= BigInt(Int.max)
        #expect((x.big == nil) == fits, "\(what): \(x) is in \(x.big == nil ? "words" : "GMP")")
    }

    @Test func operationsAgreeWithBigIntArithmeticAcrossTheWordBoundary() throws {
        var s = TestStream(seed: 63)
        for _ in 0..<3000 {
            let (a, b) = Self.fraction(&s), (c, d) = Self.fraction(&s)
            let x = try Rational(a, b), y = try Rational(c, d)
            Self.expect(x, equals: (a, b), "Rational(\(a), \(b))")
            Self.expect(x + y, equals: (a * d + c * b, b * d), "\(x) + \(y)")
            Self.expect(x - y, equals: (a * d - c * b, b * d), "\(x) − \(y)")
            Self.expect(x * y, equals: (a * c, b * d), "\(x) · \(y)")
            if !c.isZero { Self.expect(try x / y, equals: (a * d, b * c), "\(x) / \(y)") }
            Self.expect(-x, equals: (-a, b), "−\(x)")
            Self.expect(x.magnitude, equals: (a.magnitude, b.magnitude), "|\(x)|")
            var z = x
            z += y
            Self.expect(z, equals: (a * d + c * b, b * d), "\(x) += \(y)")
            z = x
            z *= y
            Self.expect(z, equals: (a * c, b * d), "\(x) *= \(y)")
            let k = s.int(-70...70)
            let shifted = k >= 0 ? (a.shiftedLeft(k), b) : (a, b.shiftedLeft(-k))
            Self.expect(x.multiplied(byPowerOfTwo: k), equals: shifted, "\(x)·2^\(k)")
            // Order and equality against the cross products; equal values hash alike, whatever their history.
            let cross = (a * d) * (b * d < 0 ? -1 : 1), other = (c * b) * (b * d < 0 ? -1 : 1)
            #expect((x < y) == (cross < other), "\(x) < \(y)")
            #expect((x == y) == (cross == other), "\(x) == \(y)")
            let roundTrip = (x + y) - y
            #expect(roundTrip == x && roundTrip.hashValue == x.hashValue, "(\(x) + \(y)) − \(y)")
            #expect(Rational(x.description) == x, "\(x) through its text")
        }
    }

    @Test func machineIntegersAndPowersOfTwoAtTheBoundary() throws {
        for value in [0, 1, -1, Int.max, -Int.max, Int.min, Int.min + 1] {
            Self.expect(Rational(value), equals: (BigInt(value), 1), "Rational(\(value))")
            for k in [-64, -63, -62, -1, 1, 62, 63, 64] {
                let expected =
                    k >= 0 ? (BigInt(value).shiftedLeft(k), BigInt(1)) : (BigInt(value), BigInt(1).shiftedLeft(-k))
                Self.expect(Rational(value, timesPowerOfTwo: k), equals: expected, "\(value)·2^\(k)")
            }
            for divisor in [1, -1, 2, Int.max, Int.min] {
                Self.expect(
                    Rational(value).divided(byNonZero: divisor), equals: (BigInt(value), BigInt(divisor)),
                    "\(value)/\(divisor)")
                Self.expect(
                    try Rational(value, divisor), equals: (BigInt(value), BigInt(divisor)),
                    "Rational(\(value), \(divisor))")
            }
        }
        // A GMP value that comes back into range returns to words: (2⁷⁰ + 1) − 2⁷⁰.
        let big = Rational(BigInt(1).shiftedLeft(70))
        #expect(big.big != nil)
        Self.expect((big + 1) - big, equals: (1, 1), "(2⁷⁰ + 1) − 2⁷⁰")
        #expect(Set([(big + 1) - big, Rational(1)]).count == 1)
    }
}
