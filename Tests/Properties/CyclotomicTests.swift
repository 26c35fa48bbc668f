import Fast
import Testing
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
@testable import Reference

/// Seeded SplitMix64 for these tests only (never the system RNG).
private struct CyclotomicRandom {
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
    /// Small rationals, zero a quarter of the time.
    mutating func rational() -> Rational {
        if int(0...3) == 0 { return .zero }
        return try! Rational(int(-7...7), int(1...5))
    }
    /// A random element, built from exponent coefficients (so the reduction is exercised).
    mutating func element(_ field: CyclotomicField) -> Cyclotomic {
        try! Cyclotomic(
            exponentCoefficients: (0..<field.order).map { _ in int(0...1) == 0 ? .zero : rational() }, in: field)
    }
    mutating func nonZeroElement(_ field: CyclotomicField) -> Cyclotomic {
        while true {
            let x = element(field)
            if !x.isZero { return x }
        }
    }
}

private let testOrders = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 21, 25]

/// The typed error thrown by `body`, or nil.
private func thrownError<T>(_ body: () throws(ReferenceError) -> T) -> ReferenceError? {
    do { _ = try body(); return nil } catch { return error }
}

/// Σ e_k e^{2πik/n} with an error allowance: in Float80 (ε = 2⁻⁶⁴) on x86_64, else in Double.
private func referenceEvaluation(_ e: [Rational], _ n: Int) -> (Double, Double, Double) {
    #if arch(x86_64) && os(Linux)
        var re: Float80 = 0, im: Float80 = 0, mass: Float80 = 0
        for (k, c) in e.enumerated() where !c.isZero {
            let value = Float80(c.numerator.intValue!) / Float80(c.denominator.intValue!)
            let theta = 2 * Float80.pi * Float80(k) / Float80(n)
            re += value * cosl(theta)
            im += value * sinl(theta)
            mass += abs(value)
        }
        return (Double(re), Double(im), Double(64 * 0x1p-64 * mass + 0x1p-60 * abs(re) + 0x1p-60 * abs(im)))
    #else
        var re = 0.0, im = 0.0, mass = 0.0
        for (k, c) in e.enumerated() where !c.isZero {
            let theta = 2 * Double.pi * Double(k) / Double(n)
            re += c.doubleValue * cos(theta)
            im += c.doubleValue * sin(theta)
            mass += abs(c.doubleValue)
        }
        return (re, im, (32 + 2 * Double(e.count)) * 0x1p-53 * mass)
    #endif
}

@Suite struct CyclotomicTests {
    @Test func cyclotomicFieldAxioms() throws {
        var rng = CyclotomicRandom(seed: 0xC1C1_0001)
        for n in testOrders {
            let f = try CyclotomicField(order: n)
            let zero = f.zero, one = f.one
            for _ in 0..<12 {
                let (a, b, c) = (rng.element(f), rng.element(f), rng.element(f))
                #expect(try (a + b) + c == a + (b + c))
                #expect(try (a * b) * c == a * (b * c))
                #expect(try a + b == b + a)
                #expect(try a * b == b * a)
                #expect(try a * (b + c) == a * b + a * c)
                #expect(try a + zero == a)
                #expect(try a * one == a)
                #expect(try a + (-a) == zero)
                #expect(try a - b == a + (-b))
                let r = rng.rational()
                #expect(a.scaled(by: r) == (try Cyclotomic(r, in: f) * a))
                let x = rng.nonZeroElement(f)
                let inv = try x.inverse()
                #expect(try x * inv == one)
                #expect(try inv.inverse() == x)
                #expect(try (a * x) / x == a)
                #expect(try x.power(-2) * x.power(3) == x)
            }
            if case .divisionByZero? = thrownError({ () throws(ReferenceError) in try zero.inverse() }) {
            } else {
                Issue.record("the inverse of 0 in Q(ζ_\(n)) must be a divisionByZero error")
            }
            // Products of non-zero elements are non-zero (no zero divisors: Φ_n is irreducible).
            for _ in 0..<5 {
                #expect(!(try rng.nonZeroElement(f) * rng.nonZeroElement(f)).isZero)
            }
        }
    }

    @Test func cyclotomicZetaAndPolynomial() throws {
        for n in testOrders {
            let f = try CyclotomicField(order: n)
            // deg = φ(n), counted directly.
            let phi = (1...n).filter { k in (1...k).last { k % $0 == 0 && n % $0 == 0 } == 1 }.count
            #expect(f.degree == phi)
            #expect(f.polynomial.count == phi + 1 && f.polynomial.last == 1)
            let z = f.zeta()
            #expect(try z.power(n) == f.one)
            #expect(try f.zeta(n) == f.one && f.zeta(-1) == z.inverse())
            // ζ is primitive: ζ^k ≠ 1 for 0 < k < n.
            for k in 1..<max(n, 1) { #expect(try z.power(k) != f.one) }
            // ζ^j·ζ^k = ζ^{j+k} for exponents of either sign.
            for j in -n...n { #expect(try f.zeta(j) * z == f.zeta(j + 1)) }
            // Φ_n(ζ) = 0 by Horner in the field.
            var value = f.zero
            for c in f.polynomial.reversed() { value = try value * z + Cyclotomic(Rational(c), in: f) }
            #expect(value.isZero)
            // x^n − 1 = ∏_{d | n} Φ_d as integer polynomials.
            var product: [BigInt] = [1]
            for d in 1...n where n % d == 0 {
                let phiD = try CyclotomicField(order: d).polynomial
                var next = [BigInt](repeating: 0, count: product.count + phiD.count - 1)
                for (i, a) in product.enumerated() { for (j, b) in phiD.enumerated() { next[i + j] += a * b } }
                product = next
            }
            #expect(product == [BigInt(-1)] + [BigInt](repeating: 0, count: n - 1) + [BigInt(1)])
        }
        // A few known polynomials (constant term first).
        #expect(try CyclotomicField(order: 1).polynomial == [-1, 1])
        #expect(try CyclotomicField(order: 9).polynomial == [1, 0, 0, 1, 0, 0, 1])
        #expect(try CyclotomicField(order: 12).polynomial == [1, 0, -1, 0, 1])
        #expect(try CyclotomicField(order: 15).polynomial == [1, -1, 0, 1, -1, 1, 0, -1, 1])
    }

    @Test func cyclotomicGaloisAutomorphisms() throws {
        var rng = CyclotomicRandom(seed: 0xC1C1_0002)
        for n in testOrders {
            let f = try CyclotomicField(order: n)
            for _ in 0..<4 {
                let (x, y) = (rng.element(f), rng.element(f))
                #expect(try x.galois(-1) == x.conjugate)
                #expect(try x.galois(1) == x)
                #expect(x.conjugate.conjugate == x)
                for a in f.units {
                    let sa = try x.galois(a)
                    #expect(try sa == x.galois(a + n) && sa == x.galois(a - 3 * n))
                    #expect(try (x * y).galois(a) == sa * y.galois(a))
                    #expect(try (x + y).galois(a) == sa + y.galois(a))
                    #expect(f.zeta().conjugate == f.zeta(-1))
                    #expect(try f.zeta().galois(a) == f.zeta(a))
                    for b in f.units { #expect(try sa.galois(b) == x.galois(a * b)) }
                }
            }
            for a in 0...n where Primes.gcd(a, n) != 1 {
                if case .invalidArgument? = thrownError({ () throws(ReferenceError) in try f.one.galois(a) }) {
                } else {
                    Issue.record("σ_\(a) on Q(ζ_\(n)) must be refused")
                }
            }
        }
    }

    @Test func cyclotomicTraceAndNorm() throws {
        var rng = CyclotomicRandom(seed: 0xC1C1_0003)
        for n in testOrders {
            let f = try CyclotomicField(order: n)
            for _ in 0..<4 {
                let (x, y) = (rng.element(f), rng.element(f))
                let conjugates = x.conjugates
                #expect(conjugates.count == f.degree)
                var sum = f.zero, product = f.one
                for c in conjugates { sum = try sum + c; product = try product * c }
                #expect(sum.rationalValue == x.trace)
                #expect(product.rationalValue == x.norm)
                #expect(x.normByResultant == x.norm)
                #expect(try (x * y).norm == x.norm * y.norm)
                #expect(try (x + y).trace == x.trace + y.trace)
                let r = rng.rational()
                #expect(Cyclotomic(r, in: f).trace == r * Rational(f.degree))
                #expect(Cyclotomic(r, in: f).norm == (try r.power(f.degree)))
                #expect((x.isZero) == (x.norm == .zero))
            }
            // Tr(ζ) = μ(n) and N(ζ) = ±1.
            #expect(f.zeta().trace == Rational(Primes.mobius(n)))
            #expect(f.zeta().norm.magnitude == .one)
        }
    }

    @Test func cyclotomicRationalityAndModulus() throws {
        var rng = CyclotomicRandom(seed: 0xC1C1_0004)
        for n in testOrders {
            let f = try CyclotomicField(order: n)
            for _ in 0..<6 {
                let x = rng.element(f)
                let m = x.squaredModulus
                #expect(m.conjugate == m)  // real
                #expect(m == (try x * x.conjugate))
                // x + conj(x) is real; it is rational iff its trace determines it, checked via isRational.
                let r = rng.rational()
                #expect(Cyclotomic(r, in: f).isRational && Cyclotomic(r, in: f).rationalValue == r)
                #expect(x.isRational == (x.conjugates.allSatisfy { $0 == x }))
            }
            // |ζ^k|² = 1 and ζ^k is rational only when ζ^k = ±1.
            for k in 0..<n {
                #expect(f.zeta(k).squaredModulus == f.one)
                #expect(f.zeta(k).isRational == (2 * k % n == 0))
            }
        }
    }

    @Test func cyclotomicEmbedding() throws {
        var rng = CyclotomicRandom(seed: 0xC1C1_0005)
        for (n, m) in [(1, 4), (2, 6), (3, 9), (3, 21), (4, 12), (5, 25), (5, 15), (6, 12), (7, 21), (9, 9)] {
            let small = try CyclotomicField(order: n), big = try CyclotomicField(order: m)
            #expect(try small.zeta().embedded(in: big) == big.zeta(m / n))
            for _ in 0..<4 {
                let (x, y) = (rng.element(small), rng.element(small))
                let (ex, ey) = (try x.embedded(in: big), try y.embedded(in: big))
                #expect(try (x * y).embedded(in: big) == ex * ey)
                #expect(try (x + y).embedded(in: big) == ex + ey)
                #expect(ex.trace == x.trace * Rational(big.degree / small.degree))
                #expect(try ex == x.embedded(in: m))
                #expect(try x.conjugate.embedded(in: big) == ex.conjugate)
            }
        }
        if case .invalidArgument? = thrownError({ () throws(ReferenceError) in
            try CyclotomicField(order: 4).zeta().embedded(in: 6)
        }) {
        } else {
            Issue.record("Q(ζ_4) does not embed in Q(ζ_6)")
        }
    }

    @Test func cyclotomicApproximation() throws {
        var rng = CyclotomicRandom(seed: 0xC1C1_0006)
        let u = 0x1p-53
        for n in testOrders {
            let f = try CyclotomicField(order: n)
            for _ in 0..<8 {
                let e = (0..<n).map { _ in rng.int(0...1) == 0 ? Rational.zero : rng.rational() }
                let x = try Cyclotomic(exponentCoefficients: e, in: f)
                let (re, im, bound) = x.approximation()
                // Reference: Σ e_k ζ^k evaluated from the unreduced exponent form in Float80 (64-bit significand)
                // where available, else in Double, each with its own rounding-error allowance.
                let (refRe, refIm, refError) = referenceEvaluation(e, n)
                #expect(abs(re - refRe) <= bound + refError)
                #expect(abs(im - refIm) <= bound + refError)
                // The bound is tight enough to mean something.
                let coefficientMass = x.coefficients.reduce(0.0) { $0 + abs($1.doubleValue) }
                #expect(bound <= 1e-12 * (1 + coefficientMass))
            }
            for k in 0..<n {
                let (re, im, bound) = f.zeta(k).approximation()
                var unit = [Rational](repeating: .zero, count: n)
                unit[k] = .one
                let (refRe, refIm, refError) = referenceEvaluation(unit, n)
                #expect(abs(re - refRe) <= bound + refError && abs(im - refIm) <= bound + refError)
                #expect(bound <= 2000 * u)
            }
        }
        let third = try Rational(1, 3)
        let (re, im, bound) = Cyclotomic(third, in: try CyclotomicField(order: 7)).approximation()
        #expect(abs(re - 1.0 / 3.0) <= bound && im == 0)
    }

    /// conjugateApproximations(a) is approximation() of σ_a, for every a ∈ Z_n^*, within the sum of the two bounds.
    @Test func cyclotomicConjugateApproximations() throws {
        var rng = CyclotomicRandom(seed: 0xC1C1_0007)
        for n in testOrders {
            let f = try CyclotomicField(order: n)
            let units = (1..<max(2, n)).filter { Primes.gcd($0, n) == 1 }
            let e = (0..<n).map { _ in rng.rational() }
            let x = try Cyclotomic(exponentCoefficients: e, in: f)
            let batch = x.conjugateApproximations(units)
            for (a, approx) in zip(units, batch) {
                let single = try x.galois(a).approximation()
                #expect(abs(approx.real - single.real) <= approx.errorBound + single.errorBound, "n = \(n), a = \(a)")
                #expect(
                    abs(approx.imaginary - single.imaginary) <= approx.errorBound + single.errorBound,
                    "n = \(n), a = \(a)")
            }
        }
    }

    @Test func cyclotomicTypedErrorsAndHashing() throws {
        let f5 = try CyclotomicField(order: 5), f10 = try CyclotomicField(order: 10)
        if case .fieldMismatch(5, 10)? = thrownError({ () throws(ReferenceError) in try f5.one + f10.one }) {
        } else {
            Issue.record("mixed-field addition must throw fieldMismatch")
        }
        if case .fieldMismatch? = thrownError({ () throws(ReferenceError) in try f5.one * f10.zeta() }) {
        } else {
            Issue.record("mixed-field multiplication must throw fieldMismatch")
        }
        if case .invalidCyclotomicOrder(0)? = thrownError({ () throws(ReferenceError) in try CyclotomicField(order: 0) }
        ) {
        } else {
            Issue.record("order 0 must be refused")
        }
        if case .shapeMismatch? = thrownError({ () throws(ReferenceError) in
            try Cyclotomic(exponentCoefficients: [1, 2], in: f5)
        }) {
        } else {
            Issue.record("a wrong-length exponent vector must be refused")
        }
        // Equal values built differently are equal and hash alike: 1 + ζ + … + ζ^4 = 0 in Q(ζ_5).
        let sumOfRoots = try Cyclotomic(exponentCoefficients: [1, 1, 1, 1, 1], in: f5)
        #expect(sumOfRoots == f5.zero)
        #expect(Set([sumOfRoots, f5.zero, f5.one]).count == 2)
        #expect(f5.zero != f10.zero)  // different fields are never ==
        #expect(f5.zeta(2).description == "ζ_5^2")
        #expect((try f5.zeta(2).scaled(by: Rational(-3, 4)) + f5.one).description == "1 - 3/4·ζ_5^2")
    }
}
