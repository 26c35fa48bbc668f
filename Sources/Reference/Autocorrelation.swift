/// The exact circular autocorrelation r(τ) = Σ_m k[m] k[m+τ] of an integer kernel (1D, or 2D over both axes), the
/// sums behind eq. (8): Σ_u |k̂₁(u)|²|k̂₂(u)|² = N Σ_τ r₁(τ) r₂(τ) and Σ_u |k̂(u)|² = N r(0).
///
/// Two routes, one value. Small kernels: the direct O(N²) loop in machine numbers. Larger ones: Kronecker
/// substitution — the kernel becomes one big integer P = Σ k[i][j]·2^{b·(i(2C−1)+j)} and its mirror another, one GMP
/// product (FFT multiplication at large sizes) holds every linear correlation L(α, β) = Σ k[i][j]·k[i+α][j+β] as a
/// b-bit signed digit (|L| ≤ Σk² < 2^{b−1} by Cauchy–Schwarz), and folding the lags mod R and mod C gives r.
public enum IntegerAutocorrelation: Sendable, Equatable {
    /// Every value fits in an Int.
    case machine([Int])
    case big([BigInt])

    /// Which route computes it; `.automatic` picks by size (`directLimit`).
    public enum Strategy: Sendable, CaseIterable { case automatic, direct, kronecker }

    /// Kernels of at most this many points take the direct loop when their entries allow it (see `direct`).
    public static let directLimit = 128

    /// The largest Kronecker product, in bits (2 GiB): a larger kernel is refused before anything is allocated.
    public static let maxProductBits = 1 << 34

    public var count: Int {
        switch self {
        case .machine(let r): r.count
        case .big(let r): r.count
        }
    }

    public subscript(index: Int) -> BigInt {
        switch self {
        case .machine(let r): BigInt(r[index])
        case .big(let r): r[index]
        }
    }

    public var values: [BigInt] {
        switch self {
        case .machine(let r): r.map { BigInt($0) }
        case .big(let r): r
        }
    }

    /// r for the row-major rows × columns integer kernel `k`, exactly.
    public init(_ k: [Int], rows: Int = 1, columns: Int, strategy: Strategy = .automatic) throws(ReferenceError) {
        try Self.checkShape(k.count, rows: rows, columns: columns)
        if strategy != .kronecker, strategy == .direct || k.count <= Self.directLimit,
            let r = Self.direct(k, rows: rows, columns: columns)
        {
            self = .machine(r)
        } else if k.allSatisfy({ $0.magnitude < 1 << 31 }) {
            // Σk² < N·2⁶² fits in an Int128.
            let squares = k.reduce(Int128(0)) { $0 + Int128($1) * Int128($1) }
            self = try Self.kronecker(k, rows: rows, columns: columns, boundBits: 128 - squares.leadingZeroBitCount)
        } else {
            try self.init(k.map { BigInt($0) }, rows: rows, columns: columns, strategy: strategy)
        }
    }

    /// r for an integer kernel of any size of entries, exactly (machine integers when they all fit).
    public init(_ k: [BigInt], rows: Int = 1, columns: Int, strategy: Strategy = .automatic) throws(ReferenceError) {
        try Self.checkShape(k.count, rows: rows, columns: columns)
        let small = k.compactMap(\.intValue)
        if small.count == k.count, small.allSatisfy({ $0.magnitude < 1 << 31 }) {
            try self.init(small, rows: rows, columns: columns, strategy: strategy)
            return
        }
        // Σk² < N·2^{2w} ≤ 2^{2w + bits(N)} for entries of at most w bits: checked before anything is allocated.
        let widest = k.reduce(0) { max($0, $1.bitWidth) }
        let boundBits =
            widest >= Self.maxProductBits ? Int.max : 2 * widest + Int.bitWidth - k.count.leadingZeroBitCount
        self = try Self.kronecker(k, rows: rows, columns: columns, boundBits: boundBits)
    }

    /// Equal values, whichever representation holds them.
    public static func == (lhs: IntegerAutocorrelation, rhs: IntegerAutocorrelation) -> Bool {
        if case .machine(let a) = lhs, case .machine(let b) = rhs { return a == b }
        return lhs.values == rhs.values
    }

    static func checkShape(_ count: Int, rows: Int, columns: Int) throws(ReferenceError) {
        guard rows >= 1, columns >= 1, rows.multipliedReportingOverflow(by: columns) == (count, false) else {
            throw .shapeMismatch("a kernel of \(count) values for the shape \(rows)×\(columns)")
        }
    }

    /// Σ_τ self(τ)·other(τ), exactly (Int128 with counted wrap-arounds when both are machine integers).
    public func dot(_ other: IntegerAutocorrelation) -> BigInt {
        guard case .machine(let a) = self, case .machine(let b) = other else {
            var sum = BigInt(0)
            for (x, y) in zip(values, other.values) { sum.addProduct(x, y) }
            return sum
        }
        var low: Int128 = 0, wraps = 0
        for t in 0..<min(a.count, b.count) {
            let p = Int128(a[t]) * Int128(b[t])  // |p| < 2¹²⁶
            let (sum, overflow) = low.addingReportingOverflow(p)
            low = sum
            if overflow { wraps += p > 0 ? 1 : -1 }
        }
        return BigInt(low) + BigInt(wraps).shiftedLeft(128)
    }

    /// The direct loop, or nil when |k|²·N ≥ 2⁵³. 1D runs on Doubles holding integers — exact, as every product and
    /// partial sum is an integer of magnitude ≤ max|k|²·N < 2⁵³ — over τ ≤ d/2 (r(d − τ) = r(τ)); 2D on Ints.
    static func direct(_ k: [Int], rows: Int, columns: Int) -> [Int]? {
        let n = k.count
        let maxAbs = k.reduce(0) { max($0, $1.magnitude > UInt(1 << 26) ? Int.max : abs($1)) }
        guard maxAbs < (1 << 26), Double(maxAbs) * Double(maxAbs) * Double(n) < 0x1p53 else { return nil }
        var r = [Int](repeating: 0, count: n)
        if rows == 1 {
            let kk = (k + k).map(Double.init)
            kk.withUnsafeBufferPointer { p in
                for tau in 0...(n / 2) {
                    var acc0 = 0.0, acc1 = 0.0
                    var m = 0
                    while m + 1 < n {
                        acc0 += p[m] * p[m + tau]
                        acc1 += p[m + 1] * p[m + 1 + tau]
                        m += 2
                    }
                    if m < n { acc0 += p[m] * p[m + tau] }
                    let value = Int(acc0 + acc1)
                    r[tau] = value
                    r[(n - tau) % n] = value
                }
            }
            return r
        }
        for a in 0..<rows {
            for b in 0..<columns {
                var sum = 0
                for i in 0..<rows {
                    for j in 0..<columns {
                        let x = k[i * columns + j]
                        if x != 0 { sum += x * k[((i + a) % rows) * columns + (j + b) % columns] }
                    }
                }
                r[a * columns + b] = sum
            }
        }
        return r
    }
}

/// An integer entry the Kronecker route can pack: its sign and its magnitude as limbs.
protocol KroneckerEntry {
    var kroneckerSign: Int { get }
    /// ORs |self| into `limbs` from `bitOffset` on (the field is zero and wide enough).
    func orMagnitude(into limbs: UnsafeMutablePointer<UInt>, at bitOffset: Int)
}

/// ORs `value` into `limbs` from `bitOffset` on.
@inline(__always) private func orBits(_ value: UInt, into limbs: UnsafeMutablePointer<UInt>, at bitOffset: Int) {
    let index = bitOffset >> 6, shift = bitOffset & 63
    limbs[index] |= value << shift
    if shift != 0, value >> (64 - shift) != 0 { limbs[index + 1] |= value >> (64 - shift) }
}

extension Int: KroneckerEntry {
    var kroneckerSign: Int { signum() }
    func orMagnitude(into limbs: UnsafeMutablePointer<UInt>, at bitOffset: Int) {
        orBits(magnitude, into: limbs, at: bitOffset)
    }
}

extension BigInt: KroneckerEntry {
    var kroneckerSign: Int { signum }
    func orMagnitude(into limbs: UnsafeMutablePointer<UInt>, at bitOffset: Int) {
        withMagnitudeLimbs { m in
            for (q, limb) in m.enumerated() { orBits(limb, into: limbs, at: bitOffset + 64 * q) }
        }
    }
}

extension IntegerAutocorrelation {
    /// The Kronecker route; Σk² < 2^boundBits bounds every linear correlation.
    static func kronecker<Entry: KroneckerEntry>(
        _ k: [Entry], rows: Int, columns: Int, boundBits: Int
    ) throws(ReferenceError) -> IntegerAutocorrelation {
        guard rows < maxProductBits, columns < maxProductBits, boundBits < maxProductBits,
            case let slots = (2 * rows - 1).multipliedReportingOverflow(by: 2 * columns - 1), !slots.overflow,
            case let bits = slots.partialValue.multipliedReportingOverflow(by: boundBits + 1), !bits.overflow,
            bits.partialValue <= maxProductBits
        else {
            throw .invalidArgument(
                "the exact autocorrelation of a \(rows)×\(columns) kernel with Σk² up to 2^\(boundBits) needs a "
                    + "product of more than \(maxProductBits) bits (2 GiB); give a smaller kernel or smaller entries")
        }
        let width = 2 * columns - 1  // slots per row: the column lags −(C−1)…C−1 never carry into the next row
        let b = boundBits + 1  // signed digits in [−2^{b−1}, 2^{b−1})
        let limbs = (rows * width * b) / 64 + 2
        /// Σ k[i][j]·2^{b·slot}; `mirrored` reads k backwards on both axes. One pass: the positive and the negative
        /// entries in two buffers, then one subtraction.
        func packed(mirrored: Bool) -> BigInt {
            var negative = BigInt()
            let positive = BigInt.fromLimbs(count: limbs) { plus in
                negative = BigInt.fromLimbs(count: limbs) { minus in
                    for i in 0..<rows {
                        for j in 0..<columns {
                            let x = k[i * columns + j], sign = x.kroneckerSign
                            if sign == 0 { continue }
                            let slot = mirrored ? (rows - 1 - i) * width + (columns - 1 - j) : i * width + j
                            x.orMagnitude(into: sign > 0 ? plus : minus, at: slot * b)
                        }
                    }
                }
            }
            return negative.isZero ? positive : positive - negative
        }
        let product = packed(mirrored: false) * packed(mirrored: true)
        let negated = product.signum < 0
        // The digit at slot p·width + q is L(α, β) = Σ k[i][j]·k[i+α][j+β] with (α, β) = (R−1−p, C−1−q); it adds
        // to r(α mod R, β mod C).
        func lag(row p: Int, column q: Int) -> Int {
            (p < rows ? rows - 1 - p : 2 * rows - 1 - p) * columns + (q < columns ? columns - 1 - q : width - q)
        }
        if b <= 62 {
            var r = [Int](repeating: 0, count: rows * columns)
            product.withMagnitudeLimbs { m in
                let mask: UInt = (1 << b) - 1, half: UInt = 1 << (b - 1)
                var carry: UInt = 0, p = 0, q = 0
                for t in 0..<slots.partialValue {
                    let offset = t * b, index = offset >> 6, shift = offset & 63
                    var u: UInt = index < m.count ? m[index] >> shift : 0
                    if shift + b > 64, index + 1 < m.count { u |= m[index + 1] << (64 - shift) }
                    u = (u & mask) + carry
                    carry = u >= half ? 1 : 0
                    let digit = Int(bitPattern: u) - Int(carry << b)
                    if digit != 0 { r[lag(row: p, column: q)] += negated ? -digit : digit }
                    q += 1
                    if q == width { (p, q) = (p + 1, 0) }
                }
            }
            return .machine(r)
        }
        let half = BigInt(1).shiftedLeft(b - 1), full = BigInt(1).shiftedLeft(b)
        let words = (b + 63) / 64, topBits = b - 64 * (words - 1)
        var r = [BigInt](repeating: 0, count: rows * columns)
        product.withMagnitudeLimbs { m in
            var carry = false, p = 0, q = 0
            for t in 0..<slots.partialValue {
                let offset = t * b, index = offset >> 6, shift = offset & 63
                var u = BigInt.fromLimbs(count: words) { field in
                    for w in 0..<words {
                        let source = index + w
                        var v: UInt = source < m.count ? m[source] >> shift : 0
                        if shift != 0, source + 1 < m.count { v |= m[source + 1] << (64 - shift) }
                        field[w] = v
                    }
                    if topBits < 64 { field[words - 1] &= (1 << topBits) - 1 }
                }
                if carry { u += 1 }
                carry = u >= half
                if carry { u -= full }
                if negated { r[lag(row: p, column: q)] -= u } else { r[lag(row: p, column: q)] += u }
                q += 1
                if q == width { (p, q) = (p + 1, 0) }
            }
        }
        return .big(r)
    }
}
