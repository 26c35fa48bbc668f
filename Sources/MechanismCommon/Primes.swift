/// Small integer number theory on machine integers, shared by the exact Reference (Z_d^*, cyclotomic
/// orders) and the Double mirror (Rader's re-indexing over Z_d^*). Trial division: the arguments are
/// group sizes and transform lengths. Loops compare `p ≤ m / p`, so no product overflows.
public enum Primes {
    /// Deterministic primality by trial division.
    public static func isPrime(_ n: Int) -> Bool {
        if n < 2 { return false }
        if n < 4 { return true }
        if n % 2 == 0 || n % 3 == 0 { return false }
        var i = 5
        while i <= n / i {
            if n % i == 0 || n % (i + 2) == 0 { return false }
            i += 6
        }
        return true
    }

    /// n = ∏ pᵢ^eᵢ as (pᵢ, eᵢ), primes increasing; [] for n ≤ 1.
    public static func factorization(_ n: Int) -> [(prime: Int, exponent: Int)] {
        var m = n, p = 2, result: [(prime: Int, exponent: Int)] = []
        while m > 1 && p <= m / p {
            var e = 0
            while m % p == 0 { m /= p; e += 1 }
            if e > 0 { result.append((p, e)) }
            p += p == 2 ? 1 : 2
        }
        if m > 1 { result.append((m, 1)) }
        return result
    }

    /// The distinct prime factors of n ≥ 1, increasing.
    public static func primeFactors(_ n: Int) -> [Int] { factorization(n).map(\.prime) }

    /// The prime factors of n with multiplicity, increasing (the radices of a mixed-radix plan).
    public static func primeFactorsWithMultiplicity(_ n: Int) -> [Int] {
        factorization(n).flatMap { Array(repeating: $0.prime, count: $0.exponent) }
    }

    /// The primes just below and just above n (for error messages).
    public static func nearest(to n: Int) -> [Int] {
        var result: [Int] = []
        var below = min(n - 1, Int.max - 1)
        while below >= 2 && !isPrime(below) { below -= 1 }
        if below >= 2 { result.append(below) }
        var above = max(n + 1, 2)
        while above < Int.max && !isPrime(above) { above += 1 }
        result.append(above)
        return result
    }

    /// The primes p with lower ≤ p ≤ upper, in increasing order.
    public static func inRange(_ lower: Int, _ upper: Int) -> [Int] {
        guard upper >= lower else { return [] }
        return (max(lower, 2)...max(upper, 2)).filter { $0 <= upper && isPrime($0) }
    }

    /// Euler's totient φ(n).
    public static func totient(_ n: Int) -> Int {
        var result = n
        for p in primeFactors(n) { result = result / p * (p - 1) }
        return result
    }

    /// The Möbius function μ(n).
    public static func mobius(_ n: Int) -> Int {
        var sign = 1
        for (_, e) in factorization(n) {
            if e > 1 { return 0 }
            sign = -sign
        }
        return sign
    }

    public static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a.magnitude, b.magnitude)
        while y != 0 { (x, y) = (y, x % y) }
        return Int(x)
    }

    public static func lcm(_ a: Int, _ b: Int) -> Int { a / gcd(a, b) * b }

    /// Non-negative residue of a modulo n.
    @inlinable public static func mod(_ a: Int, _ n: Int) -> Int {
        let r = a % n
        return r < 0 ? r + n : r
    }
}
