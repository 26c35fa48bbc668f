import CGMP
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exact element Σ_{j<φ(n)} c_j ζ_n^j of Q(ζ_n) (App. B.4), stored by its field and its canonical
/// power-basis coefficients, so `==` and hashing are exact. Elements of different fields are never `==`:
/// embed both in a common field first (`embedded(in:)`).
/// Binary operations throw `ReferenceError.fieldMismatch` when the operands' fields differ.
public struct Cyclotomic: Sendable, Hashable, CustomStringConvertible {
    public let field: CyclotomicField
    /// Power-basis coefficients c_0 … c_{φ(n)−1}.
    public let coefficients: [Rational]

    init(field: CyclotomicField, canonical: [Rational]) {
        precondition(canonical.count == field.degree)
        self.field = field
        self.coefficients = canonical
    }

    /// The rational r in Q(ζ_n).
    public init(_ value: Rational, in field: CyclotomicField) {
        var c = [Rational](repeating: .zero, count: field.degree)
        c[0] = value
        self.init(field: field, canonical: c)
    }

    public init(_ value: Int, in field: CyclotomicField) { self.init(Rational(value), in: field) }

    /// ζ_n^k for any integer k.
    public static func zeta(_ k: Int = 1, in field: CyclotomicField) -> Cyclotomic {
        Cyclotomic(field: field, canonical: field.powerBasisCoefficients(ofZetaPower: k))
    }

    /// Σ_{k<n} e[k] ζ_n^k, reduced; e must have length n.
    public init(exponentCoefficients e: [Rational], in field: CyclotomicField) throws(ReferenceError) {
        guard e.count == field.order else {
            throw .shapeMismatch("Q(ζ_\(field.order)) takes \(field.order) exponent coefficients, got \(e.count)")
        }
        self.init(field: field, canonical: field.reduce(exponentCoefficients: e))
    }

    /// Power-basis coefficients directly; the count must be φ(n).
    public init(coefficients c: [Rational], in field: CyclotomicField) throws(ReferenceError) {
        guard c.count == field.degree else {
            throw .shapeMismatch("Q(ζ_\(field.order)) has degree \(field.degree), got \(c.count) coefficients")
        }
        self.init(field: field, canonical: c)
    }

    public var order: Int { field.order }
    public var isZero: Bool { coefficients.allSatisfy(\.isZero) }
    /// True when the element lies in Q (only the coefficient of 1 is non-zero).
    public var isRational: Bool { coefficients.dropFirst().allSatisfy(\.isZero) }
    public var rationalValue: Rational? { isRational ? coefficients[0] : nil }

    // MARK: field checks

    @inline(__always) func requireSameField(_ other: Cyclotomic) throws(ReferenceError) {
        guard field.order == other.field.order else { throw .fieldMismatch(field.order, other.field.order) }
    }

    // MARK: ring operations (same field)

    func uncheckedAdding(_ other: Cyclotomic) -> Cyclotomic {
        Cyclotomic(field: field, canonical: zip(coefficients, other.coefficients).map { $0 + $1 })
    }

    func uncheckedSubtracting(_ other: Cyclotomic) -> Cyclotomic {
        Cyclotomic(field: field, canonical: zip(coefficients, other.coefficients).map { $0 - $1 })
    }

    func uncheckedMultiplied(by other: Cyclotomic) -> Cyclotomic {
        Cyclotomic(field: field, canonical: CyclotomicKernel.product(coefficients, other.coefficients, in: field))
    }

    public func adding(_ other: Cyclotomic) throws(ReferenceError) -> Cyclotomic {
        try requireSameField(other)
        return uncheckedAdding(other)
    }

    public func subtracting(_ other: Cyclotomic) throws(ReferenceError) -> Cyclotomic {
        try requireSameField(other)
        return uncheckedSubtracting(other)
    }

    public func multiplied(by other: Cyclotomic) throws(ReferenceError) -> Cyclotomic {
        try requireSameField(other)
        return uncheckedMultiplied(by: other)
    }

    public static func + (lhs: Cyclotomic, rhs: Cyclotomic) throws(ReferenceError) -> Cyclotomic { try lhs.adding(rhs) }
    public static func - (lhs: Cyclotomic, rhs: Cyclotomic) throws(ReferenceError) -> Cyclotomic {
        try lhs.subtracting(rhs)
    }
    public static func * (lhs: Cyclotomic, rhs: Cyclotomic) throws(ReferenceError) -> Cyclotomic {
        try lhs.multiplied(by: rhs)
    }
    public static func += (lhs: inout Cyclotomic, rhs: Cyclotomic) throws(ReferenceError) { lhs = try lhs.adding(rhs) }
    public static func -= (lhs: inout Cyclotomic, rhs: Cyclotomic) throws(ReferenceError) {
        lhs = try lhs.subtracting(rhs)
    }
    public static func *= (lhs: inout Cyclotomic, rhs: Cyclotomic) throws(ReferenceError) {
        lhs = try lhs.multiplied(by: rhs)
    }

    public static prefix func - (operand: Cyclotomic) -> Cyclotomic {
        Cyclotomic(field: operand.field, canonical: operand.coefficients.map { -$0 })
    }

    /// r·x for a rational scalar r.
    public func scaled(by r: Rational) -> Cyclotomic {
        Cyclotomic(field: field, canonical: coefficients.map { $0 * r })
    }

    public static func * (lhs: Rational, rhs: Cyclotomic) -> Cyclotomic { rhs.scaled(by: lhs) }
    public static func * (lhs: Cyclotomic, rhs: Rational) -> Cyclotomic { lhs.scaled(by: rhs) }

    /// x·ζ^k (a rotation of exponents, then reduction).
    public func multipliedByZetaPower(_ k: Int) -> Cyclotomic {
        var acc = CyclotomicAccumulator(field: field)
        acc.add(self, rotatedBy: k)
        return acc.result
    }

    /// x^k; a negative k of zero is a typed error.
    public func power(_ k: Int) throws(ReferenceError) -> Cyclotomic {
        if k < 0 { return try inverse().power(-k) }
        var result = field.one, base = self, e = k
        while e > 0 {
            if e & 1 == 1 { result = result.uncheckedMultiplied(by: base) }
            e >>= 1
            if e > 0 { base = base.uncheckedMultiplied(by: base) }
        }
        return result
    }

    /// 1/x = (∏_{σ ≠ 1} σ(x)) / N(x), with the product over the Galois group taken along a polycyclic chain
    /// (each orbit product by doubling): O(log φ(n)) multiplications per generator. Exact for every n ≥ 1.
    public func inverse() throws(ReferenceError) -> Cyclotomic {
        guard !isZero else { throw .divisionByZero(context: "the inverse of 0 in Q(ζ_\(field.order))") }
        let (norm, others) = galoisProducts()
        return others.scaled(by: try norm.reciprocal())
    }

    /// (N(x), ∏_{σ ≠ 1} σ(x)), multiplying along the field's polycyclic chain of Galois generators.
    func galoisProducts() -> (norm: Rational, others: Cyclotomic) {
        var others = field.one, current = self
        for (g, o) in field.galoisChain {
            // current = ∏_{h ∈ H} h(x); R = ∏_{1 ≤ j < o} σ_g^j(current), so ∏_{h ∈ ⟨H, g⟩} h(x) = current·R.
            let r = orbitProduct(current, generator: g, length: o - 1).uncheckedGalois(g)
            others = others.uncheckedMultiplied(by: r)
            current = current.uncheckedMultiplied(by: r)
        }
        guard let norm = current.rationalValue else {
            preconditionFailure("the product over the Galois group is rational")
        }
        return (norm, others)
    }

    /// ∏_{0 ≤ j < m} σ_g^j(y), by P(2h) = P(h)·σ_{g^h}(P(h)) and P(2h + 1) = P(2h)·σ_{g^{2h}}(y).
    func orbitProduct(_ y: Cyclotomic, generator g: Int, length m: Int) -> Cyclotomic {
        if m == 0 { return field.one }
        if m == 1 { return y }
        let n = field.order, h = m / 2
        func gPower(_ e: Int) -> Int {
            var r = 1 % n
            for _ in 0..<e { r = r * g % n }
            return r
        }
        let half = orbitProduct(y, generator: g, length: h)
        var result = half.uncheckedMultiplied(by: half.uncheckedGalois(gPower(h)))
        if m % 2 == 1 { result = result.uncheckedMultiplied(by: y.uncheckedGalois(gPower(2 * h))) }
        return result
    }

    public func divided(by other: Cyclotomic) throws(ReferenceError) -> Cyclotomic {
        try requireSameField(other)
        return uncheckedMultiplied(by: try other.inverse())
    }

    public static func / (lhs: Cyclotomic, rhs: Cyclotomic) throws(ReferenceError) -> Cyclotomic {
        try lhs.divided(by: rhs)
    }

    // MARK: Galois structure

    /// σ_a: ζ ↦ ζ^a for gcd(a, n) = 1 (a may be negative); otherwise a typed error.
    public func galois(_ a: Int) throws(ReferenceError) -> Cyclotomic {
        let g = Primes.gcd(a, field.order)
        guard g == 1 else {
            throw .invalidArgument(
                "σ_a on Q(ζ_\(field.order)) needs gcd(a, \(field.order)) = 1, but gcd(\(a), \(field.order)) = \(g)")
        }
        return uncheckedGalois(a)
    }

    func uncheckedGalois(_ a: Int) -> Cyclotomic {
        let n = field.order, am = Primes.mod(a, n)
        var e = [Rational](repeating: .zero, count: n)
        for (j, c) in coefficients.enumerated() where !c.isZero { e[(am * j) % n] = c }  // a·j distinct mod n
        return Cyclotomic(field: field, canonical: field.reduce(exponentCoefficients: e))
    }

    /// Complex conjugation σ_{−1}.
    public var conjugate: Cyclotomic { uncheckedGalois(-1) }

    /// σ_a(x) for every a in `field.units`, in that order.
    public var conjugates: [Cyclotomic] { field.units.map { uncheckedGalois($0) } }

    /// |x|² = x·conj(x), an element of the real subfield.
    public var squaredModulus: Cyclotomic { uncheckedMultiplied(by: conjugate) }

    /// Tr_{Q(ζ_n)/Q}(x) = Σ_j c_j Tr(ζ^j), with Tr(ζ^j) a Ramanujan sum.
    public var trace: Rational {
        var t = Rational.zero
        for (j, c) in coefficients.enumerated() where !c.isZero && field.powerTraces[j] != 0 {
            t += c * Rational(field.powerTraces[j])
        }
        return t
    }

    /// N_{Q(ζ_n)/Q}(x) = ∏_σ σ(x), multiplied along a polycyclic chain of Galois generators.
    public var norm: Rational { galoisProducts().norm }

    /// N(x) computed independently as Res(Φ_n, x(X)) (Φ_n monic), by the Euclidean resultant over Q.
    public var normByResultant: Rational {
        CyclotomicPolynomialArithmetic.resultant(
            field.polynomial.map { Rational($0) },
            CyclotomicPolynomialArithmetic.trimmed(coefficients))
    }

    /// The same number in Q(ζ_m) for n | m (ζ_n = ζ_m^{m/n}); otherwise a typed error.
    public func embedded(in target: CyclotomicField) throws(ReferenceError) -> Cyclotomic {
        let n = field.order, m = target.order
        guard m % n == 0 else {
            throw .invalidArgument("Q(ζ_\(n)) embeds in Q(ζ_\(m)) only when \(n) divides \(m)")
        }
        if m == n { return Cyclotomic(field: target, canonical: coefficients) }
        var acc = CyclotomicAccumulator(field: target)
        let step = m / n
        for (j, c) in coefficients.enumerated() where !c.isZero { acc.add(c, atExponent: j * step) }
        return acc.result
    }

    /// `embedded(in:)` building Q(ζ_m).
    public func embedded(in m: Int) throws(ReferenceError) -> Cyclotomic {
        try embedded(in: try CyclotomicField(order: m))
    }

    // MARK: conversion to Double

    /// Re and Im as Doubles, each within `errorBound` of the exact value.
    /// Bound: coefficients rounded to nearest (≤ u relative, u = 2⁻⁵³), cos/sin of fl(2πj/n) within 24u absolute
    /// (angle error ≤ 2.5u·2π plus ≤ 2 ulp from libm), products ≤ u, recursive summation γ_{m−1}·Σ|terms|:
    /// errorBound = (32 + 2m)·u·Σ|ĉ_j| (+ 2⁻¹⁰⁷³ per subnormal term), m = number of non-zero coefficients.
    public func approximation() -> (real: Double, imaginary: Double, errorBound: Double) {
        conjugateApproximations([1])[0]
    }

    /// `approximation()` of σ_a(self) = Σ_j c_j ζ^{aj} for each a in `exponents` (a ∈ Z_n^*; any integer gives
    /// the value Σ_j c_j ζ^{aj}), converting each coefficient to Double once. The bound is `approximation()`'s:
    /// the unreduced sum Σ_j c_j ζ^{(aj mod n)} has the same coefficients, so the same rounding analysis holds.
    /// For a rational kernel k of prime length p, k̂(u) = σ_u(k̂(1)): all p − 1 non-zero frequencies from one element.
    public func conjugateApproximations(_ exponents: [Int]) -> [(real: Double, imaginary: Double, errorBound: Double)] {
        let order = field.order, n = Double(order)
        var terms: [(j: Int, c: Double)] = []
        var sumAbs = 0.0, extra = 0.0
        for (j, c) in coefficients.enumerated() where !c.isZero {
            let cj = c.doubleValue
            guard cj.isFinite else { return exponents.map { _ in (.nan, .nan, .infinity) } }
            terms.append((j, cj))
            sumAbs += abs(cj)
            if abs(cj) < 0x1p-1022 { extra += 0x1p-1073 }
        }
        let bound = (32 + 2 * Double(terms.count)) * 0x1p-53 * sumAbs + extra
        /// cos/sin of fl(2πk/n): from a table when several conjugates are wanted, directly for one.
        var cosines: [Double] = [], sines: [Double] = []
        if exponents.count > 1 {
            cosines = (0..<order).map { cos(2 * Double.pi * Double($0) / n) }
            sines = (0..<order).map { sin(2 * Double.pi * Double($0) / n) }
        }
        return exponents.map { a in
            var re = 0.0, im = 0.0
            let step = Primes.mod(a, order)
            for t in terms {
                let k = (t.j * step) % order
                if cosines.isEmpty {
                    let theta = 2 * Double.pi * Double(k) / n
                    re += t.c * cos(theta)
                    im += t.c * sin(theta)
                } else {
                    re += t.c * cosines[k]
                    im += t.c * sines[k]
                }
            }
            return (re, im, bound)
        }
    }

    // MARK: Hashable, description

    public static func == (lhs: Cyclotomic, rhs: Cyclotomic) -> Bool {
        lhs.field.order == rhs.field.order && lhs.coefficients == rhs.coefficients
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(field.order)
        hasher.combine(coefficients)
    }

    /// E.g. "1/2 + 3·ζ_9^2 - ζ_9^5".
    public var description: String {
        var parts: [String] = []
        for (j, c) in coefficients.enumerated() where !c.isZero {
            let power = j == 0 ? "" : (j == 1 ? "ζ_\(field.order)" : "ζ_\(field.order)^\(j)")
            let magnitude = c.magnitude
            let body: String
            if j == 0 {
                body = magnitude.description
            } else if magnitude == .one {
                body = power
            } else {
                body = "\(magnitude)·\(power)"
            }
            if parts.isEmpty {
                parts.append(c.signum < 0 ? "-" + body : body)
            } else {
                parts.append((c.signum < 0 ? "- " : "+ ") + body)
            }
        }
        return parts.isEmpty ? "0" : parts.joined(separator: " ")
    }
}

/// Accumulates Σ r_i ζ^{e_i} and Σ x_i ζ^{e_i} in exponent space (length n), reducing once at the end.
struct CyclotomicAccumulator {
    let field: CyclotomicField
    var slots: [Rational]

    init(field: CyclotomicField) {
        self.field = field
        slots = [Rational](repeating: .zero, count: field.order)
    }

    mutating func add(_ r: Rational, atExponent e: Int) {
        guard !r.isZero else { return }
        slots[Primes.mod(e, field.order)] += r
    }

    /// Adds x·ζ^e; x must lie in this field.
    mutating func add(_ x: Cyclotomic, rotatedBy e: Int) {
        let n = field.order, shift = Primes.mod(e, n)
        for (j, c) in x.coefficients.enumerated() where !c.isZero {
            var k = j + shift
            if k >= n { k -= n }
            slots[k] += c
        }
    }

    var result: Cyclotomic { Cyclotomic(field: field, canonical: field.reduce(exponentCoefficients: slots)) }
}

/// Multiplication on integers: clear denominators, convolve modulo x^n − 1 with mpz_addmul, reduce by the table.
enum CyclotomicKernel {
    static func product(_ a: [Rational], _ b: [Rational], in field: CyclotomicField) -> [Rational] {
        let n = field.order, phi = field.degree
        let (numA, denA) = integerForm(a), (numB, denB) = integerForm(b)
        let nonZeroA = numA.indices.filter { !numA[$0].isZero }
        let nonZeroB = numB.indices.filter { !numB[$0].isZero }
        let acc = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: n)
        for i in 0..<n { __gmpz_init(acc + i) }
        defer {
            for i in 0..<n { __gmpz_clear(acc + i) }
            acc.deallocate()
        }
        withExtendedLifetime((numA, numB)) {
            for i in nonZeroA {
                let pa = numA[i].storage.pointer
                for j in nonZeroB {
                    var k = i + j
                    if k >= n { k -= n }
                    __gmpz_addmul(acc + k, pa, numB[j].storage.pointer)
                }
            }
        }
        // Fold ζ^k, k ≥ φ, into the basis slots (indices < φ ≤ k, so no aliasing).
        withExtendedLifetime(field) {
            for k in phi..<n where cgmp_mpz_sgn(acc + k) != 0 {
                for term in field.reduction[k] {
                    switch term.unit {
                    case 1: __gmpz_add(acc + term.index, acc + term.index, acc + k)
                    case -1: __gmpz_sub(acc + term.index, acc + term.index, acc + k)
                    default: __gmpz_addmul(acc + term.index, acc + k, term.coefficient.storage.pointer)
                    }
                }
            }
        }
        let den = denA * denB
        return (0..<phi).map { i in
            if cgmp_mpz_sgn(acc + i) == 0 { return Rational.zero }
            return withExtendedLifetime(den) {
                Rational.make { q in
                    __gmpz_set(cgmp_mpq_numref(q), acc + i)
                    __gmpz_set(cgmp_mpq_denref(q), den.storage.pointer)
                    __gmpq_canonicalize(q)
                }
            }
        }
    }

    /// c = num / den with den = lcm of the denominators.
    static func integerForm(_ c: [Rational]) -> (numerators: [BigInt], denominator: BigInt) {
        var den = BigInt(1)
        for x in c where !x.isInteger {
            x.withPointer { p in den.mutate { __gmpz_lcm($0, $0, cgmp_mpq_denref_const(p)) } }
        }
        let nums = c.map { x -> BigInt in
            if x.isZero { return BigInt() }
            return x.withPointer { p in
                den.withPointer { l in
                    BigInt.make { r in
                        __gmpz_divexact(r, l, cgmp_mpq_denref_const(p))
                        __gmpz_mul(r, r, cgmp_mpq_numref_const(p))
                    }
                }
            }
        }
        return (nums, den)
    }
}

/// Dense polynomials over Q, coefficients from the constant term up; `trimmed` drops trailing zeros.
enum CyclotomicPolynomialArithmetic {
    static func trimmed(_ p: [Rational]) -> [Rational] {
        var r = p
        while let last = r.last, last.isZero { r.removeLast() }
        return r
    }

    /// a = q·b + r with deg r < deg b; b must be non-zero and trimmed.
    static func divMod(_ a: [Rational], _ b: [Rational]) -> (quotient: [Rational], remainder: [Rational]) {
        precondition(!b.isEmpty && !b.last!.isZero)
        var r = trimmed(a)
        guard r.count >= b.count else { return ([], r) }
        let inverseLead = try! b.last!.reciprocal()
        var q = [Rational](repeating: .zero, count: r.count - b.count + 1)
        for i in stride(from: r.count - b.count, through: 0, by: -1) {
            let top = r[i + b.count - 1]
            if top.isZero { continue }
            let coefficient = top * inverseLead
            q[i] = coefficient
            for (j, y) in b.enumerated() where !y.isZero { r[i + j] -= coefficient * y }
        }
        return (trimmed(q), trimmed(Array(r.prefix(b.count - 1))))
    }

    /// Res(a, b) for trimmed a, b with deg a ≥ 1: Res(A, B) = (−1)^{mk} lc(B)^{m − deg R} Res(B, R), R = A mod B.
    static func resultant(_ a: [Rational], _ b: [Rational]) -> Rational {
        var a = a, b = b, factor = Rational.one
        while true {
            guard !b.isEmpty else { return .zero }
            let m = a.count - 1, k = b.count - 1
            if k == 0 { return factor * (try! b[0].power(m)) }
            let r = divMod(a, b).remainder
            guard !r.isEmpty else { return .zero }
            if (m * k) % 2 == 1 { factor.negate() }
            factor *= try! b[k].power(m - (r.count - 1))
            (a, b) = (b, r)
        }
    }
}
