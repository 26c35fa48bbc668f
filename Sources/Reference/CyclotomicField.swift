import CGMP

/// One non-zero entry of a reduction-table row: ζ^k contributes `coefficient`·ζ^index.
/// `unit` is +1 / −1 when the coefficient is ±1 (the common case), else 0.
struct CyclotomicReductionTerm: Sendable {
    let index: Int
    let coefficient: BigInt
    let unit: Int
    static let plusOne = BigInt(1), minusOne = BigInt(-1)

    init(index: Int, coefficient c: BigInt) {
        self.index = index
        unit = c == 1 ? 1 : (c == -1 ? -1 : 0)
        // ±1 share one storage each: large tables are mostly ±1.
        coefficient = unit == 1 ? Self.plusOne : (unit == -1 ? Self.minusOne : c)
    }
}

/// The cyclotomic field Q(ζ_n), ζ = e^{2πi/n}, for any n ≥ 1 (App. B.4).
/// Elements are written in the power basis 1, ζ, …, ζ^{φ(n)−1} modulo Φ_n; the class is immutable.
/// Two field objects of the same order are the same field (`==` compares orders).
public final class CyclotomicField: Sendable, Hashable, CustomStringConvertible {
    /// Orders above this are refused: the reduction table holds up to n·φ(n) integers.
    public static let maximumOrder = 4096

    /// n.
    public let order: Int
    /// φ(n) = [Q(ζ_n) : Q].
    public let degree: Int
    /// Φ_n, integer coefficients from the constant term up (monic, length φ(n) + 1).
    public let polynomial: [BigInt]
    /// reduction[k] (0 ≤ k < n): ζ^k in the power basis, sparse.
    let reduction: [[CyclotomicReductionTerm]]
    /// The residues a in 1…n with gcd(a, n) = 1 (for n = 1: [1]); σ_a runs over the Galois group.
    public let units: [Int]
    /// Tr(ζ^j) for 0 ≤ j < φ(n): the Ramanujan sum μ(n/g)·φ(n)/φ(n/g), g = gcd(j, n).
    let powerTraces: [Int]
    /// Generators g_i with relative orders o_i such that every unit is uniquely ∏ g_i^{e_i}, 0 ≤ e_i < o_i.
    let galoisChain: [(generator: Int, relativeOrder: Int)]

    /// Builds Q(ζ_n); n < 1 or n > `maximumOrder` is a typed error.
    public init(order n: Int) throws(ReferenceError) {
        guard n >= 1 else { throw .invalidCyclotomicOrder(n) }
        guard n <= CyclotomicField.maximumOrder else {
            throw .invalidArgument(
                "Q(ζ_\(n)) exceeds the supported order \(CyclotomicField.maximumOrder) (the reduction table needs "
                    + "O(n·φ(n)) entries)"
            )
        }
        order = n
        let phi = Primes.totient(n)
        degree = phi
        let poly = CyclotomicField.cyclotomicPolynomial(n)
        precondition(poly.count == phi + 1 && poly[phi] == 1, "Φ_\(n) must be monic of degree φ(n)")
        polynomial = poly
        units = (1...n).filter { Primes.gcd($0, n) == 1 }
        powerTraces = (0..<phi).map { j in
            let m = n / Primes.gcd(j, n)
            return Primes.mobius(m) * (phi / Primes.totient(m))
        }

        galoisChain = CyclotomicField.polycyclicChain(n, units: units)

        // ζ^k for k < φ is a basis vector; ζ^φ = −Σ Φ_i ζ^i; ζ^{k+1} = ζ·ζ^k, folding ζ^φ back.
        var rows: [[CyclotomicReductionTerm]] = []
        rows.reserveCapacity(n)
        var current = [BigInt](repeating: 0, count: phi)
        for k in 0..<n {
            if k < phi {
                rows.append([CyclotomicReductionTerm(index: k, coefficient: 1)])
                if k == phi - 1 { current = [BigInt](repeating: 0, count: phi); current[phi - 1] = 1 }
                continue
            }
            // current holds ζ^{k−1}; multiply by ζ.
            let top = current[phi - 1]
            var next = [BigInt](repeating: 0, count: phi)
            for i in stride(from: phi - 1, to: 0, by: -1) { next[i] = current[i - 1] }
            if !top.isZero {
                for i in 0..<phi where !poly[i].isZero { next[i] -= top * poly[i] }
            }
            current = next
            var row: [CyclotomicReductionTerm] = []
            for i in 0..<phi where !current[i].isZero {
                row.append(CyclotomicReductionTerm(index: i, coefficient: current[i]))
            }
            rows.append(row)
        }
        reduction = rows
    }

    /// A polycyclic generating sequence of (Z/nZ)^*, greedily: add the smallest unit outside the current subgroup H.
    static func polycyclicChain(_ n: Int, units: [Int]) -> [(generator: Int, relativeOrder: Int)] {
        var inH = Set([1 % n])
        var chain: [(generator: Int, relativeOrder: Int)] = []
        for a in units where !inH.contains(a % n) {
            var o = 1, power = a % n
            while !inH.contains(power) { power = power * a % n; o += 1 }
            var next = inH
            var shift = 1 % n
            for _ in 1..<o {
                shift = shift * a % n
                for h in inH { next.insert(h * shift % n) }
            }
            inH = next
            chain.append((a % n, o))
        }
        return chain
    }

    /// Φ_n = ∏_{d | n} (x^d − 1)^{μ(n/d)}, exactly: multiply the μ = +1 factors, then divide exactly by the μ = −1
    /// ones.
    static func cyclotomicPolynomial(_ n: Int) -> [BigInt] {
        var numerator: [BigInt] = [1]
        var denominators: [Int] = []
        for d in 1...n where n % d == 0 {
            switch Primes.mobius(n / d) {
            case 1:
                var product = [BigInt](repeating: 0, count: numerator.count + d)
                for (i, c) in numerator.enumerated() where !c.isZero {
                    product[i + d] += c
                    product[i] -= c
                }
                numerator = product
            case -1: denominators.append(d)
            default: break
            }
        }
        for d in denominators {
            // p = q·(x^d − 1): q[i] = p[i + d] + q[i + d], from the top.
            let degQ = numerator.count - 1 - d
            precondition(degQ >= 0)
            var q = [BigInt](repeating: 0, count: degQ + 1)
            for i in stride(from: degQ, through: 0, by: -1) {
                q[i] = numerator[i + d] + (i + d <= degQ ? q[i + d] : 0)
            }
            // Exactness check on the low coefficients: p[i] = −q[i] + (i ≥ d ? q[i − d] : 0).
            for i in 0..<d {
                precondition(numerator[i] == -(i <= degQ ? q[i] : 0), "x^\(d) − 1 must divide exactly")
            }
            numerator = q
        }
        return numerator
    }

    /// ζ^k in the power basis, for any integer k.
    public func powerBasisCoefficients(ofZetaPower k: Int) -> [Rational] {
        var result = [Rational](repeating: .zero, count: degree)
        for term in reduction[Primes.mod(k, order)] { result[term.index] = Rational(term.coefficient) }
        return result
    }

    /// Σ_k e[k] ζ^k (k < n) rewritten in the power basis: the identity on the first φ slots, the table on the rest.
    func reduce(exponentCoefficients e: [Rational]) -> [Rational] {
        precondition(e.count == order)
        var result = Array(e[0..<degree])
        for k in degree..<order where !e[k].isZero {
            let c = e[k]
            for term in reduction[k] {
                switch term.unit {
                case 1: result[term.index] += c
                case -1: result[term.index] -= c
                default: result[term.index] += c * Rational(term.coefficient)
                }
            }
        }
        return result
    }

    public var zero: Cyclotomic { Cyclotomic(field: self, canonical: [Rational](repeating: .zero, count: degree)) }
    public var one: Cyclotomic { Cyclotomic(Rational.one, in: self) }
    /// ζ_n^k for any integer k.
    public func zeta(_ k: Int = 1) -> Cyclotomic { Cyclotomic.zeta(k, in: self) }
    /// The rational r as an element of this field.
    public func element(_ r: Rational) -> Cyclotomic { Cyclotomic(r, in: self) }

    public static func == (lhs: CyclotomicField, rhs: CyclotomicField) -> Bool { lhs.order == rhs.order }
    public func hash(into hasher: inout Hasher) { hasher.combine(order) }
    public var description: String { "Q(ζ_\(order))" }
}
