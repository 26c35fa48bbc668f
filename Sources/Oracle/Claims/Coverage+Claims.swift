import Reference

/// When a generated case is one on which a claim bites (the `non-trivial` coverage label): the notions the
/// claim files share. Decided exactly, in Q, without any DFT.
enum Bites {
    /// |k̂|² is constant over the non-zero frequencies ⟺ the circular autocorrelation r[τ] = Σ_t k[t]k[t+τ] is
    /// constant over τ ≠ 0 (the inverse DFT of c + (v − c)·δ₀ is constant off 0). Images: lags on Z_R × Z_C.
    static func isFlat(_ k: RationalImage) -> Bool {
        let (rows, columns) = (k.rows, k.columns)
        var first: Rational?
        for dr in 0..<rows {
            for dc in 0..<columns where dr != 0 || dc != 0 {
                var r = Rational.zero
                for a in 0..<rows {
                    for b in 0..<columns {
                        let x = k.values[a * columns + b]
                        if x.isZero { continue }
                        r += x * k.values[((a + dr) % rows) * columns + (b + dc) % columns]
                    }
                }
                if let first, first != r { return false }
                first = first ?? r
            }
        }
        return true
    }

    /// Entries that are not zero.
    static func support(_ values: [Rational]) -> Int { values.filter { !$0.isZero }.count }

    /// g acts non-trivially on Z_d^*: g ∉ {1, −1}.
    static func stretches(_ g: Int, _ d: Int) -> Bool { Primes.mod(g, d) != 1 && Primes.mod(g, d) != d - 1 }
}
