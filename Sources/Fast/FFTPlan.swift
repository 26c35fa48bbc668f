import RealModule
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An immutable complex FFT plan of length n ≥ 1: X̂[u] = Σ_k x[k] e^{−2πiuk/n} (the paper's
/// convention, App. B.4), unnormalised; the inverse carries 1/n. Built once, shared between threads.
///
/// Algorithm: mixed-radix Stockham autosort passes (radix 4, 2, 3, 5, generic small odd radix);
/// a prime factor p > 13 is a pass whose butterflies are sub-plans of length p: Rader's algorithm
/// (re-indexed over a primitive root of Z_p^*, cyclic convolution of length p − 1) when p − 1 has
/// no prime factor above `raderSmoothness`, Bluestein's chirp-z (convolution of a 2^a3^b5^c length)
/// otherwise.
public final class FFTPlan: Sendable {
    public let count: Int
    let kind: Kind
    /// Lanes of scratch needed per re/im array (excluding the data) for one transform.
    let scratchCount: Int
    /// Scratch beyond the ping-pong buffer of a Stockham plan.
    let extraCount: Int
    /// κ in the per-coefficient error bound |X̂_fl(u) − X̂(u)| ≤ κ·u·‖x‖₁ (u = 2⁻⁵³), see `errorBound`.
    public let errorConstant: Double

    /// Prime factors up to this use direct generic butterflies.
    static let directRadixLimit = 13
    /// Rader is used for prime p when p − 1 is 13-smooth (measured: nested Rader passes lose to one Bluestein).
    static let raderSmoothness = 13

    enum PassKind: Sendable {
        case radix2, radix3, radix4, radix5
        /// Direct odd radix: cos/sin of 2πj/ip for j < ip.
        case generic(cos: [Double], sin: [Double])
        /// Butterflies by a sub-plan (Rader or Bluestein) of length ip.
        case subplan(FFTPlan)
    }

    struct Pass: Sendable {
        let ip: Int, l1: Int, ido: Int
        /// Twiddles e^{−2πi·j·l1·i/n}, index (j − 1)(ido − 1) + (i − 1), j in 1..<ip, i in 1..<ido.
        let twRe: [Double], twIm: [Double]
        let kind: PassKind
    }

    struct Rader: Sendable {
        let p: Int
        /// g^q mod p, q in 0..<p−1 (input gather).
        let gather: [Int]
        /// g^{−m} mod p, m in 0..<p−1 (output scatter).
        let scatter: [Int]
        let inner: FFTPlan
        /// DFT of b_j = e^{−2πi g^{−j}/p}, divided by p − 1.
        let bRe: [Double], bIm: [Double]
    }

    struct Bluestein: Sendable {
        let n: Int, m: Int
        /// e^{−πi j²/n}, j < n.
        let chirpRe: [Double], chirpIm: [Double]
        let inner: FFTPlan
        /// DFT_m of b_j = e^{πi j²/n} (j in −n+1…n−1, wrapped), divided by m.
        let bRe: [Double], bIm: [Double]
    }

    enum Kind: Sendable {
        case identity
        case stockham([Pass])
        case rader(Rader)
        case bluestein(Bluestein)
    }

    /// A plan for length n (n ≥ 1; n < 1 is clamped by the public API's validation).
    public init(count n: Int) {
        precondition(n >= 1, "FFTPlan needs n ≥ 1 (validated by the public API)")
        count = n
        if n == 1 {
            kind = .identity; scratchCount = 0; extraCount = 0; errorConstant = 0
            return
        }
        if Primes.isPrime(n) && n > Self.directRadixLimit {
            let largest = Primes.primeFactorsWithMultiplicity(n - 1).last ?? 1
            if largest <= Self.raderSmoothness {
                let r = Self.makeRader(n)
                kind = .rader(r)
                scratchCount = 2 * (n - 1) + r.inner.scratchCount
                extraCount = 0
                let beta = Self.maxModulus(r.bRe, r.bIm) * Double(n - 1) * 1.01
                // a = x∘g (‖a‖₁ ≤ ‖x‖₁): FFT, product with B (|B| ≤ β), inverse FFT, plus x[0].
                errorConstant = beta * (2 * r.inner.errorConstant + 6) + 4
            } else {
                let b = Self.makeBluestein(n)
                kind = .bluestein(b)
                scratchCount = 2 * b.m + b.inner.scratchCount
                extraCount = 0
                let beta = Self.maxModulus(b.bRe, b.bIm) * Double(b.m) * 1.01
                errorConstant = beta * (2 * b.inner.errorConstant + 8) + 8
            }
            return
        }
        // Mixed radix: 4s first, then 2, 3, 5, other primes ascending.
        var factors: [Int] = []
        var m = n
        while m % 4 == 0 { factors.append(4); m /= 4 }
        if m % 2 == 0 { factors.append(2); m /= 2 }
        factors += Primes.primeFactorsWithMultiplicity(m)
        var passes: [Pass] = []
        var l1 = 1, scratch = 0, kappa = 0.0
        for ip in factors {
            let ido = n / (l1 * ip)
            var twRe = [Double](repeating: 0, count: max(0, (ip - 1) * (ido - 1)))
            var twIm = twRe
            for j in 1..<ip where ido > 1 {
                for i in 1..<ido {
                    let (c, s) = FFTMath.unitRoot(j * l1 * i, n)
                    twRe[(j - 1) * (ido - 1) + i - 1] = c
                    twIm[(j - 1) * (ido - 1) + i - 1] = -s
                }
            }
            let passKind: PassKind
            switch ip {
            case 2: passKind = .radix2; kappa += 6
            case 3: passKind = .radix3; kappa += 9
            case 4: passKind = .radix4; kappa += 8
            case 5: passKind = .radix5; kappa += 11
            default:
                if ip <= Self.directRadixLimit {
                    var cs = [Double](repeating: 0, count: ip), sn = cs
                    for j in 0..<ip { (cs[j], sn[j]) = FFTMath.unitRoot(j, ip) }
                    passKind = .generic(cos: cs, sin: sn)
                    scratch = max(scratch, 4 * ip)
                    kappa += Double(ip + 6)
                } else {
                    let sub = FFTPlanCache.shared.plan(ip)
                    passKind = .subplan(sub)
                    scratch = max(scratch, 2 * ip + sub.scratchCount)
                    kappa += sub.errorConstant + 6
                }
            }
            passes.append(Pass(ip: ip, l1: l1, ido: ido, twRe: twRe, twIm: twIm, kind: passKind))
            l1 *= ip
        }
        kind = .stockham(passes)
        scratchCount = n + scratch
        extraCount = scratch
        errorConstant = kappa
    }

    /// Scratch lanes per re/im array for `howmany` rows at once.
    func scratchCount(howmany: Int) -> Int {
        if case .stockham = kind { return howmany * count + extraCount }
        return scratchCount
    }

    /// The bound |X̂_fl(u) − X̂(u)| ≤ κ·2⁻⁵³·‖x‖₁ on every coefficient (each pass adds at most its
    /// butterfly's rounding, relative to the ℓ₁ mass of the disjoint inputs feeding it; convolutions
    /// multiply by β = max|B̂|).
    public func errorBound(l1Norm: Double) -> Double { errorConstant * 0x1p-53 * l1Norm }

    static func maxModulus(_ re: [Double], _ im: [Double]) -> Double {
        var m = 0.0
        for i in re.indices { m = max(m, (re[i] * re[i] + im[i] * im[i]).squareRoot()) }
        return m
    }

    static func makeRader(_ p: Int) -> Rader {
        let g = FFTMath.primitiveRoot(p)!
        let gInv = FFTMath.modInverse(g, p)!
        let l = p - 1
        var gather = [Int](repeating: 0, count: l), scatter = gather
        var x = 1, y = 1
        for q in 0..<l {
            gather[q] = x; scatter[q] = y
            x = x * g % p; y = y * gInv % p
        }
        let inner = FFTPlanCache.shared.plan(l)
        var bRe = [Double](repeating: 0, count: l), bIm = bRe
        for j in 0..<l {
            let (c, s) = FFTMath.unitRoot(scatter[j], p)
            bRe[j] = c; bIm[j] = -s
        }
        inner.transformInPlace(&bRe, &bIm)
        let scale = 1 / Double(l)
        for j in 0..<l { bRe[j] *= scale; bIm[j] *= scale }
        return Rader(p: p, gather: gather, scatter: scatter, inner: inner, bRe: bRe, bIm: bIm)
    }

    static func makeBluestein(_ n: Int) -> Bluestein {
        let m = FFTMath.smoothLength(atLeast: 2 * n - 1)
        var chirpRe = [Double](repeating: 0, count: n), chirpIm = chirpRe
        for j in 0..<n {
            // e^{−πi j²/n} = e^{−2πi (j² mod 2n)/(2n)}.
            let (c, s) = FFTMath.unitRoot((j * j) % (2 * n), 2 * n)
            chirpRe[j] = c; chirpIm[j] = -s
        }
        let inner = FFTPlanCache.shared.plan(m)
        var bRe = [Double](repeating: 0, count: m), bIm = bRe
        for j in 0..<n {
            bRe[j] = chirpRe[j]; bIm[j] = -chirpIm[j]
            if j > 0 { bRe[m - j] = chirpRe[j]; bIm[m - j] = -chirpIm[j] }
        }
        inner.transformInPlace(&bRe, &bIm)
        let scale = 1 / Double(m)
        for j in 0..<m { bRe[j] *= scale; bIm[j] *= scale }
        return Bluestein(n: n, m: m, chirpRe: chirpRe, chirpIm: chirpIm, inner: inner, bRe: bRe, bIm: bIm)
    }

    /// A short description of the algorithm, e.g. "rader(31; 2·3·5)".
    public var algorithm: String {
        switch kind {
        case .identity: return "identity"
        case .stockham(let passes):
            return "stockham("
                + passes.map { p in
                    if case .subplan(let s) = p.kind { return s.algorithm }
                    return String(p.ip)
                }.joined(separator: "·") + ")"
        case .rader(let r): return "rader(\(r.p); \(r.inner.algorithm))"
        case .bluestein(let b): return "bluestein(\(b.n); \(b.inner.algorithm))"
        }
    }

    /// One forward transform on Doubles, in place (used at plan time).
    func transformInPlace(_ re: inout [Double], _ im: inout [Double]) {
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * max(1, scratchCount))
        defer { scratch.deallocate() }
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in
                execute(r.baseAddress!, i.baseAddress!, scratch, scratch + max(1, scratchCount))
            }
        }
    }
}

/// A thread-safe cache of plans keyed by length; `shared` is the process-wide instance.
public final class FFTPlanCache: @unchecked Sendable {
    private var plans: [Int: FFTPlan] = [:]
    private let lock = PlanLock()

    public init() {}

    /// The process-wide cache.
    public static let shared = FFTPlanCache()

    /// The plan for length n ≥ 1, built on first use (plans for Rader/Bluestein inner lengths are cached too).
    public func plan(_ n: Int) -> FFTPlan {
        lock.lock()
        if let p = plans[n] { lock.unlock(); return p }
        lock.unlock()
        // Built outside the lock (construction recurses into the cache); the first stored wins.
        let built = FFTPlan(count: n)
        lock.lock()
        defer { lock.unlock() }
        if let p = plans[n] { return p }
        plans[n] = built
        return built
    }

    /// Number of cached plans.
    public var count: Int {
        lock.lock(); defer { lock.unlock() }
        return plans.count
    }
}

/// A pthread mutex (Foundation-free).
final class PlanLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}
