import CGMP

/// Owns one GMP rational; `deinit` clears it.
@usableFromInline
final class RationalStorage: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<__mpq_struct>

    @usableFromInline init() {
        pointer = .allocate(capacity: 1)
        __gmpq_init(pointer)
    }

    deinit {
        __gmpq_clear(pointer)
        pointer.deallocate()
    }
}

/// An exact rational number, always in lowest terms with a positive denominator. Value semantics: a value whose
/// numerator and denominator fit in ±`Int.max` is held in two machine words (no allocation, machine arithmetic
/// with overflow checks); any other value in a GMP mpq, copied on write. The two forms never hold the same value.
public struct Rational: Sendable {
    /// The value when `big` is nil: numeratorWord / denominatorWord, coprime, 0 < denominatorWord, both ≤ Int.max
    /// in magnitude.
    @usableFromInline var numeratorWord: Int
    @usableFromInline var denominatorWord: Int
    /// The value when it does not fit in words; nil otherwise.
    @usableFromInline var big: RationalStorage?

    /// numerator/denominator already in lowest terms, 0 < denominator, numerator ≠ Int.min.
    @usableFromInline init(word numerator: Int, _ denominator: Int) {
        numeratorWord = numerator
        denominatorWord = denominator
        big = nil
    }

    /// A GMP result, moved into words when it fits.
    @usableFromInline init(storage: RationalStorage) {
        let p = storage.pointer
        if let n = Rational.word(cgmp_mpq_numref(p)), let d = Rational.word(cgmp_mpq_denref(p)) {
            numeratorWord = n
            denominatorWord = d
            big = nil
        } else {
            numeratorWord = 0
            denominatorWord = 1
            big = storage
        }
    }

    /// The integer's value when it is within ±Int.max.
    @usableFromInline static func word(_ z: UnsafePointer<__mpz_struct>) -> Int? {
        let size = z.pointee._mp_size
        if size == 0 { return 0 }
        guard size == 1 || size == -1, let limbs = z.pointee._mp_d, limbs[0] <= UInt(Int.max) else { return nil }
        return size < 0 ? -Int(limbs[0]) : Int(limbs[0])
    }

    public init() { self.init(word: 0, 1) }

    public init(_ value: Int) {
        if value != .min {
            self.init(word: value, 1)
        } else {
            self = .make { __gmpq_set_si($0, value, 1) }
        }
    }

    public init(_ value: BigInt) {
        if let v = value.intValue, v != .min {
            self.init(word: v, 1)
        } else {
            self = .make { r in value.withPointer { __gmpq_set_z(r, $0) } }
        }
    }

    /// numerator / denominator; a zero denominator is a typed error.
    public init(_ numerator: BigInt, _ denominator: BigInt) throws(ReferenceError) {
        guard !denominator.isZero else { throw .divisionByZero(context: "the fraction \(numerator)/0") }
        if let n = numerator.intValue, let d = denominator.intValue, let value = Rational.reduced(n, d) {
            self = value
            return
        }
        self = .make { q in
            numerator.withPointer { __gmpz_set(cgmp_mpq_numref(q), $0) }
            denominator.withPointer { __gmpz_set(cgmp_mpq_denref(q), $0) }
            __gmpq_canonicalize(q)
        }
    }

    public init(_ numerator: Int, _ denominator: Int) throws(ReferenceError) {
        guard denominator != 0 else { throw .divisionByZero(context: "the fraction \(numerator)/0") }
        if let value = Rational.reduced(numerator, denominator) {
            self = value
        } else {
            try self.init(BigInt(numerator), BigInt(denominator))
        }
    }

    /// numerator / denominator for a non-zero denominator known at the call site.
    init(reducing numerator: Int128, _ denominator: Int128) {
        precondition(denominator != 0, "init(reducing:) needs a non-zero denominator")
        if let n = Int(exactly: numerator), let d = Int(exactly: denominator), let value = Rational.reduced(n, d) {
            self = value
        } else {
            self = try! Rational(BigInt(numerator), BigInt(denominator))  // denominator ≠ 0
        }
    }

    /// n/d in lowest terms (d ≠ 0) when it fits in words; nil when Int.min is involved.
    @usableFromInline static func reduced(_ n: Int, _ d: Int) -> Rational? {
        guard n != .min, d != .min else { return nil }
        if n == 0 { return Rational() }
        let g = Int(gcd(n.magnitude, d.magnitude))
        return d < 0 ? Rational(word: -n / g, -d / g) : Rational(word: n / g, d / g)
    }

    /// The greatest common divisor (Stein's binary algorithm); gcd(0, b) = b.
    @usableFromInline static func gcd(_ a: UInt, _ b: UInt) -> UInt {
        if a == 0 { return b }
        if b == 0 { return a }
        var a = a, b = b
        let shift = (a | b).trailingZeroBitCount
        a >>= a.trailingZeroBitCount
        repeat {
            b >>= b.trailingZeroBitCount
            if a > b { swap(&a, &b) }
            b -= a
        } while b != 0
        return a << shift
    }

    /// The exact value of a finite Double (every finite Double is a dyadic rational).
    public init(exactly value: Double) throws(ReferenceError) {
        guard value.isFinite else { throw .invalidArgument("\(value) is not finite: only finite Doubles are rational") }
        self = .make { __gmpq_set_d($0, value) }
    }

    /// Read-only access to the value as an mpq: the GMP rational, or for a value in words a read-only mpq over
    /// them on the stack (`mpz_roinit_n`), valid only inside `body`.
    @inlinable func withPointer<R>(_ body: (UnsafePointer<__mpq_struct>) throws -> R) rethrows -> R {
        if let big { return try withExtendedLifetime(big) { try body(big.pointer) } }
        var limbs = (numeratorWord.magnitude, UInt(denominatorWord))
        var q = __mpq_struct()
        let sign = numeratorWord.signum()
        return try withUnsafeMutablePointer(to: &limbs) { pair in
            try pair.withMemoryRebound(to: UInt.self, capacity: 2) { limb in
                try withUnsafeMutablePointer(to: &q) { q in
                    _ = __gmpz_roinit_n(cgmp_mpq_numref(q), limb, sign)
                    _ = __gmpz_roinit_n(cgmp_mpq_denref(q), limb + 1, 1)
                    return try body(q)
                }
            }
        }
    }

    /// Builds a new value by writing into a fresh mpq.
    @inlinable static func make(_ body: (UnsafeMutablePointer<__mpq_struct>) -> Void) -> Rational {
        let result = RationalStorage()
        body(result.pointer)
        return Rational(storage: result)
    }

    /// Rewrites the value in an mpq of its own (the GMP rational when not shared, else a copy).
    @inlinable mutating func mutate(_ body: (UnsafeMutablePointer<__mpq_struct>) -> Void) {
        if var storage = big {
            big = nil
            if !isKnownUniquelyReferenced(&storage) {
                let copy = RationalStorage()
                __gmpq_set(copy.pointer, storage.pointer)
                storage = copy
            }
            body(storage.pointer)
            self = Rational(storage: storage)
        } else {
            let value = self
            self = .make { r in
                value.withPointer { __gmpq_set(r, $0) }
                body(r)
            }
        }
    }

    public static let zero = Rational()
    public static let one = Rational(1)

    public var numerator: BigInt {
        big == nil ? BigInt(numeratorWord) : .make { r in withPointer { __gmpz_set(r, cgmp_mpq_numref_const($0)) } }
    }

    public var denominator: BigInt {
        big == nil
            ? BigInt(denominatorWord) : .make { r in withPointer { __gmpz_set(r, cgmp_mpq_denref_const($0)) } }
    }

    /// −1, 0 or +1.
    public var signum: Int { big == nil ? numeratorWord.signum() : withPointer { Int(cgmp_mpq_sgn($0)) } }
    public var isZero: Bool { big == nil && numeratorWord == 0 }
    public var isInteger: Bool {
        big == nil ? denominatorWord == 1 : withPointer { __gmpz_cmp_si(cgmp_mpq_denref_const($0), 1) == 0 }
    }

    /// 1/self; zero is a typed error.
    public func reciprocal() throws(ReferenceError) -> Rational {
        guard !isZero else { throw .divisionByZero(context: "the reciprocal of 0") }
        if big == nil {
            return numeratorWord < 0
                ? Rational(word: -denominatorWord, -numeratorWord) : Rational(word: denominatorWord, numeratorWord)
        }
        return .make { r in withPointer { __gmpq_inv(r, $0) } }
    }

    public func divided(by divisor: Rational) throws(ReferenceError) -> Rational {
        guard !divisor.isZero else { throw .divisionByZero(context: "\(self) / 0") }
        if divisor.big == nil { return self * (try divisor.reciprocal()) }
        return .make { r in withPointer { a in divisor.withPointer { b in __gmpq_div(r, a, b) } } }
    }

    /// Throwing division: `try a / b`.
    public static func / (lhs: Rational, rhs: Rational) throws(ReferenceError) -> Rational {
        try lhs.divided(by: rhs)
    }

    /// Division by a non-zero machine integer known at the call site (a length, a group order).
    public func divided(byNonZero n: Int) -> Rational {
        precondition(n != 0, "divided(byNonZero:) needs a non-zero divisor")
        if n != .min { return self * Rational(word: n < 0 ? -1 : 1, Int(n.magnitude)) }
        return .make { r in
            __gmpq_set_si(r, n, 1)
            withPointer { __gmpq_div(r, $0, r) }
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

    /// value·2^k.
    public init(_ value: Int, timesPowerOfTwo k: Int) {
        self = Rational(value).multiplied(byPowerOfTwo: k)
    }

    public func multiplied(byPowerOfTwo k: Int) -> Rational {
        if big == nil, numeratorWord == 0 || k == 0 { return self }
        if big == nil, k > 0, k < Int.bitWidth {
            // Cancel the denominator's factors of two first, then shift the numerator if it stays below 2^63.
            let cancelled = min(denominatorWord.trailingZeroBitCount, k), rest = k - cancelled
            if numeratorWord.magnitude.leadingZeroBitCount > rest {
                return Rational(word: numeratorWord << rest, denominatorWord >> cancelled)
            }
        } else if big == nil, k < 0, k > -Int.bitWidth {
            let cancelled = min(numeratorWord.trailingZeroBitCount, -k), rest = -k - cancelled
            if denominatorWord.leadingZeroBitCount > rest {
                return Rational(word: numeratorWord >> cancelled, denominatorWord << rest)
            }
        }
        return .make { r in
            withPointer { a in
                if k >= 0 {
                    __gmpq_mul_2exp(r, a, UInt(k))
                } else {
                    __gmpq_div_2exp(r, a, UInt(-k))
                }
            }
        }
    }
}

extension Rational: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension Rational: Equatable, Hashable, Comparable {
    public static func == (lhs: Rational, rhs: Rational) -> Bool {
        if lhs.big == nil && rhs.big == nil {
            return lhs.numeratorWord == rhs.numeratorWord && lhs.denominatorWord == rhs.denominatorWord
        }
        return lhs.withPointer { a in rhs.withPointer { b in __gmpq_equal(a, b) != 0 } }
    }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        if lhs.big == nil && rhs.big == nil {
            // a/b < c/d ⟺ a·d < c·b (b, d > 0), compared in 128 bits.
            let left = lhs.numeratorWord.multipliedFullWidth(by: rhs.denominatorWord)
            let right = rhs.numeratorWord.multipliedFullWidth(by: lhs.denominatorWord)
            return left.high < right.high || (left.high == right.high && left.low < right.low)
        }
        return lhs.withPointer { a in rhs.withPointer { b in __gmpq_cmp(a, b) < 0 } }
    }

    public func hash(into hasher: inout Hasher) {
        // Equal values have the same form (words exactly when they fit).
        if big == nil {
            hasher.combine(numeratorWord)
            hasher.combine(denominatorWord)
        } else {
            hasher.combine(numerator)
            hasher.combine(denominator)
        }
    }
}

extension Rational: SignedNumeric {
    public init?<T: BinaryInteger>(exactly source: T) {
        guard let value = BigInt(exactly: source) else { return nil }
        self.init(value)
    }

    public var magnitude: Rational {
        if big == nil { return Rational(word: abs(numeratorWord), denominatorWord) }
        return .make { r in withPointer { __gmpq_abs(r, $0) } }
    }

    /// a/b + c/d in words (Knuth's gcd-reduced sum), nil on overflow.
    @usableFromInline static func wordSum(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Rational? {
        if b == 1 && d == 1 {
            let (s, overflow) = a.addingReportingOverflow(c)
            return overflow || s == .min ? nil : Rational(word: s, 1)
        }
        let g = Int(gcd(UInt(b), UInt(d)))
        let (x, o1) = a.multipliedReportingOverflow(by: d / g)
        let (y, o2) = c.multipliedReportingOverflow(by: b / g)
        let (t, o3) = x.addingReportingOverflow(y)
        guard !(o1 || o2 || o3) else { return nil }
        if t == 0 { return Rational() }
        let g2 = Int(gcd(t.magnitude, UInt(g)))
        let (den, o4) = (b / g).multipliedReportingOverflow(by: d / g2)
        let num = t / g2
        return o4 || num == .min ? nil : Rational(word: num, den)
    }

    /// (a/b)·(c/d) in words, cross-cancelled first, nil on overflow.
    @usableFromInline static func wordProduct(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Rational? {
        if a == 0 || c == 0 { return Rational() }
        let g1 = Int(gcd(a.magnitude, UInt(d))), g2 = Int(gcd(c.magnitude, UInt(b)))
        let (num, o1) = (a / g1).multipliedReportingOverflow(by: c / g2)
        let (den, o2) = (b / g2).multipliedReportingOverflow(by: d / g1)
        return o1 || o2 || num == .min ? nil : Rational(word: num, den)
    }

    public static func + (lhs: Rational, rhs: Rational) -> Rational {
        if lhs.big == nil && rhs.big == nil,
            let sum = wordSum(lhs.numeratorWord, lhs.denominatorWord, rhs.numeratorWord, rhs.denominatorWord)
        {
            return sum
        }
        return .make { r in lhs.withPointer { a in rhs.withPointer { b in __gmpq_add(r, a, b) } } }
    }

    public static func - (lhs: Rational, rhs: Rational) -> Rational {
        if lhs.big == nil && rhs.big == nil,
            let difference = wordSum(lhs.numeratorWord, lhs.denominatorWord, -rhs.numeratorWord, rhs.denominatorWord)
        {
            return difference
        }
        return .make { r in lhs.withPointer { a in rhs.withPointer { b in __gmpq_sub(r, a, b) } } }
    }

    public static func * (lhs: Rational, rhs: Rational) -> Rational {
        if lhs.big == nil && rhs.big == nil,
            let product = wordProduct(lhs.numeratorWord, lhs.denominatorWord, rhs.numeratorWord, rhs.denominatorWord)
        {
            return product
        }
        return .make { r in lhs.withPointer { a in rhs.withPointer { b in __gmpq_mul(r, a, b) } } }
    }

    public static func += (lhs: inout Rational, rhs: Rational) {
        if lhs.big == nil && rhs.big == nil { lhs = lhs + rhs; return }
        rhs.withPointer { b in lhs.mutate { __gmpq_add($0, $0, b) } }
    }

    public static func -= (lhs: inout Rational, rhs: Rational) {
        if lhs.big == nil && rhs.big == nil { lhs = lhs - rhs; return }
        rhs.withPointer { b in lhs.mutate { __gmpq_sub($0, $0, b) } }
    }

    public static func *= (lhs: inout Rational, rhs: Rational) {
        if lhs.big == nil && rhs.big == nil { lhs = lhs * rhs; return }
        rhs.withPointer { b in lhs.mutate { __gmpq_mul($0, $0, b) } }
    }

    public static prefix func - (operand: Rational) -> Rational {
        if operand.big == nil { return Rational(word: -operand.numeratorWord, operand.denominatorWord) }
        return .make { r in operand.withPointer { __gmpq_neg(r, $0) } }
    }

    public mutating func negate() { self = -self }
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
        if big == nil { return denominatorWord == 1 ? "\(numeratorWord)" : "\(numeratorWord)/\(denominatorWord)" }
        return withPointer { q in
            guard let cString = __gmpq_get_str(nil, 10, q) else { return "?" }
            defer { cgmp_free_string(cString) }
            return String(cString: cString)
        }
    }
}

extension Rational {
    /// The nearest Double, ties to even (GMP's mpq_get_d truncates; this does not).
    /// Magnitudes beyond the largest finite Double round to ±infinity, as IEEE 754 prescribes.
    public var doubleValue: Double {
        if isZero { return 0 }
        // Numerator and denominator below 2^53 are exact Doubles, and IEEE division rounds their quotient (in
        // [2^−53, 2^53], never subnormal) to nearest, ties to even: the same Double as below, without a BigInt.
        if big == nil {
            if numeratorWord.magnitude <= 1 << 53 && denominatorWord <= 1 << 53 {
                return Double(numeratorWord) / Double(denominatorWord)
            }
            // A power-of-two denominator (< 2^63): Double(n) rounds n to nearest, ties to even, and the scaling by
            // 2^−k is exact (|n/2^k| ≥ 2^−62 is far from the subnormals), so the product is n/2^k correctly rounded.
            if denominatorWord & (denominatorWord - 1) == 0 {
                return Double(numeratorWord) * (1 / Double(denominatorWord))
            }
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
