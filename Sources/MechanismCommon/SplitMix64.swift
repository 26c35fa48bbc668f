/// Vigna's SplitMix64: a tiny, platform-independent PRNG — the one generator of the project (the property
/// engine's choices, the training simulations' `FastRandom`, the benchmark inputs). Nothing uses the system RNG.
public struct SplitMix64: Sendable, Hashable {
    /// The current state; the next output is `mix(state &+ 0x9E3779B97F4A7C15)`.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The SplitMix64 finaliser (the three mixing lines), exposed for benchmarks and seed derivation.
    @inlinable
    public static func mix(_ z: UInt64) -> UInt64 {
        var z = z
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        return SplitMix64.mix(state)
    }

    /// An unbiased value in `0...bound` (Lemire's multiply-shift with rejection; fixed rule, so
    /// deterministic for a given state). Consumes one output, more only on (rare) rejection.
    @inlinable
    public mutating func next(upTo bound: UInt64) -> UInt64 {
        if bound == .max { return next() }
        let range = bound &+ 1
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return product.high
    }
}
