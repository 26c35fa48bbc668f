import RealModule

/// Small integer number theory for plan construction (Rader's re-indexing over Z_d^*);
/// independent of GMP. All arguments are well below 2³¹, so products fit in Int.
public enum FFTMath {
    /// bᵉ mod m (m ≥ 1, e ≥ 0).
    public static func powMod(_ b: Int, _ e: Int, _ m: Int) -> Int {
        var result = 1 % m, base = ((b % m) + m) % m, e = e
        while e > 0 {
            if e & 1 == 1 { result = result * base % m }
            base = base * base % m
            e >>= 1
        }
        return result
    }

    /// a⁻¹ mod m by the extended Euclidean algorithm; nil when gcd(a, m) ≠ 1.
    public static func modInverse(_ a: Int, _ m: Int) -> Int? {
        var (r0, r1) = (m, ((a % m) + m) % m), (t0, t1) = (0, 1)
        while r1 != 0 {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (t0, t1) = (t1, t0 - q * t1)
        }
        guard r0 == 1 else { return nil }
        return ((t0 % m) + m) % m
    }

    /// The least primitive root of Z_p^* for prime p (a generator of the stretching group, App. B.5).
    public static func primitiveRoot(_ p: Int) -> Int? {
        guard Primes.isPrime(p) else { return nil }
        if p == 2 { return 1 }
        let factors = Primes.primeFactors(p - 1)
        for g in 2..<p where factors.allSatisfy({ powMod(g, (p - 1) / $0, p) != 1 }) { return g }
        return nil
    }

    /// The least n' ≥ n of the form 2^a 3^b 5^c (a good mixed-radix length).
    public static func smoothLength(atLeast n: Int) -> Int {
        var best = Int.max, p2 = 1
        while p2 < 2 * n {
            var p3 = p2
            while p3 < 2 * n {
                var p5 = p3
                while p5 < 2 * n {
                    if p5 >= n && p5 < best { best = p5 }
                    p5 *= 5
                }
                p3 *= 3
            }
            p2 *= 2
        }
        return best
    }

    /// (cos, sin) of 2πj/n, with j reduced mod n and folded to the first octant for accuracy.
    static func unitRoot(_ j: Int, _ n: Int) -> (Double, Double) {
        var k = j % n
        if k < 0 { k += n }
        // 8k vs n: reduce to an angle in [0, π/4] by symmetries, evaluated on an exact integer numerator.
        let k8 = 8 * k
        func cs(_ num: Int, _ den: Int) -> (Double, Double) {
            let t = 2 * Double.pi * Double(num) / Double(den)
            return (Double.cos(t), Double.sin(t))
        }
        if k8 < n { return cs(k, n) }
        if k8 < 2 * n { let (c, s) = cs(n - 4 * k, 4 * n); return (s, c) }  // π/2 − θ
        if k8 < 3 * n { let (c, s) = cs(4 * k - n, 4 * n); return (-s, c) }  // θ − π/2
        if k8 < 4 * n { let (c, s) = cs(n - 2 * k, 2 * n); return (-c, s) }  // π − θ
        if k8 < 5 * n { let (c, s) = cs(2 * k - n, 2 * n); return (-c, -s) }  // θ − π
        if k8 < 6 * n { let (c, s) = cs(3 * n - 4 * k, 4 * n); return (-s, -c) }  // 3π/2 − θ
        if k8 < 7 * n { let (c, s) = cs(4 * k - 3 * n, 4 * n); return (s, -c) }  // θ − 3π/2
        let (c, s) = cs(n - k, n); return (c, -s)  // 2π − θ
    }
}

/// A lane of the FFT kernels: one Double (a single transform) or a SIMD vector (several
/// transforms side by side, one per lane — the batch path).
@usableFromInline
protocol FFTLane {
    static var zero: Self { get }
    init(repeating value: Double)
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Double, rhs: Self) -> Self
    static prefix func - (operand: Self) -> Self
}

extension Double: FFTLane {
    @inlinable init(repeating value: Double) { self = value }
}

extension SIMD4: FFTLane where Scalar == Double {}
