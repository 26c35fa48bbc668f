/// Every way an exact computation can be refused. Each case names the problem and what is valid.
public enum ReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A divisor supplied by the caller is zero.
    case divisionByZero(context: String)
    /// A string is not a rational number in one of the accepted forms.
    case malformedNumber(String)
    /// A decimal exponent outside ±limit (`1e-9223372036854775808`).
    case exponentOutOfRange(String, limit: Int)
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
            return
                "\"\(text)\" is not a number: write an integer (12), a fraction (-3/4), a decimal (0.125) or a decimal "
                + "with exponent (1e-3)"
        case .exponentOutOfRange(let text, let limit):
            return "\"\(text)\" has an exponent outside −\(limit)…\(limit): write it with an exponent in that range"
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
