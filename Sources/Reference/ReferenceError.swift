/// Every way an exact computation can be refused. Each case names the problem and what is valid.
public enum ReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A divisor supplied by the caller is zero.
    case divisionByZero(context: String)
    /// A string is not a rational number in one of the accepted forms.
    case malformedNumber(String)
    /// The stretching group Z_d^* needs a prime d.
    case notPrime(Int)
    /// An element does not belong to Z_d^* (it must lie in 1…d−1).
    case notInGroup(element: Int, modulus: Int)
    /// Q(ζ_n) needs n ≥ 1.
    case invalidCyclotomicOrder(Int)
    /// Two operands live in different cyclotomic fields.
    case fieldMismatch(Int, Int)
    /// Shapes that must agree do not.
    case shapeMismatch(String)
    /// An argument outside its domain.
    case invalidArgument(String)
    /// A quantity that is undefined for this input (e.g. an SDR with a zero kernel).
    case undefined(String)

    public var description: String {
        switch self {
        case .divisionByZero(let context):
            return "division by zero in \(context): the divisor must be non-zero"
        case .malformedNumber(let text):
            return "\"\(text)\" is not a number: write an integer (12), a fraction (-3/4), a decimal (0.125) or a decimal with exponent (1e-3)"
        case .notPrime(let d):
            let hint = Primes.nearest(to: d).map { String($0) }.joined(separator: " or ")
            return "d = \(d) is not prime: the stretching group Z_d^* needs a prime d; try \(hint)"
        case .notInGroup(let element, let modulus):
            return "\(element) is not an element of Z_\(modulus)^*: elements are the integers 1…\(modulus - 1)"
        case .invalidCyclotomicOrder(let n):
            return "Q(ζ_\(n)) is not defined: the order n must be at least 1"
        case .fieldMismatch(let a, let b):
            return "operands live in different fields Q(ζ_\(a)) and Q(ζ_\(b)): embed both in Q(ζ_lcm) first"
        case .shapeMismatch(let text):
            return "shape mismatch: \(text)"
        case .invalidArgument(let text):
            return "invalid argument: \(text)"
        case .undefined(let text):
            return "undefined: \(text)"
        }
    }
}

/// Small prime utilities on machine integers.
public enum Primes {
    /// Deterministic primality by trial division (the group sizes here are small).
    public static func isPrime(_ n: Int) -> Bool {
        if n < 2 { return false }
        if n < 4 { return true }
        if n % 2 == 0 || n % 3 == 0 { return false }
        var i = 5
        while i * i <= n {
            if n % i == 0 || n % (i + 2) == 0 { return false }
            i += 6
        }
        return true
    }

    /// The primes just below and just above n (for error messages).
    public static func nearest(to n: Int) -> [Int] {
        var result: [Int] = []
        var below = min(n - 1, Int.max - 1)
        while below >= 2 && !isPrime(below) { below -= 1 }
        if below >= 2 { result.append(below) }
        var above = max(n + 1, 2)
        while !isPrime(above) { above += 1 }
        result.append(above)
        return result
    }

    /// The primes p with lower ≤ p ≤ upper, in increasing order.
    public static func inRange(_ lower: Int, _ upper: Int) -> [Int] {
        guard upper >= lower else { return [] }
        return (max(lower, 2)...max(upper, 2)).filter { $0 <= upper && isPrime($0) }
    }

    /// The distinct prime factors of n ≥ 1, increasing.
    public static func primeFactors(_ n: Int) -> [Int] {
        var m = n, p = 2, result: [Int] = []
        while p * p <= m {
            if m % p == 0 { result.append(p); while m % p == 0 { m /= p } }
            p += 1
        }
        if m > 1 { result.append(m) }
        return result
    }

    /// Euler's totient φ(n).
    public static func totient(_ n: Int) -> Int {
        var result = n
        for p in primeFactors(n) { result = result / p * (p - 1) }
        return result
    }

    /// The Möbius function μ(n).
    public static func mobius(_ n: Int) -> Int {
        var m = n, p = 2, sign = 1
        while p * p <= m {
            if m % p == 0 {
                m /= p
                if m % p == 0 { return 0 }
                sign = -sign
            }
            p += 1
        }
        if m > 1 { sign = -sign }
        return sign
    }

    public static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (abs(a), abs(b))
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    public static func lcm(_ a: Int, _ b: Int) -> Int { a / gcd(a, b) * b }

    /// Non-negative residue of a modulo n.
    @inlinable public static func mod(_ a: Int, _ n: Int) -> Int {
        let r = a % n
        return r < 0 ? r + n : r
    }
}
