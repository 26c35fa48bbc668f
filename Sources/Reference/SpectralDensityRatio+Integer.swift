/// The fast exact SDR (eq. 8): integer autocorrelations (`IntegerAutocorrelation`: the direct loop for small
/// kernels, Kronecker substitution on GMP above), then Parseval, one final fraction. Rational kernels are scaled to
/// integers first (ρ is invariant under k ↦ c·k). Same reduced fractions as `partsByAutocorrelation`, the definition.
extension SpectralDensityRatio {
    /// ρ(k₁, k₂) for integer kernels of shape rows × columns (1D: rows = 1), exactly.
    public static func ratio(
        integer k1: [Int], _ k2: [Int], rows: Int = 1, columns: Int,
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Rational {
        guard rows >= 1, columns >= 1, k1.count == rows * columns, k2.count == k1.count else {
            throw .shapeMismatch(
                "integer kernels of \(k1.count) and \(k2.count) values for the shape \(rows)×\(columns)")
        }
        if k1.allSatisfy({ $0 == 0 }) || k2.allSatisfy({ $0 == 0 }) {
            throw .undefined("the SDR of a zero kernel: ⟨|k̂|²⟩ = 0, so ρ is 0/0; give a kernel with a non-zero entry")
        }
        if averaging == .nonZero && k1.count < 2 {
            throw .undefined("a kernel of one point has no non-zero frequency to average over")
        }
        let sums = integerSums(
            try IntegerAutocorrelation(k1, rows: rows, columns: columns),
            try IntegerAutocorrelation(k2, rows: rows, columns: columns),
            totals: (
                BigInt(k1.reduce(Int128(0)) { $0 + Int128($1) }), BigInt(k2.reduce(Int128(0)) { $0 + Int128($1) })
            ),
            averaging: averaging)
        guard !sums.first.isZero, !sums.second.isZero else {
            throw .undefined(
                "the SDR needs ⟨|k̂₁|²⟩ and ⟨|k̂₂|²⟩ non-zero: a kernel with no power at the averaged frequencies "
                    + "(zero, or constant when the zero frequency is excluded) has no SDR"
            )
        }
        // (J/F)/((A/F)(B/F)) = J·F/(A·B).
        return try Rational(sums.joint * BigInt(sums.frequencies), sums.first * sums.second)
    }

    /// The three averages of eq. (8) by the fast route; equal to `partsByAutocorrelation(k1, k2, averaging:)`.
    public static func parts(
        _ k1: RationalImage, _ k2: RationalImage,
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Parts {
        try checkShapes(k1, k2)
        if averaging == .nonZero && k1.count < 2 {
            throw .undefined("a kernel of one point has no non-zero frequency to average over")
        }
        // k = K/L with K integer: |k̂|² = |K̂|²/L².
        let (integer1, scale1) = integerMultiple(k1), (integer2, scale2) = integerMultiple(k2)
        let sums = integerSums(
            try IntegerAutocorrelation(integer1, rows: k1.rows, columns: k1.columns),
            try IntegerAutocorrelation(integer2, rows: k2.rows, columns: k2.columns),
            totals: (integer1.reduce(BigInt(0), +), integer2.reduce(BigInt(0), +)), averaging: averaging)
        let f = BigInt(sums.frequencies), square1 = scale1 * scale1, square2 = scale2 * scale2
        return Parts(
            jointPower: try Rational(sums.joint, f * square1 * square2),
            firstPower: try Rational(sums.first, f * square1), secondPower: try Rational(sums.second, f * square2))
    }

    /// ρ(k₁, k₂) by the fast route (`parts`); `partsByAutocorrelation` is the same value by the definition.
    public static func ratio(
        _ k1: RationalImage, _ k2: RationalImage,
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Rational {
        try parts(k1, k2, averaging: averaging).ratio()
    }

    /// (K, L) with k = K/L, K integer and L the least common denominator.
    static func integerMultiple(_ k: RationalImage) -> (values: [BigInt], scale: BigInt) {
        let shared = integerMultiple([k])
        return (shared.values[0], shared.scale)
    }

    /// Over the averaged frequencies (F of them): Σ|K̂₁K̂₂|², Σ|K̂₁|², Σ|K̂₂|² for integer kernels with autocorrelations
    /// r₁, r₂ and entry sums s₁, s₂, by Parseval: N Σ_τ r₁(τ) r₂(τ), N r(0), less s₁²s₂², s² at the zero frequency.
    static func integerSums(
        _ r1: IntegerAutocorrelation, _ r2: IntegerAutocorrelation, totals: (BigInt, BigInt),
        averaging: FrequencyAveraging
    ) -> (joint: BigInt, first: BigInt, second: BigInt, frequencies: Int) {
        let n = r1.count, size = BigInt(n)
        // Σ_τ r₁(τ) r₂(−τ) = Σ_τ r₁(τ) r₂(τ): autocorrelations of real kernels are even.
        var joint = size * r1.dot(r2), first = size * r1[0], second = size * r2[0]
        guard averaging == .nonZero else { return (joint, first, second, n) }
        let s1 = totals.0 * totals.0, s2 = totals.1 * totals.1
        joint -= s1 * s2
        first -= s1
        second -= s2
        return (joint, first, second, n - 1)
    }
}
