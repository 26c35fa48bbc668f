import Fast
import Testing
@testable import Reference

/// A seeded stream for the arithmetic tests (SplitMix64, platform independent).
struct TestStream {
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
    /// Rationals of varied sizes, including big numerators and denominators.
    mutating func rational() -> Rational {
        switch int(0...3) {
        case 0: return Rational(int(-5...5))
        case 1: return try! Rational(int(-50...50), int(1...30))
        case 2:
            let n = BigInt(int(-1_000_000...1_000_000)) * BigInt(Int(truncatingIfNeeded: next() >> 2))
            return try! Rational(n, BigInt(int(1...1_000_000_007)))
        default: return try! Rational(BigInt(Int(truncatingIfNeeded: next() >> 1)), BigInt(int(1...1 << 40)))
        }
    }
}

@Suite struct RationalTests {
    @Test func rationalFieldAxioms() throws {
        var s = TestStream(seed: 1)
        for _ in 0..<300 {
            let (a, b, c) = (s.rational(), s.rational(), s.rational())
            #expect((a + b) + c == a + (b + c))
            #expect((a * b) * c == a * (b * c))
            #expect(a + b == b + a)
            #expect(a * b == b * a)
            #expect(a * (b + c) == a * b + a * c)
            #expect(a + .zero == a && a * .one == a)
            #expect(a + (-a) == .zero)
            #expect(a - b == a + (-b))
            if !a.isZero {
                #expect(a * (try a.reciprocal()) == .one)
                #expect(try b / a * a == b)
            }
        }
    }

    @Test func rationalCanonicalFormAndHash() throws {
        let half = try Rational(2, 4), alsoHalf = try Rational(-3, -6)
        #expect(half == alsoHalf)
        #expect(half.hashValue == alsoHalf.hashValue)
        #expect(half.numerator == 1 && half.denominator == 2)
        #expect(try Rational(3, -6).description == "-1/2")
        #expect(Set([half, alsoHalf, Rational(1)]).count == 2)
    }

    @Test func rationalDivisionByZeroIsTypedError() {
        #expect(throws: ReferenceError.self) { try Rational(1, 0) }
        #expect(throws: ReferenceError.self) { try Rational(5) / Rational.zero }
        #expect(throws: ReferenceError.self) { try Rational.zero.reciprocal() }
        #expect(throws: ReferenceError.self) { try Rational.zero.power(-2) }
        #expect(throws: ReferenceError.self) { try BigInt(7).quotientAndRemainder(dividingBy: 0) }
    }

    @Test func rationalCopyOnWrite() {
        let a = try! Rational(7, 3)
        var b = a
        b += 1
        b *= 2
        b.negate()
        #expect(a == (try! Rational(7, 3)))
        #expect(b == (try! Rational(-20, 3)))
        var x = BigInt(5)
        let y = x
        x += 1
        #expect(y == 5 && x == 6)
    }

    @Test func rationalPowers() throws {
        let a = try Rational(-2, 3)
        #expect(try a.power(3) == (try Rational(-8, 27)))
        #expect(try a.power(-2) == (try Rational(9, 4)))
        #expect(try a.power(0) == .one)
        #expect(try BigInt(3).power(40).description == "12157665459056928801")
    }

    @Test(arguments: [
        ("-3/4", "-3/4"), ("12", "12"), ("0.125", "1/8"), ("1e-3", "1/1000"), ("-2.5E+2", "-250"),
        ("+7", "7"), (" 4/6 ", "2/3"), (".5", "1/2"), ("3.", "3"), ("-0", "0"), ("1e0", "1"),
    ])
    func rationalParsesAcceptedForms(text: String, expected: String) throws {
        #expect(try Rational(parsing: text).description == expected)
        #expect(Rational(text)?.description == expected)
    }

    @Test(arguments: [
        "", "abc", "1//2", "--1", "1.2.3", "e5", ".", "1e", "0x10", "1/-2", "1/2/3", "nan", "inf", "1 2", "½",
        "1e99999999",
    ])
    func rationalRejectsMalformedStrings(text: String) {
        #expect(Rational(text) == nil)
        #expect(throws: ReferenceError.self) { try Rational(parsing: text) }
    }

    @Test func rationalZeroDenominatorStringIsDivisionError() {
        #expect(throws: ReferenceError.divisionByZero(context: "the fraction \"1/0\"")) { try Rational(parsing: "1/0") }
    }

    @Test func rationalStringRoundTrip() {
        var s = TestStream(seed: 2)
        for _ in 0..<500 {
            let a = s.rational()
            #expect(Rational(a.description) == a)
        }
    }

    /// The brute-force check: x is a nearest Double to q, and on a tie its significand is even.
    static func isCorrectlyRounded(_ q: Rational, _ x: Double) throws -> Bool {
        guard x.isFinite else {
            return try q.magnitude >= Rational(exactly: Double.greatestFiniteMagnitude) + Rational(
                exactly: Double.greatestFiniteMagnitude.ulp) / 2
        }
        let exact = try Rational(exactly: x)
        let error = (q - exact).magnitude
        for neighbour in [x.nextUp, x.nextDown] where neighbour.isFinite {
            let other = (q - (try Rational(exactly: neighbour))).magnitude
            if other < error { return false }
            if other == error {  // a tie: the even significand wins
                if x.significandBitPattern & 1 != 0 && !(x == 0) { return false }
            }
        }
        return true
    }

    @Test func rationalDoubleRoundingHardCases() throws {
        var cases: [Rational] = []
        let samples: [Double] = [
            1, 0.1, 1.0 / 3, .pi, 1e300, 1e-300, .leastNormalMagnitude, .leastNonzeroMagnitude,
            .greatestFiniteMagnitude, Double.leastNonzeroMagnitude * 3, Double.leastNormalMagnitude.nextDown,
            123456789.125,
        ]
        for x in samples {
            let ex = try Rational(exactly: x), down = try Rational(exactly: x.nextDown)
            let up = x.nextUp.isFinite ? try Rational(exactly: x.nextUp) : ex + (try Rational(exactly: x.ulp))
            let midUp = try (ex + up) / 2, midDown = try (ex + down) / 2
            let tiny = try Rational(BigInt(1), BigInt(2).power(1200))
            cases += [
                ex, midUp, midDown, midUp + tiny, midUp - tiny, midDown + tiny, midDown - tiny, -midUp, -(midUp - tiny),
            ]
        }
        cases += [
            try Rational(1, 3), try Rational(2, 3), try Rational(-1, 10),
            try Rational(BigInt(1), BigInt(2).power(1075)),
            try Rational(BigInt(3), BigInt(2).power(1076)), try Rational(BigInt(1), BigInt(2).power(1076)),
            try Rational(BigInt(2).power(1024), 1), try Rational(BigInt(2).power(1024) - BigInt(2).power(970), 1),
        ]
        for q in cases {
            #expect(try Self.isCorrectlyRounded(q, q.doubleValue), "\(q) ↦ \(q.doubleValue)")
        }
        // Ties go to even: 1 + 2^-53 lies halfway between 1 and 1 + 2^-52.
        #expect(try (Rational(1) + Rational(BigInt(1), BigInt(2).power(53))).doubleValue == 1.0)
        #expect(try (Rational(1) + Rational(BigInt(3), BigInt(2).power(53))).doubleValue == 1.0 + 2 * Double.ulpOfOne)
        // Truncation (mpq_get_d) would give 0.1's lower neighbour for some values; we must not.
        #expect(try Rational(1, 10).doubleValue == 0.1)
        #expect(try Rational(2, 3).doubleValue == 2.0 / 3.0)
    }

    @Test func rationalDoubleRoundingRandom() throws {
        var s = TestStream(seed: 3)
        for _ in 0..<2000 {
            let q = s.rational()
            #expect(try Self.isCorrectlyRounded(q, q.doubleValue), "\(q) ↦ \(q.doubleValue)")
        }
        // Doubles round-trip exactly.
        for _ in 0..<2000 {
            let x = Double(bitPattern: s.next())
            guard x.isFinite else { continue }
            #expect(try Rational(exactly: x).doubleValue == x)
        }
    }

    @Test func bigIntParsingAndConversion() {
        #expect(BigInt("-123456789012345678901234567890")?.description == "-123456789012345678901234567890")
        #expect(BigInt("12a") == nil && BigInt("") == nil && BigInt("-") == nil && BigInt(" 1") == nil)
        #expect(BigInt(Int.min).intValue == Int.min)
        #expect((BigInt(Int.max) + 1).intValue == nil)
        #expect(BigInt(exactly: UInt64.max)?.description == "18446744073709551615")
    }
}
