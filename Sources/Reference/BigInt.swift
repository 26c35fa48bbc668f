import CGMP

/// Owns one GMP integer; `deinit` clears it. Never shared mutably: `BigInt` copies on write.
@usableFromInline
final class IntegerStorage: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<__mpz_struct>

    @usableFromInline init() {
        pointer = .allocate(capacity: 1)
        __gmpz_init(pointer)
    }

    @usableFromInline convenience init(copying other: IntegerStorage) {
        self.init()
        __gmpz_set(pointer, other.pointer)
    }

    deinit {
        __gmpz_clear(pointer)
        pointer.deallocate()
    }
}

/// An arbitrary-precision integer on GMP's mpz, with value semantics (copy-on-write).
public struct BigInt: Sendable {
    @usableFromInline var storage: IntegerStorage

    @usableFromInline init(storage: IntegerStorage) { self.storage = storage }

    public init() { storage = IntegerStorage() }

    public init(_ value: Int) {
        storage = IntegerStorage()
        __gmpz_set_si(storage.pointer, value)
    }

    /// Read-only access to the mpz.
    @inlinable func withPointer<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        try body(storage.pointer)
    }

    /// Builds a new value by writing into a fresh mpz.
    @inlinable static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInt {
        let result = IntegerStorage()
        body(result.pointer)
        return BigInt(storage: result)
    }

    @inlinable mutating func mutate(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = IntegerStorage(copying: storage) }
        body(storage.pointer)
    }

    /// −1, 0 or +1.
    public var signum: Int { Int(cgmp_mpz_sgn(storage.pointer)) }
    public var isZero: Bool { signum == 0 }
    public var isOdd: Bool { cgmp_mpz_odd_p(storage.pointer) != 0 }

    /// Number of bits of |self| (0 for 0).
    public var bitWidth: Int { isZero ? 0 : Int(__gmpz_sizeinbase(storage.pointer, 2)) }

    /// The value as an `Int` when it fits.
    public var intValue: Int? {
        __gmpz_fits_slong_p(storage.pointer) != 0 ? __gmpz_get_si(storage.pointer) : nil
    }

    public func isBitSet(_ index: Int) -> Bool { __gmpz_tstbit(storage.pointer, UInt(index)) != 0 }

    /// Index of the lowest set bit at or above `index` (Int.max if none).
    public func lowestSetBit(from index: Int = 0) -> Int {
        let r = __gmpz_scan1(storage.pointer, UInt(index))
        return r == UInt.max ? Int.max : Int(r)
    }

    public func shiftedLeft(_ bits: Int) -> BigInt {
        precondition(bits >= 0)
        return .make { __gmpz_mul_2exp($0, storage.pointer, UInt(bits)) }
    }

    /// ⌊|self| / 2^bits⌋ with the sign of self (truncation).
    public func shiftedRight(_ bits: Int) -> BigInt {
        precondition(bits >= 0)
        return .make { __gmpz_tdiv_q_2exp($0, storage.pointer, UInt(bits)) }
    }

    /// Truncating division: quotient rounded toward zero, remainder with the sign of self.
    public func quotientAndRemainder(dividingBy divisor: BigInt) throws(ReferenceError) -> (
        quotient: BigInt, remainder: BigInt
    ) {
        guard !divisor.isZero else { throw .divisionByZero(context: "integer division of \(self)") }
        let q = IntegerStorage(), r = IntegerStorage()
        __gmpz_tdiv_qr(q.pointer, r.pointer, storage.pointer, divisor.storage.pointer)
        return (BigInt(storage: q), BigInt(storage: r))
    }

    /// Exact division when divisor | self (checked).
    public func exactlyDivided(by divisor: BigInt) throws(ReferenceError) -> BigInt {
        let (q, r) = try quotientAndRemainder(dividingBy: divisor)
        guard r.isZero else { throw .invalidArgument("\(divisor) does not divide \(self)") }
        return q
    }

    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        .make { __gmpz_gcd($0, a.storage.pointer, b.storage.pointer) }
    }

    /// self^exponent for exponent ≥ 0.
    public func power(_ exponent: Int) throws(ReferenceError) -> BigInt {
        guard exponent >= 0 else {
            throw .invalidArgument("integer power needs a non-negative exponent, got \(exponent)")
        }
        return .make { __gmpz_pow_ui($0, storage.pointer, UInt(exponent)) }
    }
}

extension BigInt: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension BigInt: Equatable, Hashable, Comparable {
    public static func == (lhs: BigInt, rhs: BigInt) -> Bool {
        __gmpz_cmp(lhs.storage.pointer, rhs.storage.pointer) == 0
    }

    public static func < (lhs: BigInt, rhs: BigInt) -> Bool {
        __gmpz_cmp(lhs.storage.pointer, rhs.storage.pointer) < 0
    }

    public func hash(into hasher: inout Hasher) {
        let raw = storage.pointer.pointee
        hasher.combine(raw._mp_size)
        let count = Int(abs(raw._mp_size))
        if count > 0, let limbs = raw._mp_d {
            for i in 0..<count { hasher.combine(limbs[i]) }
        }
    }
}

extension BigInt: SignedNumeric {
    public init?<T: BinaryInteger>(exactly source: T) {
        if let small = Int(exactly: source) { self.init(small); return }
        guard let parsed = BigInt(String(source)) else { return nil }
        self = parsed
    }

    public var magnitude: BigInt { .make { __gmpz_abs($0, storage.pointer) } }

    /// ⌊√self⌋, nil for a negative value.
    public var integerSquareRoot: BigInt? { signum < 0 ? nil : .make { __gmpz_sqrt($0, storage.pointer) } }

    public static func + (lhs: BigInt, rhs: BigInt) -> BigInt {
        .make { __gmpz_add($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func - (lhs: BigInt, rhs: BigInt) -> BigInt {
        .make { __gmpz_sub($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func * (lhs: BigInt, rhs: BigInt) -> BigInt {
        .make { __gmpz_mul($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func += (lhs: inout BigInt, rhs: BigInt) {
        let r = rhs.storage
        lhs.mutate { __gmpz_add($0, $0, r.pointer) }
    }

    public static func -= (lhs: inout BigInt, rhs: BigInt) {
        let r = rhs.storage
        lhs.mutate { __gmpz_sub($0, $0, r.pointer) }
    }

    public static func *= (lhs: inout BigInt, rhs: BigInt) {
        let r = rhs.storage
        lhs.mutate { __gmpz_mul($0, $0, r.pointer) }
    }

    public static prefix func - (operand: BigInt) -> BigInt {
        .make { __gmpz_neg($0, operand.storage.pointer) }
    }

    public mutating func negate() { mutate { __gmpz_neg($0, $0) } }
}

extension BigInt: LosslessStringConvertible {
    /// Parses an optionally signed run of decimal digits; anything else is nil.
    public init?(_ description: String) {
        var digits = Substring(description)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let result = IntegerStorage()
        let status = description.withCString {
            __gmpz_set_str(result.pointer, description.first == "+" ? $0 + 1 : $0, 10)
        }
        guard status == 0 else { return nil }
        storage = result
    }

    public var description: String {
        guard let cString = __gmpz_get_str(nil, 10, storage.pointer) else { return "?" }
        defer { cgmp_free_string(cString) }
        return String(cString: cString)
    }
}

/// Limb access and the few mpz calls of the Kronecker route (`Autocorrelation.swift`).
extension BigInt {
    /// The value of an Int128, exactly.
    public init(_ value: Int128) {
        self = .make { z in
            __gmpz_set_si(z, Int(truncatingIfNeeded: value >> 64))
            __gmpz_mul_2exp(z, z, 64)
            __gmpz_add_ui(z, z, UInt(truncatingIfNeeded: value))
        }
    }

    /// The non-negative integer whose `count` ≥ 1 limbs (least significant first, 64 bits each) `fill` writes into a
    /// zeroed buffer.
    static func fromLimbs(count: Int, _ fill: (UnsafeMutablePointer<UInt>) -> Void) -> BigInt {
        .make { z in
            let limbs = __gmpz_limbs_write(z, count)!
            limbs.initialize(repeating: 0, count: count)
            fill(limbs)
            __gmpz_limbs_finish(z, count)
        }
    }

    /// The limbs of |self|, least significant first (empty for 0).
    func withMagnitudeLimbs<R>(_ body: (UnsafeBufferPointer<UInt>) throws -> R) rethrows -> R {
        let count = Int(__gmpz_size(storage.pointer))
        return try body(UnsafeBufferPointer(start: count == 0 ? nil : __gmpz_limbs_read(storage.pointer), count: count))
    }

    /// self += a·b.
    mutating func addProduct(_ a: BigInt, _ b: BigInt) {
        let (x, y) = (a.storage, b.storage)
        mutate { __gmpz_addmul($0, x.pointer, y.pointer) }
    }

    public static func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
        .make { __gmpz_lcm($0, a.storage.pointer, b.storage.pointer) }
    }
}
