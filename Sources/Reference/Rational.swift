import CGMP

/// Owns one GMP rational; `deinit` clears it.
@usableFromInline
final class RationalStorage: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<__mpq_struct>

    @usableFromInline init() {
        pointer = .allocate(capacity: 1)
        __gmpq_init(pointer)
    }

    @usableFromInline convenience init(copying other: RationalStorage) {
        self.init()
        __gmpq_set(pointer, other.pointer)
    }

    deinit {
        __gmpq_clear(pointer)
        pointer.deallocate()
    }
}

/// An exact rational number on GMP's mpq, always in lowest terms with a positive denominator.
/// Value semantics with copy-on-write storage.
public struct Rational: Sendable {
    @usableFromInline var storage: RationalStorage

    @usableFromInline init(storage: RationalStorage) { self.storage = storage }

    public init() { storage = RationalStorage() }

    public init(_ value: Int) {
        storage = RationalStorage()
        __gmpq_set_si(storage.pointer, value, 1)
    }

    public init(_ value: BigInt) {
        storage = RationalStorage()
        __gmpq_set_z(storage.pointer, value.storage.pointer)
    }

    /// numerator / denominator; a zero denominator is a typed error.
    public init(_ numerator: BigInt, _ denominator: BigInt) throws(ReferenceError) {
        guard !denominator.isZero else { throw .divisionByZero(context: "the fraction \(numerator)/0") }
        storage = RationalStorage()
        __gmpz_set(cgmp_mpq_numref(storage.pointer), numerator.storage.pointer)
        __gmpz_set(cgmp_mpq_denref(storage.pointer), denominator.storage.pointer)
        __gmpq_canonicalize(storage.pointer)
    }

    public init(_ numerator: Int, _ denominator: Int) throws(ReferenceError) {
        try self.init(BigInt(numerator), BigInt(denominator))
    }

    /// The exact value of a finite Double (every finite Double is a dyadic rational).
    public init(exactly value: Double) throws(ReferenceError) {
        guard value.isFinite else { throw .invalidArgument("\(value) is not finite: only finite Doubles are rational") }
        storage = RationalStorage()
        __gmpq_set_d(storage.pointer, value)
    }

    @inlinable static func make(_ body: (UnsafeMutablePointer<__mpq_struct>) -> Void) -> Rational {
        let result = RationalStorage()
        body(result.pointer)
        return Rational(storage: result)
    }

    @inlinable mutating func mutate(_ body: (UnsafeMutablePointer<__mpq_struct>) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = RationalStorage(copying: storage) }
        body(storage.pointer)
    }

    public static let zero = Rational()
    public static let one = Rational(1)

    public var numerator: BigInt { .make { __gmpz_set($0, cgmp_mpq_numref(storage.pointer)) } }
    public var denominator: BigInt { .make { __gmpz_set($0, cgmp_mpq_denref(storage.pointer)) } }

    /// −1, 0 or +1.
    public var signum: Int { Int(cgmp_mpq_sgn(storage.pointer)) }
    public var isZero: Bool { signum == 0 }
    public var isInteger: Bool { __gmpz_cmp_si(cgmp_mpq_denref(storage.pointer), 1) == 0 }

    /// 1/self; zero is a typed error.
    public func reciprocal() throws(ReferenceError) -> Rational {
        guard !isZero else { throw .divisionByZero(context: "the reciprocal of 0") }
        return .make { __gmpq_inv($0, storage.pointer) }
    }

    public func divided(by divisor: Rational) throws(ReferenceError) -> Rational {
        guard !divisor.isZero else { throw .divisionByZero(context: "\(self) / 0") }
        return .make { __gmpq_div($0, storage.pointer, divisor.storage.pointer) }
    }

    /// Throwing division: `try a / b`.
    public static func / (lhs: Rational, rhs: Rational) throws(ReferenceError) -> Rational {
        try lhs.divided(by: rhs)
    }

    /// Division by a non-zero machine integer known at the call site (a length, a group order).
    public func divided(byNonZero n: Int) -> Rational {
        precondition(n != 0, "divided(byNonZero:) needs a non-zero divisor")
        return .make {
            __gmpq_set_si($0, n, 1)
            __gmpq_div($0, storage.pointer, $0)
        }
    }

    /// self^exponent; a negative exponent of zero is a typed error.
    public func power(_ exponent: Int) throws(ReferenceError) -> Rational {
        if exponent < 0 { return try reciprocal().power(-exponent) }
        let n = try numerator.power(exponent), d = try denominator.power(exponent)
        return try Rational(n, d)
    }

    /// The square, always defined.
    public var squared: Rational { self * self }

    /// value·2^k, built in one GMP rational (`Rational(value).multiplied(byPowerOfTwo: k)` builds two).
    public init(_ value: Int, timesPowerOfTwo k: Int) {
        storage = RationalStorage()
        __gmpq_set_si(storage.pointer, value, 1)
        if k >= 0 {
            __gmpq_mul_2exp(storage.pointer, storage.pointer, UInt(k))
        } else {
            __gmpq_div_2exp(storage.pointer, storage.pointer, UInt(-k))
        }
    }

    public func multiplied(byPowerOfTwo k: Int) -> Rational {
        .make {
            if k >= 0 {
                __gmpq_mul_2exp($0, storage.pointer, UInt(k))
            } else {
                __gmpq_div_2exp($0, storage.pointer, UInt(-k))
            }
        }
    }
}

extension Rational: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension Rational: Equatable, Hashable, Comparable {
    public static func == (lhs: Rational, rhs: Rational) -> Bool {
        __gmpq_equal(lhs.storage.pointer, rhs.storage.pointer) != 0
    }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        __gmpq_cmp(lhs.storage.pointer, rhs.storage.pointer) < 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(numerator)
        hasher.combine(denominator)
    }
}

extension Rational: SignedNumeric {
    public init?<T: BinaryInteger>(exactly source: T) {
        guard let value = BigInt(exactly: source) else { return nil }
        self.init(value)
    }

    public var magnitude: Rational { .make { __gmpq_abs($0, storage.pointer) } }

    public static func + (lhs: Rational, rhs: Rational) -> Rational {
        .make { __gmpq_add($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func - (lhs: Rational, rhs: Rational) -> Rational {
        .make { __gmpq_sub($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func * (lhs: Rational, rhs: Rational) -> Rational {
        .make { __gmpq_mul($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func += (lhs: inout Rational, rhs: Rational) {
        let r = rhs.storage
        lhs.mutate { __gmpq_add($0, $0, r.pointer) }
    }

    public static func -= (lhs: inout Rational, rhs: Rational) {
        let r = rhs.storage
        lhs.mutate { __gmpq_sub($0, $0, r.pointer) }
    }

    public static func *= (lhs: inout Rational, rhs: Rational) {
        let r = rhs.storage
        lhs.mutate { __gmpq_mul($0, $0, r.pointer) }
    }

    public static prefix func - (operand: Rational) -> Rational {
        .make { __gmpq_neg($0, operand.storage.pointer) }
    }

    public mutating func negate() { mutate { __gmpq_neg($0, $0) } }
}

extension Rational: LosslessStringConvertible {
    /// Parses "-3/4", "12", "0.125", "1e-3", "-2.5E+4"; anything else is nil (see `init(parsing:)`).
    public init?(_ description: String) {
        guard let value = try? Rational(parsing: description) else { return nil }
        self = value
    }

    /// The largest decimal exponent `init(parsing:)` accepts (`1e100000`): a ten-character text must not
    /// make a number of millions of digits.
    public static let maxDecimalExponent = 100_000

    /// Parses with a typed error naming the accepted forms.
    public init(parsing text: String) throws(ReferenceError) {
        let trimmed = text.trimmingWhitespace
        if let slash = trimmed.firstIndex(of: "/") {
            let numText = String(trimmed[..<slash]), denText = String(trimmed[trimmed.index(after: slash)...])
            guard let num = BigInt(numText), let den = BigInt(denText), !denText.hasPrefix("-"), !denText.hasPrefix("+")
            else { throw .malformedNumber(text) }
            guard !den.isZero else { throw .divisionByZero(context: "the fraction \"\(text)\"") }
            self = try Rational(num, den)
            return
        }
        // decimal: sign? digits ('.' digits?)? ([eE] sign? digits)?
        var mantissa = Substring(trimmed), exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let expText = mantissa[mantissa.index(after: e)...]
            let expDigits = expText.first == "-" || expText.first == "+" ? expText.dropFirst() : expText
            guard !expDigits.isEmpty, expDigits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .malformedNumber(text)
            }
            // Digits beyond Int are out of range too (no abs: |Int.min| is not an Int).
            guard let value = Int(expText), (-Rational.maxDecimalExponent...Rational.maxDecimalExponent).contains(value)
            else { throw .exponentOutOfRange(text, limit: Rational.maxDecimalExponent) }
            exponent = value
            mantissa = mantissa[..<e]
        }
        var negative = false
        if mantissa.first == "-" || mantissa.first == "+" {
            negative = mantissa.first == "-"; mantissa = mantissa.dropFirst()
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty),
            (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }),
            let digits = BigInt(String(whole + fraction).isEmpty ? "0" : String(whole + fraction))
        else { throw .malformedNumber(text) }
        let scale = exponent - fraction.count
        let ten = BigInt(10)
        var value: Rational
        if scale >= 0 {
            value = Rational(digits * (try ten.power(scale)))
        } else {
            value = try Rational(digits, try ten.power(-scale))
        }
        if negative { value.negate() }
        self = value
    }

    public var description: String {
        guard let cString = __gmpq_get_str(nil, 10, storage.pointer) else { return "?" }
        defer { cgmp_free_string(cString) }
        return String(cString: cString)
    }
}

extension Rational {
    /// The nearest Double, ties to even (GMP's mpq_get_d truncates; this does not).
    /// Magnitudes beyond the largest finite Double round to ±infinity, as IEEE 754 prescribes.
    public var doubleValue: Double {
        if isZero { return 0 }
        // Numerator and denominator below 2^53 are exact Doubles, and IEEE division rounds their quotient (in
        // [2^−53, 2^53], never subnormal) to nearest, ties to even: the same Double as below, without a BigInt.
        let (num, den) = (cgmp_mpq_numref(storage.pointer), cgmp_mpq_denref(storage.pointer))
        if __gmpz_sizeinbase(num, 2) <= 53 && __gmpz_sizeinbase(den, 2) <= 53 {
            return Double(__gmpz_get_si(num)) / Double(__gmpz_get_si(den))
        }
        let negative = signum < 0
        let n = numerator.magnitude, d = denominator
        // Scale so that the integer quotient q = ⌊n·2^k / d⌋ has 55 or 56 bits.
        let k = 55 - (n.bitWidth - d.bitWidth)
        let scaledN = k >= 0 ? n.shiftedLeft(k) : n
        let scaledD = k >= 0 ? d : d.shiftedLeft(-k)
        let (q, r) = try! scaledN.quotientAndRemainder(dividingBy: scaledD)  // d > 0
        let exponent = q.bitWidth - 1 - k  // ⌊log2 |self|⌋
        if exponent > 1023 { return negative ? -.infinity : .infinity }
        // Bits of precision available: 53 for normals, fewer for subnormals.
        let precision = exponent >= -1022 ? 53 : 53 - (-1022 - exponent)
        let drop = q.bitWidth - precision  // ≥ 2 since q has ≥ 55 bits and precision ≤ 53
        var mantissa: BigInt
        let roundBit: Bool, sticky: Bool
        if precision <= 0 {
            mantissa = 0
            roundBit = precision == 0 ? q.isBitSet(q.bitWidth - 1) : false
            sticky = precision == 0 ? (q.lowestSetBit() < q.bitWidth - 1 || !r.isZero) : true
        } else {
            mantissa = q.shiftedRight(drop)
            roundBit = q.isBitSet(drop - 1)
            sticky = q.lowestSetBit() < drop - 1 || !r.isZero
        }
        if roundBit && (sticky || mantissa.isOdd) { mantissa += 1 }
        // The lowest kept bit has weight 2^(drop−k) ≥ 2^−1074, so this product is exact
        // (or overflows to infinity when rounding carries past the largest finite Double).
        let value = Double(mantissa.intValue!) * Double(sign: .plus, exponent: drop - k, significand: 1)
        return negative ? -value : value
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
