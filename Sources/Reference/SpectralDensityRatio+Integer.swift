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
        let scale1: BigInt, scale2: BigInt, r1: IntegerAutocorrelation, r2: IntegerAutocorrelation
        let totals: (BigInt, BigInt)
        if let (integer1, word1) = integerMultipleInWords(k1), let (integer2, word2) = integerMultipleInWords(k2) {
            (scale1, scale2) = (BigInt(word1), BigInt(word2))
            r1 = try IntegerAutocorrelation(integer1, rows: k1.rows, columns: k1.columns)
            r2 = try IntegerAutocorrelation(integer2, rows: k2.rows, columns: k2.columns)
            let total1 = integer1.reduce(Int128(0)) { $0 + Int128($1) }
            let total2 = integer2.reduce(Int128(0)) { $0 + Int128($1) }
            if case .machine(let a) = r1, case .machine(let b) = r2,
                let parts = partsInWords(a, b, totals: (total1, total2), scales: (word1, word2), averaging: averaging)
            {
                return parts
            }
            totals = (BigInt(total1), BigInt(total2))
        } else {
            let (integer1, big1) = integerMultiple(k1), (integer2, big2) = integerMultiple(k2)
            (scale1, scale2) = (big1, big2)
            r1 = try IntegerAutocorrelation(integer1, rows: k1.rows, columns: k1.columns)
            r2 = try IntegerAutocorrelation(integer2, rows: k2.rows, columns: k2.columns)
            totals = (integer1.reduce(BigInt(0), +), integer2.reduce(BigInt(0), +))
        }
        let sums = integerSums(r1, r2, totals: totals, averaging: averaging)
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

    /// `integerMultiple` in machine words, when every entry, L and every K fit in one (nil otherwise).
    static func integerMultipleInWords(_ k: RationalImage) -> (values: [Int], scale: Int)? {
        var scale = 1
        for x in k.values where x.big != nil || x.denominatorWord != 1 {
            guard x.big == nil else { return nil }
            let (lcm, overflow) = (scale / Int(Rational.gcd(UInt(scale), UInt(x.denominatorWord))))
                .multipliedReportingOverflow(by: x.denominatorWord)
            guard !overflow else { return nil }
            scale = lcm
        }
        var values = [Int]()
        values.reserveCapacity(k.count)
        for x in k.values {
            guard x.big == nil else { return nil }
            let (value, overflow) = x.numeratorWord.multipliedReportingOverflow(by: scale / x.denominatorWord)
            guard !overflow else { return nil }
            values.append(value)
        }
        return (values, scale)
    }

    /// `integerSums` and the three averages in 128-bit words, for machine autocorrelations r₁, r₂ of K₁, K₂ (entry
    /// sums s₁, s₂) and k = K/L; nil where a step would overflow.
    static func partsInWords(
        _ r1: [Int], _ r2: [Int], totals: (Int128, Int128), scales: (Int, Int), averaging: FrequencyAveraging
    ) -> Parts? {
        func product(_ a: Int128, _ b: Int128) -> Int128? {
            let (p, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? nil : p
        }
        var dot: Int128 = 0
        for t in r1.indices {
            let (sum, overflow) = dot.addingReportingOverflow(Int128(r1[t]) * Int128(r2[t]))  // |product| ≤ 2¹²⁶
            guard !overflow else { return nil }
            dot = sum
        }
        let n = Int128(r1.count)
        guard var joint = product(n, dot), var first = product(n, Int128(r1[0])), var second = product(n, Int128(r2[0]))
        else { return nil }
        var frequencies = n
        if averaging == .nonZero {
            guard let s1 = product(totals.0, totals.0), let s2 = product(totals.1, totals.1), let s12 = product(s1, s2)
            else { return nil }
            // Each is a sum over all frequencies less its (non-negative) zero-frequency term: no overflow.
            joint -= s12
            first -= s1
            second -= s2
            frequencies -= 1
        }
        // L² < 2¹²⁶ for L ≤ Int.max.
        let square1 = Int128(scales.0) * Int128(scales.0), square2 = Int128(scales.1) * Int128(scales.1)
        guard let den1 = product(frequencies, square1), let den2 = product(frequencies, square2),
            let den12 = product(den1, square2)
        else { return nil }
        return Parts(
            jointPower: Rational(reducing: joint, den12), firstPower: Rational(reducing: first, den1),
            secondPower: Rational(reducing: second, den2))
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
