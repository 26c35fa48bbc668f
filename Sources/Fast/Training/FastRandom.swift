/// Seeded, deterministic randomness for the training simulations (Sec. 3.2–3.3, App. B.8–B.12).
///
/// The generator is `SplitMix64`; the samplers use only IEEE-754 basic operations (+ − × ÷ and √, all
/// correctly rounded): normals come from Marsaglia's polar method with `DeterministicMath.log` instead of
/// libm, so a seed gives bit-identical streams — and bit-identical trajectories — on every IEEE-754 platform.
public struct FastRandom: Sendable, Hashable {
    public var generator: SplitMix64
    /// The second normal of the last polar pair, if not yet used.
    private var spareNormal: Double?

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// An independent stream's seed: `mix(seed ^ mix(index + golden))`, for per-seed / per-run streams.
    public static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        SplitMix64.mix(seed ^ SplitMix64.mix(index &+ 0x9E3779B97F4A7C15))
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 { generator.next() }

    /// Uniform on [0, 1): the top 53 bits times 2⁻⁵³ (exact).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform on [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// A standard normal by Marsaglia's polar method: (u, v) uniform in the unit disc, s = u² + v²,
    /// both u·√(−2 log s / s) and v·√(−2 log s / s) are N(0, 1); the second is kept for the next call.
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            guard s > 0, s < 1 else { continue }
            let factor = (-2 * DeterministicMath.log(s) / s).squareRoot()
            spareNormal = v * factor
            return u * factor
        }
    }

    /// N(mean, sd²).
    public mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * normal() }
}

/// Elementary functions from basic IEEE operations only (no libm), so results are the same bits everywhere.
/// Accuracy is a few ulp, which is all the samplers and the tiny DFTs of App. B.12 need.
public enum DeterministicMath {
    /// ln 2 split so that `ln2High · e` is exact for |e| < 2¹¹.
    static let ln2High = 6.93147180369123816490e-01
    static let ln2Low = 1.90821492927058770002e-10

    /// Natural logarithm of a positive finite x: x = m·2ᵉ with m ∈ [√½, √2), log m = 2 atanh((m−1)/(m+1)),
    /// the atanh series summed to 14 terms (|s| ≤ 0.172, so the truncation is below 10⁻²¹ relative).
    public static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "DeterministicMath.log needs a positive finite argument")
        var e = Int(x.exponent)
        var m = x.significand  // [1, 2), exact
        if m > 1.4142135623730951 { m *= 0.5; e += 1 }
        let s = (m - 1) / (m + 1), s2 = s * s
        var term = s, sum = 0.0
        var k = 1.0
        for _ in 0..<14 {
            sum += term / k
            term *= s2
            k += 2
        }
        let fe = Double(e)
        return (fe * ln2High) + (2 * sum + fe * ln2Low)
    }

    /// (cos θ, sin θ) for θ = 2πk/n: reduced exactly in integers to the nearest quarter turn q and
    /// φ = (π/2)(4k − qn)/n with |φ| ≤ π/4, then Taylor series (13 terms) and a quarter-turn rotation;
    /// exact at multiples of π/2.
    public static func unitRoot(_ k: Int, _ n: Int) -> (cos: Double, sin: Double) {
        precondition(n > 0)
        let r = ((k % n) + n) % n
        let t = 4 * r
        let q = (2 * t + n) / (2 * n)  // nearest integer to t/n, in 0...4
        let rest = t - q * n  // |rest| ≤ n/2
        let phi = 1.5707963267948966 * (Double(rest) / Double(n))
        let p2 = phi * phi
        var c = 1.0, s = phi
        var cTerm = 1.0, sTerm = phi
        var j = 1.0
        for _ in 0..<13 {
            cTerm *= -p2 / (j * (j + 1))
            sTerm *= -p2 / ((j + 1) * (j + 2))
            c += cTerm
            s += sTerm
            j += 2
        }
        if rest == 0 { c = 1; s = 0 }
        switch q % 4 {
        case 0: return (c, s)
        case 1: return (-s, c)
        case 2: return (-c, -s)
        default: return (s, -c)
        }
    }
}
