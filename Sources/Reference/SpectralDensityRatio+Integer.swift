/// A faster exact SDR (eq. 8) for integer kernels: autocorrelations in machine integers, one final fraction.
/// It gives the same reduced fraction as `SpectralDensityRatio.ratio` (same identities, no rounding).
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
        let n = k1.count
        if averaging == .nonZero && n < 2 {
            throw .undefined("a kernel of one point has no non-zero frequency to average over")
        }
        guard let r1 = integerAutocorrelation(k1, rows: rows, columns: columns),
            let r2 = integerAutocorrelation(k2, rows: rows, columns: columns)
        else {
            // Entries too large for exact machine arithmetic: the general route.
            let a = try RationalImage(rows: rows, columns: columns, values: k1.map { Rational($0) })
            let b = try RationalImage(rows: rows, columns: columns, values: k2.map { Rational($0) })
            return try ratio(a, b, averaging: averaging)
        }
        // Σ_τ r₁(τ) r₂(−τ) = Σ_τ r₁(τ) r₂(τ) (autocorrelations of real kernels are even), in Int128.
        var cross: Int128 = 0
        for t in 0..<n { cross += Int128(r1[t]) * Int128(r2[t]) }
        let sum1 = BigInt(k1.reduce(0, +)), sum2 = BigInt(k2.reduce(0, +))
        let size = BigInt(n)
        var joint = size * BigInt(exactly: cross)!, first = size * BigInt(r1[0]), second = size * BigInt(r2[0])
        var frequencies = size
        if averaging == .nonZero {
            let s1 = sum1 * sum1, s2 = sum2 * sum2
            joint -= s1 * s2; first -= s1; second -= s2
            frequencies = BigInt(n - 1)
        }
        guard !first.isZero, !second.isZero else {
            throw .undefined(
                "the SDR needs ⟨|k̂₁|²⟩ and ⟨|k̂₂|²⟩ non-zero: a kernel with no power at the averaged frequencies "
                    + "(zero, or constant when the zero frequency is excluded) has no SDR"
            )
        }
        // (J/F)/((A/F)(B/F)) = J·F/(A·B).
        return try Rational(joint * frequencies, first * second)
    }

    /// The circular autocorrelation r(τ) = Σ_m k[m] k[m+τ] of an integer kernel, exactly, or nil when
    /// |k|²·count ≥ 2⁵³ (then Double products and sums would not all be exact integers).
    /// 1D runs on Doubles holding integers (exact below 2⁵³), over τ ≤ d/2 (r(d − τ) = r(τ)).
    public static func integerAutocorrelation(_ k: [Int], rows: Int = 1, columns: Int) -> [Int]? {
        let n = k.count
        let maxAbs = k.reduce(0) { max($0, $1.magnitude > UInt(1 << 26) ? Int.max : abs($1)) }
        guard maxAbs < (1 << 26), Double(maxAbs) * Double(maxAbs) * Double(n) < 0x1p53 else { return nil }
        var r = [Int](repeating: 0, count: n)
        if rows == 1 {
            let kk = (k + k).map(Double.init)
            kk.withUnsafeBufferPointer { p in
                for tau in 0...(n / 2) {
                    var acc0 = 0.0, acc1 = 0.0
                    var m = 0
                    while m + 1 < n {
                        acc0 += p[m] * p[m + tau]
                        acc1 += p[m + 1] * p[m + 1 + tau]
                        m += 2
                    }
                    if m < n { acc0 += p[m] * p[m + tau] }
                    let value = Int(acc0 + acc1)
                    r[tau] = value
                    r[(n - tau) % n] = value
                }
            }
            return r
        }
        for a in 0..<rows {
            for b in 0..<columns {
                var sum = 0
                for i in 0..<rows {
                    for j in 0..<columns {
                        let x = k[i * columns + j]
                        if x != 0 { sum += x * k[((i + a) % rows) * columns + (j + b) % columns] }
                    }
                }
                r[a * columns + b] = sum
            }
        }
        return r
    }
}
