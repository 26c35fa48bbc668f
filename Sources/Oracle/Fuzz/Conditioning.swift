import Fast
import Reference

/// The conditioning of the SDR at an input, and the error budget `oracle fuzz` judges an answer by.
///
/// **Condition number.** The componentwise relative condition number of ρ with respect to the input entries,
///
///     κ(x) = Σ_j |x_j|·|∂ρ/∂x_j| / |ρ|,
///
/// the sum over every entry of every input array (both kernels of eq. 8; kernel and samples of eq. 23;
/// filter and maps of eq. 24; for a layer, per matrix entry ρ[o, c]: the filter W[o, c] and the maps X[·, c]).
/// Perturbing every entry by a relative δ moves ρ by at most κ·δ relatively (to first order), so an
/// estimator that is exact on inputs rounded by u, or backward stable with a constant c, errs by about c·κ·u.
/// Where ρ = 0 the error is judged absolutely and κ is the absolute Σ_j |x_j|·|∂ρ/∂x_j|.
///
/// **Gradient.** Every task is eq. (24) on a filter grid n (N points) with B maps on a grid m dividing n
/// (eq. 8: k₁ the filter and k₂ the one map, m = n; eq. 23: m = n). With F(u) = |k̂(u)|² on the n-grid,
/// P(w) = (1/B) Σ_i |x̂_i(w)|² on the m-grid, P↑(u) = P(u mod m) (App. B.10: x̂_i(su) = x̂_i(u mod m)) and
/// the sums over the non-zero frequencies of the n-grid J = Σ_{u≠0} F·P↑, A = Σ_{u≠0} F, C = Σ_{u≠0} P↑,
///
///     ρ = (N − 1)·J / (A·C),
///     ∂ρ/∂F(u) = (N − 1)/(A·C)·(P↑(u) − J/A),   ∂ρ/∂P↑(u) = (N − 1)/(A·C)·(F(u) − J/C)   (u ≠ 0),
///     ∂ρ/∂P(w) = Σ_{u≠0, u ≡ w mod m} ∂ρ/∂P↑(u),
///     ∂ρ/∂k[j] = 2 Re Σ_u ∂ρ/∂F(u)·k̂(u)·e^{+2πi u·j/n}        (an inverse DFT of ∂ρ/∂F ⊙ k̂),
///     ∂ρ/∂x_i[j] = (2/B) Re Σ_w ∂ρ/∂P(w)·x̂_i(w)·e^{+2πi w·j/m},
///
/// from ∂|k̂(u)|²/∂k[j] = 2 Re(conj(k̂(u))·e^{−2πi u·j/n}). For eq. (8) this is
/// ∂⟨|k̂₁|²|k̂₂|²⟩/∂k₁[j] = (2/f) Σ_{u≠0} |k̂₂(u)|² Re(conj(k̂₁(u)) e^{−2πiuj/N}) chained through the quotient.
/// Computed in Double with `Fast`'s FFT (κ needs a digit or two): the filter (and, when m = n, each map) is
/// first centred exactly — its mean subtracted in rationals — since k̂(u ≠ 0), and so ρ and its gradient, do
/// not depend on the mean; a large constant offset then costs the Double spectra nothing. Each array (the maps
/// together) is scaled by a power of two, which changes neither κ nor any rounding.
///
/// **Budget.** An answer's relative error E (per entry for a layer) is judged against
///
///     B = factor · u · (κ + 1),   factor = 8·(⌈log₂N⌉ + 1),
///
/// u = 2⁻⁵³ for a float64 estimator, 2⁻²⁴ for float32 (`--precision`), N the length of the filter's transform.
/// The κ·u term is what any backward-stable algorithm loses to its input perturbation; the + 1 is the error of
/// its last operations (the sums of non-negative powers and the quotient), which no conditioning amplifies —
/// the standard bound (κ + 1)·ε of a mixed forward-backward stable algorithm, so B > 0 even where κ = 0
/// (a flat spectrum, or a single non-zero frequency, where ρ ≡ 1). The factor is the algorithm's constant:
/// an FFT's normwise error is about log₂N butterfly stages of a few u each (Higham, *Accuracy and Stability
/// of Numerical Algorithms*, §24.1), |k̂|² doubles a relative error, and the + 1 covers a Bluestein or Rader
/// length (≈ 2N) and the summations. A direct DFT-matrix product has the worst-case constant N rather than
/// log₂N, but its rounding errors are random-signed, so it errs by √N-ish, inside the factor. Measured: numpy's
/// FFT and `Fast`'s estimators stay within 0.31 budgets on 500 generated cases of every task; `Fast`'s FFT and a
/// float64 DFT matrix within 0.03 on offsets of 9·2²⁰ and 9·2³⁰ and scalings by 2^±40, on every task
/// (Tests/Properties/ConditionedJudgingTests.swift); float32 arithmetic (10⁶–10⁷ budgets), a subtractive ⟨|k̂|²⟩
/// (error ∝ κ²·u) and a threshold on small power exceed it by orders of magnitude. See docs/fuzzing.md, "How
/// answers are judged".
public enum Conditioning {
    /// The arithmetic an estimator is judged as using (`oracle fuzz --precision 64|32`).
    public enum Precision: Int, Sendable, CaseIterable, Codable {
        case float64 = 64
        case float32 = 32

        /// u = 2⁻⁵³ (float64) or 2⁻²⁴ (float32).
        public var unitRoundoff: Double { self == .float64 ? 0x1p-53 : 0x1p-24 }
    }

    /// The budget's rule, as it is printed in reports.
    public static let rule = "8·(⌈log₂N⌉ + 1)·u·(κ + 1)"

    /// ρ and its gradient at one input, in the input's own coordinates.
    public struct Gradient: Sendable, Equatable {
        /// ρ computed in Double.
        public var rho: Double
        /// ∂ρ/∂(filter entry), in the filter's own shape (not the padded grid).
        public var filter: [Double]
        /// ∂ρ/∂(map entry), one array per map.
        public var samples: [[Double]]
        /// Σ_j |x_j|·|∂ρ/∂x_j| over every entry (κ·|ρ|).
        public var sensitivity: Double
    }

    /// N: the number of points of the filter's transform (d, R·C, or n·n).
    public static func transformLength(_ input: EstimatorCase) -> Int {
        switch input {
        case let .sdr1d(k1, _), let .sdr2d(k1, _): return k1.rows * k1.columns
        case let .batch(kernel, _): return kernel.rows * kernel.columns
        case let .strided(filter, _, _): return filter.rows * filter.columns
        case let .layer(layer): return layer.map.rows * layer.map.columns
        // The companions' budget is 8·u·(κ + 1): their bound already counts every operation.
        case .icScores, .cageScores: return 1
        }
    }

    /// 8·(⌈log₂N⌉ + 1): the constant of an FFT-based (or, in practice, a DFT-matrix) float estimator.
    public static func factor(transformLength n: Int) -> Double {
        let log2N = n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount
        return 8 * Double(log2N + 1)
    }

    /// factor · u · (κ + 1); infinite when κ is.
    public static func budget(conditionNumber kappa: Double, transformLength n: Int, precision: Precision)
        -> Double
    {
        factor(transformLength: n) * precision.unitRoundoff * (kappa + 1)
    }

    /// The gradient of each value of the case (one for the SDR tasks, Cout·Cin in C order for a layer); nil where
    /// the SDR is undefined or its gradient cannot be computed in Double.
    public static func gradients(_ input: EstimatorCase, convention: SDRConvention = .paper) -> [Gradient?] {
        func gradient(filter: RationalImage, grid: (rows: Int, columns: Int), samples: [RationalImage]) -> Gradient? {
            Conditioning.gradient(filter: filter, grid: grid, samples: samples, convention: convention)
        }
        switch input {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2):
            return [gradient(filter: k1, grid: (k1.rows, k1.columns), samples: [k2])]
        case let .batch(kernel, samples):
            return [gradient(filter: kernel, grid: (kernel.rows, kernel.columns), samples: samples)]
        case let .strided(filter, samples, _):
            return [gradient(filter: filter, grid: (filter.rows, filter.columns), samples: samples)]
        case let .layer(layer):
            var out: [Gradient?] = []
            for o in 0..<layer.outChannels {
                for c in 0..<layer.inChannels {
                    let maps = (0..<layer.batch).map { layer.maps[$0 * layer.inChannels + c] }
                    out.append(
                        gradient(filter: layer.filters[o * layer.inChannels + c], grid: layer.map, samples: maps))
                }
            }
            return out
        case .icScores, .cageScores: return []
        }
    }

    /// κ of each value of the case. `exact` (the Reference's values) gives |ρ| exactly; without it the Double ρ
    /// is used. Where ρ = 0, κ is the absolute Σ|x_j|·|∂ρ/∂x_j|; where the gradient cannot be computed, +∞.
    public static func conditionNumbers(
        _ input: EstimatorCase, convention: SDRConvention = .paper, exact: [Rational]? = nil
    ) -> [Double] {
        if input.task.isCompanion {
            return CompanionConditioning.conditionNumbers(input, exact: exact?.map(SquareRootSum.init))
        }
        return gradients(input, convention: convention).enumerated().map { k, g in
            guard let g else { return .infinity }
            let rho = exact.map { k < $0.count ? $0[k] : .zero }
            let zero = rho.map(\.isZero) ?? (g.rho == 0)
            let magnitude = rho.map { $0.magnitude.doubleValue } ?? abs(g.rho)
            let kappa = zero ? g.sensitivity : g.sensitivity / magnitude
            return kappa.isNaN ? .infinity : kappa
        }
    }

    /// The gradient of eq. (24)'s ρ for a filter (zero-padded at the origin to the grid n) and maps on a grid m
    /// dividing n (m = n: eqs. 8 and 23). nil when ρ is undefined (no filter or map power at the averaged
    /// frequencies) or a Double overflows.
    ///
    /// Other conventions: with ⟨·⟩ over all frequencies the sums run over u = 0 too and N − 1 becomes N; on the
    /// native grid the activations' average is C = Σ_{w} P(w) over the m-grid's averaged frequencies (M − 1 or M
    /// of them), ρ = (M − 1)·J/(A·C), and ∂ρ/∂P(w) = (M − 1)/(A·C)·(Σ_{u ≡ w} F(u) − J/C) — the same rule with
    /// the multiplicity of w in C one instead of the number of u ≡ w.
    public static func gradient(
        filter: RationalImage, grid n: (rows: Int, columns: Int), samples: [RationalImage],
        convention: SDRConvention = .paper
    ) -> Gradient? {
        guard let first = samples.first, filter.rows <= n.rows, filter.columns <= n.columns else { return nil }
        let m = (rows: first.rows, columns: first.columns)
        guard n.rows % m.rows == 0, n.columns % m.columns == 0,
            samples.allSatisfy({ $0.rows == m.rows && $0.columns == m.columns })
        else { return nil }
        let bigN = n.rows * n.columns, bigM = m.rows * m.columns
        // The lowest averaged frequency (1: the non-zero ones), and whether C is on the native grid.
        let lowest = convention.averaging == .nonZero ? 1 : 0
        let native = convention.grid == .native && bigM != bigN
        guard bigN > lowest, !native || bigM > lowest else { return nil }

        // The filter, padded, centred exactly (F(u ≠ 0) does not depend on its mean) when only u ≠ 0 is averaged.
        var padded = [Rational](repeating: .zero, count: bigN)
        for r in 0..<filter.rows {
            for c in 0..<filter.columns { padded[r * n.columns + c] = filter.values[r * filter.columns + c] }
        }
        let (kc, kAbs, kScale) = lowest == 1 ? centred([padded]) : uncentred([padded])
        // The maps: centred only when they are not up-sampled (m = n) and P(0) is not averaged.
        let centreMaps = lowest == 1 && bigM == bigN
        let (xc, xAbs, xScale) = centreMaps ? centred(samples.map(\.values)) : uncentred(samples.map(\.values))

        guard let (kRe, kIm) = try? FFT.realForward2D(kc[0], rows: n.rows, columns: n.columns) else { return nil }
        var spectra: [(re: [Double], im: [Double])] = []
        for x in xc {
            guard let s = try? FFT.realForward2D(x, rows: m.rows, columns: m.columns) else { return nil }
            spectra.append(s)
        }
        let f = (0..<bigN).map { kRe[$0] * kRe[$0] + kIm[$0] * kIm[$0] }
        var p = [Double](repeating: 0, count: bigM)
        for s in spectra { for w in 0..<bigM { p[w] += s.re[w] * s.re[w] + s.im[w] * s.im[w] } }
        let b = Double(samples.count)
        for w in 0..<bigM { p[w] /= b }
        /// Index of u mod m on the m-grid.
        func folded(_ u: Int) -> Int { (u / n.columns % m.rows) * m.columns + (u % n.columns) % m.columns }
        var joint = 0.0, filterPower = 0.0, mapPower = 0.0
        for u in lowest..<bigN {
            let pu = p[folded(u)]
            joint += f[u] * pu
            filterPower += f[u]
            if !native { mapPower += pu }
        }
        if native { for w in lowest..<bigM { mapPower += p[w] } }
        guard filterPower > 0, mapPower > 0 else { return nil }
        let scale = Double(native ? bigM - lowest : bigN - lowest) / (filterPower * mapPower)
        let rho = joint * scale
        var gF = [Double](repeating: 0, count: bigN), gP = [Double](repeating: 0, count: bigM)
        let perTerm = scale * joint / mapPower
        for u in lowest..<bigN {
            let w = folded(u)
            gF[u] = scale * (p[w] - joint / filterPower)
            gP[w] += scale * f[u] - (native ? 0 : perTerm)
        }
        if native { for w in lowest..<bigM { gP[w] -= perTerm } }
        // ∂ρ/∂k = 2·N·Re(IDFT(gF ⊙ k̂)) (FFT.inverse2D carries 1/N).
        guard var kGrad = inverseReal(gF, kRe, kIm, n, factor: 2 * Double(bigN)) else { return nil }
        var sensitivity = 0.0
        for j in 0..<bigN { sensitivity += kAbs[0][j] * abs(kGrad[j]) }
        kGrad = kGrad.map { $0 * kScale }
        var filterGradient: [Double] = []
        for r in 0..<filter.rows { for c in 0..<filter.columns { filterGradient.append(kGrad[r * n.columns + c]) } }
        var sampleGradients: [[Double]] = []
        for (i, s) in spectra.enumerated() {
            guard let g = inverseReal(gP, s.re, s.im, m, factor: 2 * Double(bigM) / b) else { return nil }
            for j in 0..<bigM { sensitivity += xAbs[i][j] * abs(g[j]) }
            sampleGradients.append(g.map { $0 * xScale })
        }
        guard rho.isFinite, sensitivity.isFinite else { return nil }
        return Gradient(rho: rho, filter: filterGradient, samples: sampleGradients, sensitivity: sensitivity)
    }

    /// factor·Re(IDFT(g ⊙ (re + i·im))) on a grid.
    static func inverseReal(
        _ g: [Double], _ re: [Double], _ im: [Double], _ grid: (rows: Int, columns: Int),
        factor: Double
    ) -> [Double]? {
        var hRe = zip(g, re).map { $0 * $1 }, hIm = zip(g, im).map { $0 * $1 }
        guard (try? FFT.inverse2D(re: &hRe, im: &hIm, rows: grid.rows, columns: grid.columns)) != nil else {
            return nil
        }
        return hRe.map { $0 * factor }
    }

    /// Arrays centred exactly (each minus its own mean), as Doubles scaled by one power of two 2^−e so the
    /// largest centred entry is in [1, 2); also |x| under the same scale, and the scale 2^−e itself (∂ρ/∂x in
    /// the input's coordinates is the scaled gradient times 2^−e).
    static func centred(_ arrays: [[Rational]]) -> (values: [[Double]], magnitudes: [[Double]], scale: Double) {
        let shifted = arrays.map { values -> [Double] in
            let mean = values.reduce(Rational.zero, +).divided(byNonZero: max(values.count, 1))
            return values.map { ($0 - mean).doubleValue }
        }
        return scaled(shifted, arrays)
    }

    /// The arrays as they are (scaled like `centred`).
    static func uncentred(_ arrays: [[Rational]]) -> (values: [[Double]], magnitudes: [[Double]], scale: Double) {
        scaled(arrays.map { $0.map(\.doubleValue) }, arrays)
    }

    static func scaled(_ values: [[Double]], _ originals: [[Rational]])
        -> (values: [[Double]], magnitudes: [[Double]], scale: Double)
    {
        let largest = values.joined().reduce(0.0) { max($0, abs($1)) }
        let e = largest > 0 && largest.isFinite ? Int(largest.exponent) : 0
        let scale = Double(sign: .plus, exponent: -e, significand: 1)
        let magnitudes = originals.map { $0.map { $0.magnitude.multiplied(byPowerOfTwo: -e).doubleValue } }
        return (values.map { $0.map { $0 * scale } }, magnitudes, scale)
    }
}

extension Conditioning {
    /// Whether every array of the case (the filter zero-padded to its grid; the maps together, when they share the
    /// filter's grid) carries more power at the non-zero frequencies than (64u)² of its total power. Below that an
    /// estimator in that precision cannot tell the power from rounding noise — a relative u on a constant array
    /// already puts about (u·N)² of its power there, a second-order effect κ does not see — so the fuzzer accepts
    /// an error answer ("undefined") there, though ρ is defined. Computed exactly (Parseval: Σ_{u≠0} |x̂(u)|² is
    /// N·Σ_j (x_j − x̄)²).
    /// Under the all-frequency averaging every array's whole power is averaged: always resolvable. On the native
    /// grid the maps' own non-zero frequencies are averaged, so they must be resolved on their grid.
    public static func resolvable(
        _ input: EstimatorCase, precision: Precision, convention: SDRConvention = .paper
    ) -> Bool {
        if convention.averaging == .all { return true }
        let native = convention.grid == .native
        let floor = (64 * precision.unitRoundoff) * (64 * precision.unitRoundoff)
        /// Σ_{u≠0} power / total power of the arrays together, each on `points` points (the rest zero padding).
        func resolved(_ arrays: [RationalImage], points: Int) -> Bool {
            if clearlyResolved(arrays, floor: floor) { return true }
            var varying = Rational.zero, total = Rational.zero
            for a in arrays {
                let mean = a.values.reduce(Rational.zero, +).divided(byNonZero: points)
                let deviations = a.values.map { $0 - mean }
                varying += deviations.reduce(Rational.zero) { $0 + $1 * $1 }
                varying += mean * mean * Rational(points - a.values.count)
                total += a.values.reduce(Rational.zero) { $0 + $1 * $1 }
            }
            return total.isZero || varying.doubleValue > floor * total.doubleValue
        }
        switch input {
        case let .sdr1d(k1, k2), let .sdr2d(k1, k2):
            return resolved([k1], points: k1.values.count) && resolved([k2], points: k2.values.count)
        case let .batch(kernel, samples):
            return resolved([kernel], points: kernel.values.count) && resolved(samples, points: kernel.values.count)
        case let .strided(filter, samples, s):
            return resolved([filter], points: filter.values.count)
                && (s > 1 && !native || resolved(samples, points: samples[0].values.count))
        case .icScores, .cageScores: return CompanionConditioning.resolvable(input, precision: precision)
        case let .layer(l):
            let points = l.map.rows * l.map.columns
            for o in 0..<l.outChannels {
                for c in 0..<l.inChannels where !resolved([l.filters[o * l.inChannels + c]], points: points) {
                    return false
                }
            }
            guard l.stride == 1 || native else { return true }
            return (0..<l.inChannels).allSatisfy { c in
                resolved((0..<l.batch).map { l.maps[$0 * l.inChannels + c] }, points: l.maps[0].values.count)
            }
        }
    }

    /// A sufficient test for `resolvable`'s, in Double: two entries of one array δ apart put at least δ²/2 of power
    /// at u ≠ 0 whatever the mean, and the Doubles (correctly rounded) bound δ below and the total power above; a
    /// margin of 8 covers every rounding. False (decide exactly) when it cannot tell.
    static func clearlyResolved(_ arrays: [RationalImage], floor: Double) -> Bool {
        var total = 0.0, spread = 0.0
        for a in arrays {
            var (lowest, highest) = (Double.infinity, -Double.infinity)
            for v in a.values {
                let x = v.doubleValue
                total += x * x
                (lowest, highest) = (min(lowest, x), max(highest, x))
            }
            let margin = 0x1p-50 * (abs(lowest) + abs(highest))
            spread = max(spread, (highest - lowest) * (1 - 0x1p-50) - margin)
        }
        guard total.isFinite, total > 0x1p-900, spread > 0 else { return false }
        return spread * spread / 2 > 8 * floor * total
    }
}
