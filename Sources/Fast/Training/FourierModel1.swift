import ComplexModule
import RealModule

/// Model 1 in the Fourier domain (eq. 16, X̂ = k̂₂ · k̂₁ · Ẑ), 1D, with SGD on the real and imaginary parts
/// of the Fourier coefficients (Sec. 3.3) and the SDR penalty of eq. (13) (Sec. 3.4).
extension Training {
    public typealias Spectrum = [Complex<Double>]

    // MARK: a private naive DFT (training only)

    /// TRAINING-PRIVATE naive DFT, O(d²), â[u] = Σₖ a[k] e^{−2πiuk/d} (App. B.4), with `DeterministicMath`
    /// unit roots. It is *not* the project's FFT (Sources/Fast/FFT*): it only converts the tiny (d = 5)
    /// initial kernels of Sec. 3.3 / App. B.12 and checks gradients.
    package static func naiveDFT(_ x: [Double]) -> Spectrum {
        let d = x.count
        return (0..<d).map { u in
            var re = 0.0, im = 0.0
            for k in 0..<d {
                let (c, s) = DeterministicMath.unitRoot(-u * k, d)
                re += x[k] * c; im += x[k] * s
            }
            return Complex(re, im)
        }
    }

    /// TRAINING-PRIVATE naive inverse of `naiveDFT` with the 1/d factor (App. B.4 prints it without):
    /// a[k] = (1/d) Σᵤ â[u] e^{2πiuk/d}, real part (the input is Hermitian for real kernels).
    static func naiveInverseDFT(_ x: Spectrum) -> [Double] {
        let d = x.count
        return (0..<d).map { k in
            var re = 0.0
            for u in 0..<d {
                let (c, s) = DeterministicMath.unitRoot(u * k, d)
                re += x[u].real * c - x[u].imaginary * s
            }
            return re / Double(d)
        }
    }

    // MARK: Model 1 and the SDR (eq. 8)

    /// X̂ = k̂₂ ⊙ k̂₁ ⊙ Ẑ (eq. 16); Ẑ ≡ 1 for Z a Dirac at the origin (Sec. 3.3).
    public static func model1Output(k1: Spectrum, k2: Spectrum, z: Spectrum? = nil) -> Spectrum {
        (0..<k1.count).map { u in k2[u] * k1[u] * (z?[u] ?? Complex(1, 0)) }
    }

    /// ρ(k₁, k₂) = ⟨|k̂₁|²|k̂₂|²⟩ / (⟨|k̂₁|²⟩⟨|k̂₂|²⟩) (eq. 8), ⟨·⟩ over the non-zero frequencies.
    public static func sdr(_ k1: Spectrum, _ k2: Spectrum) -> Double {
        var j = 0.0, p1 = 0.0, p2 = 0.0
        for u in 1..<k1.count {
            let m1 = k1[u].lengthSquared, m2 = k2[u].lengthSquared
            j += m1 * m2; p1 += m1; p2 += m2
        }
        let f = Double(k1.count - 1)
        return (j / f) / ((p1 / f) * (p2 / f))
    }

    /// The absolute cosine distance 1 − |⟨x, y⟩| / (‖x‖‖y‖), all frequencies (App. B.12): 0 iff x ∝ y.
    public static func absoluteCosineDistance(_ x: Spectrum, _ y: Spectrum) -> Double {
        var re = 0.0, im = 0.0, nx = 0.0, ny = 0.0
        for u in 0..<x.count {
            // conj(x)·y
            re += x[u].real * y[u].real + x[u].imaginary * y[u].imaginary
            im += x[u].real * y[u].imaginary - x[u].imaginary * y[u].real
            nx += x[u].lengthSquared; ny += y[u].lengthSquared
        }
        return 1 - (re * re + im * im).squareRoot() / (nx * ny).squareRoot()
    }

    // MARK: eq. (13)

    /// Eq. (13): ⟨|k̂₂|² ⊙ (|k̂₁|²/⟨|k̂₁|²⟩ − 1)⟩² = (J/P₁ − P₂)², ⟨·⟩ over the non-zero frequencies.
    public static func sdrPenalty(_ k1: Spectrum, _ k2: Spectrum) -> Double {
        let m = sdrPenaltyMean(k1, k2).mean
        return m * m
    }

    /// M = ⟨|k̂₂|² w⟩ with w(u) = |k̂₁(u)|²/⟨|k̂₁|²⟩ − 1, and w.
    static func sdrPenaltyMean(_ k1: Spectrum, _ k2: Spectrum) -> (mean: Double, weights: [Double]) {
        let d = k1.count, f = Double(d - 1)
        var p1 = 0.0
        for u in 1..<d { p1 += k1[u].lengthSquared }
        p1 /= f
        var w = [Double](repeating: 0, count: d)
        var m = 0.0
        for u in 1..<d {
            w[u] = k1[u].lengthSquared / p1 - 1
            m += k2[u].lengthSquared * w[u]
        }
        return (m / f, w)
    }

    /// The gradient of eq. (13) in k̂₂ over the real and imaginary parts, as ∂/∂Re + i ∂/∂Im:
    /// G(u) = (4M/F) w(u) k̂₂(u) for u ≠ 0, G(0) = 0 (F = d − 1 frequencies averaged).
    public static func sdrPenaltyGradient(_ k1: Spectrum, _ k2: Spectrum) -> Spectrum {
        let (m, w) = sdrPenaltyMean(k1, k2)
        let scale = 4 * m / Double(k1.count - 1)
        return (0..<k1.count).map { u in u == 0 ? Complex(0, 0) : scaled(k2[u], scale * w[u]) }
    }

    /// Eq. (13) and its gradient in the SPATIAL k₂ (the variables of `ExactGradients.sdrLoss`): with
    /// k̂₂(u) = Σₘ k₂[m] e^{−2πium/d}, ∂/∂k₂[m] = Re Σᵤ G(u) e^{2πium/d} (G as in `sdrPenaltyGradient`).
    public static func sdrPenaltySpatial(k1: [Double], k2: [Double]) -> (loss: Double, gradient: [Double]) {
        let h1 = naiveDFT(k1), h2 = naiveDFT(k2)
        let g = sdrPenaltyGradient(h1, h2)
        let d = k2.count
        let gradient = (0..<d).map { m in
            var re = 0.0
            for u in 0..<d {
                let (c, s) = DeterministicMath.unitRoot(u * m, d)
                re += g[u].real * c - g[u].imaginary * s
            }
            return re
        }
        return (sdrPenalty(h1, h2), gradient)
    }

    // MARK: SGD in the Fourier domain (Sec. 3.3)

    /// One SGD step on Σᵤ |Ĉ(u) − k̂₁(u)k̂₂(u)|² over the real and imaginary parts (Parseval, App. B.4; d times
    /// the spatial least squares, so the step equals spatial SGD at the same rate): with r = Ĉ − k̂₁k̂₂,
    /// k̂₁ ← k̂₁ + 2λ r conj(k̂₂), k̂₂ ← k̂₂ + 2λ r conj(k̂₁). Frequencies u and d − u are updated as
    /// conjugates (Hermitian symmetry, real kernels), exactly.
    public static func fourierSGDStep(k1: inout Spectrum, k2: inout Spectrum, target: Spectrum, rate: Double) {
        let d = k1.count
        for u in 0...(d / 2) {
            let p = k1[u], q = k2[u]
            let r = target[u] - p * q
            let twoRate = 2 * rate
            let p1 = p + scaled(r * q.conjugate, twoRate)
            let q1 = q + scaled(r * p.conjugate, twoRate)
            k1[u] = p1; k2[u] = q1
            if u != 0 && 2 * u != d { k1[d - u] = p1.conjugate; k2[d - u] = q1.conjugate }
        }
    }

    /// Ĉ = ĉ* + n̂ with n̂ the DFT of white noise N(0, σ² I): n̂(0) (and n̂(d/2)) real N(0, dσ²), otherwise
    /// Re, Im ~ N(0, dσ²/2) independent and n̂(d − u) = conj n̂(u) — the same law, sampled directly.
    public static func noisyTarget(_ clean: Spectrum, sigma: Double, rng: inout FastRandom) -> Spectrum {
        var out = clean
        noisyTarget(clean, sigma: sigma, rng: &rng, into: &out)
        return out
    }

    /// `noisyTarget` into a buffer of the same length (no allocation).
    public static func noisyTarget(_ clean: Spectrum, sigma: Double, rng: inout FastRandom, into out: inout Spectrum) {
        let d = clean.count
        let full = sigma * Double(d).squareRoot(), half = sigma * (Double(d) / 2).squareRoot()
        for u in 0...(d / 2) {
            if u == 0 || 2 * u == d {
                out[u] = Complex(clean[u].real + full * rng.normal(), clean[u].imaginary)
            } else {
                let n = Complex(half * rng.normal(), half * rng.normal())
                out[u] = clean[u] + n
                out[d - u] = clean[d - u] + n.conjugate
            }
        }
    }

    /// One gradient step of eq. (13) on k̂₂ with rate γ (Sec. 3.4): k̂₂ ← k̂₂ − γ G, in place.
    public static func sdrStep(k1: Spectrum, k2: inout Spectrum, gamma: Double) {
        let d = k1.count, f = Double(d - 1)
        var p1 = 0.0
        for u in 1..<d { p1 += k1[u].lengthSquared }
        p1 /= f
        var m = 0.0
        for u in 1..<d { m += k2[u].lengthSquared * (k1[u].lengthSquared / p1 - 1) }
        m /= f
        let scale = 4 * m / f
        for u in 1..<d {
            let g = scaled(k2[u], scale * (k1[u].lengthSquared / p1 - 1))
            k2[u] = k2[u] - scaled(g, gamma)
        }
    }

    /// Spatial kernels with entries N(0, 1), normalised to energy ‖k‖² = 1.
    static func randomUnitKernel(_ d: Int, rng: inout FastRandom) -> [Double] {
        while true {
            let k = (0..<d).map { _ in rng.normal() }
            let e = k.reduce(0) { $0 + $1 * $1 }
            if e > 1e-6 { let s = 1 / e.squareRoot(); return k.map { $0 * s } }
        }
    }

    /// A spectrum flat over the non-zero frequencies (random phases, random DC), of spatial energy 1;
    /// with it, ρ(k₁, k₂) = 1 for every k₁ (eq. 8), so the pair is S-generic.
    static func randomFlatSpectrum(_ d: Int, rng: inout FastRandom) -> Spectrum {
        var out = [Complex<Double>](repeating: Complex(0, 0), count: d)
        out[0] = Complex(rng.normal(), 0)
        for u in 1...(d / 2) {
            if 2 * u == d { out[u] = Complex(rng.uniform() < 0.5 ? -1 : 1, 0); continue }
            let (c, s) = DeterministicMath.unitRoot(Int(rng.next() >> 44), 1 << 20)
            out[u] = Complex(c, s); out[d - u] = Complex(c, -s)
        }
        // Parseval: Σ k[m]² = (1/d) Σ |k̂(u)|².
        let energy = out.reduce(0) { $0 + $1.lengthSquared } / Double(d)
        let s = 1 / energy.squareRoot()
        return out.map { scaled($0, s) }
    }
}

extension Training {
    /// |z| = √(Re² + Im²) with the IEEE square root (no libm).
    @inlinable
    public static func modulus(_ z: Complex<Double>) -> Double { z.lengthSquared.squareRoot() }

    /// z·s, componentwise (one rounding per component).
    @inlinable
    public static func scaled(_ z: Complex<Double>, _ s: Double) -> Complex<Double> {
        Complex(z.real * s, z.imaginary * s)
    }
}
