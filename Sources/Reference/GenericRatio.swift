/// Definition 2's generic ratio for Model 1 in closed form, by orbit averages of the power spectra (Prop. 4
/// generalised to 2D and to both averaging conventions), computed in Q from autocorrelations.
///
/// With a one-hot latent the output's power spectrum is |k̂₂(u)k̂₁(u)|², and stretching k₁ by g reads k̂₁ at g⁻¹u, so
/// E_g P(D_(g·k₁, k₂)) = ⟨|k̂₂(u)|²·O₁(u)⟩ with O(u) = (1/(d−1)) Σ_{g ∈ Z_d^*} |k̂(gu)|², the average of |k̂|² over the
/// orbit of u. In 1D the orbit of every u ≠ 0 is all of Z_d \ {0}, so O is the constant ⟨|k̂|²⟩ there and the ratio is
/// the SDR of eq. (8); on a d×d grid (g acting on both axes) the orbits are the d + 1 lines through 0, and it is not.
extension Model1 {
    /// O(u) = (1/(d−1)) Σ_g |k̂(gu)|² for every u (row-major), for a 1×d or d×d kernel (d prime).
    ///
    /// Route: |k̂(u)|² = Σ_τ r(τ) ζ^{⟨u,τ⟩} (r the circular autocorrelation), and Σ_{g ∈ Z_d^*} ζ^{ga} is d − 1 when
    /// d | a and −1 otherwise (a Ramanujan sum), so O(u) = (1/(d−1)) Σ_τ r(τ)·(d − 1 if ⟨u,τ⟩ ≡ 0 else −1): rational.
    public static func orbitAveragedPower(_ k: RationalImage) throws(ReferenceError) -> [Rational] {
        let d = k.columns
        guard Primes.isPrime(d) else { throw .notPrime(d) }
        guard k.rows == 1 || k.rows == d else {
            throw .shapeMismatch("orbit averages need a 1×d or d×d kernel (g acting on both axes), got \(k.rows)×\(d)")
        }
        let r = k.autocorrelation
        let total = r.reduce(Rational.zero, +)  // Σ_τ r(τ) = |k̂(0)|²
        return (0..<k.count).map { u in
            let (u0, u1) = (u / d, u % d)
            if u == 0 { return total }
            // Σ_τ r(τ)·c(⟨u,τ⟩) = d·Σ_{⟨u,τ⟩ ≡ 0} r(τ) − Σ_τ r(τ).
            var onLine = Rational.zero
            for t in 0..<r.count where (u0 * (t / d) + u1 * (t % d)) % d == 0 { onLine += r[t] }
            return (Rational(d) * onLine - total).divided(byNonZero: d - 1)
        }
    }

    /// Def. 2's ratio P(D_θ) / E_g P(D_(g·k₁, k₂)) by orbit averages: Σ_U |k̂₁k̂₂|² / Σ_U O₁·O₂, U all frequencies or
    /// the non-zero ones (the averaging's 1/|U| cancels); Σ_U |k̂₂|²O₁ = Σ_U O₂O₁ because O₁ is constant on orbits.
    /// Equal to `genericRatio(.modular, averaging:)` for every one-hot latent (App. B.6's proof, on orbits).
    public func genericRatioByOrbits(averaging: FrequencyAveraging = .nonZero) throws(ReferenceError) -> Rational {
        let (o1, o2) = (try Self.orbitAveragedPower(k1), try Self.orbitAveragedPower(k2))
        let (r1, r2) = (k1.autocorrelation, k2.autocorrelation)
        var joint = Rational.zero
        for t in r1.indices where !r1[t].isZero { joint += r1[t] * r2[t] }  // r₂(−τ) = r₂(τ)
        joint *= Rational(k1.count)  // Σ_u |k̂₁k̂₂|² = N Σ_τ r₁(τ) r₂(τ)
        var orbital = Rational.zero
        for u in o1.indices where averaging == .all || u != 0 { orbital += o1[u] * o2[u] }
        if averaging == .nonZero { joint -= (k1.sum * k2.sum).squared }
        guard !orbital.isZero else {
            throw .undefined(
                "the Haar average of the contrast is 0 (every orbit of k̂₁ or k̂₂ vanishes): the ratio is 0/0")
        }
        return try joint / orbital
    }
}
