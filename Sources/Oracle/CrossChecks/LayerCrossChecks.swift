import Fast
import Reference

/// `SDREstimators.layer` (Sec. 4, Fig. 5) against exact eq. (24) for every (filter, channel) pair: the layer takes
/// another route than `SDREstimators.strided` (averaged power spectra, their inverse DFT, and the filters' linear
/// autocorrelations at the lags divisible by s), so it gets its own error bound.
extension FastCrossChecks {
    struct LayerCase: Sendable, JSONRenderable {
        let m: Int, s: Int, h: Int, weights: [[[Rational]]], maps: [[[Rational]]]
        let averaging: Reference.FrequencyAveraging, grid: ActivationGrid
        var outChannels: Int { weights.count }
        var inChannels: Int { weights[0].count }
        var json: JSONValue {
            .object([
                "m": .int(m), "s": .int(s), "h": .int(h), "weights[o][c]": weights.json, "maps[b][c]": maps.json,
                "averaging": .string(averaging.rawValue), "grid": .string(grid.rawValue),
            ])
        }

        /// The pair (o, c) as a strided case: filter W[o, c], maps X[·, c].
        func pair(_ o: Int, _ c: Int) -> StridedCase {
            StridedCase(m: m, s: s, h: h, kernel: weights[o][c], maps: maps.map { $0[c] }, averaging: averaging)
        }
    }

    /// Cout, Cin ≤ 3 (so a channel serves several filters and a filter several channels), B ≤ 3, m ≤ 4, s ≤ 3.
    static var layerCase: Gen<LayerCase> {
        Gen.zip(
            Gen.zip(Gen.int(in: 1...3), Gen.int(in: 1...3), Gen.int(in: 1...3)),
            Gen.zip(Gen.int(in: 1...4), Gen.int(in: 1...3)),
            Gen.element(of: Reference.FrequencyAveraging.allCases), Gen.element(of: ActivationGrid.allCases)
        )
        .flatMap { channels, sizes, averaging, grid in
            let (cout, cin, b) = channels, (m, s) = sizes
            return Gen.int(in: 1...min(4, m * s)).flatMap { h in
                Gen.zip(
                    Gen.array(of: Gen.array(of: signal(h * h), count: cin...cin), count: cout...cout),
                    Gen.array(of: Gen.array(of: signal(m * m), count: cin...cin), count: b...b)
                ).map {
                    LayerCase(m: m, s: s, h: h, weights: $0.0, maps: $0.1, averaging: averaging, grid: grid)
                }
            }
        }
    }

    /// Whether every pair of `SDREstimators.layer` lies within its bound of exact eq. (24).
    ///
    /// Bound, per pair, at the per-frequency scale (L lags, h·h filter taps, S = ‖f‖₁, E = ‖f‖₂² ≤ S²,
    /// A = max_b ‖x_b‖₁² ≥ every |x̂_b(u)|², M = m², e_x the per-coefficient error of |x̂|² through the FFT):
    /// P_c errs by e_x + (B + 1)u·A; its inverse DFT R_c (|R_c| ≤ A) by that plus (κ_m + κ_m)·u·A, and R_c(0), taken
    /// directly, by (M + B + 2)u·A; the autocorrelation r_f(d) (|r_f| ≤ E) by (hh + 1)u·E. The joint Σ_d w·r_f·R_c
    /// (w ≤ 2) then errs by 2L·E·(e_R + (hh + L + 4)u·A). Under `.nonZero` the zero-frequency term f̄²·P(0) (≤ S²A,
    /// within (M + B + hh + 6)u·S²A) is removed and N/(N − 1) applied. The filter and activation averages are direct
    /// sums: within (N + 1)(hh + 5)u·S²/(N − 1) and (K + 1)(M + B + 5)u·A/(K − 1) (K = N or M; without the
    /// (K + 1)/(K − 1) factor and the zero term under `.all`).
    static func checkLayer(_ c: LayerCase) throws -> Bool {
        let n = c.m * c.s, bigN = Double(n * n), bigM = Double(c.m * c.m), b = Double(c.maps.count)
        let sums = try (0..<c.outChannels).map { o in try (0..<c.inChannels).map { try stridedSums(c.pair(o, $0)) } }
        let exact = try sums.map { try $0.map { try $0.ratio(grid: c.grid, maps: c.maps.count) } }
        let weights = c.weights.flatMap { $0.flatMap { $0.map(\.doubleValue) } }
        let activations = c.maps.flatMap { $0.flatMap { $0.map(\.doubleValue) } }
        let layer = try refusing {
            try SDREstimators.layer(
                weights: weights, weightShape: [c.outChannels, c.inChannels, c.h, c.h], activations: activations,
                activationShape: [c.maps.count, c.inChannels, c.m, c.m], stride: c.s, map: n,
                averaging: fastAveraging(c.averaging), grid: c.grid)
        }
        // A refusal (of the layer, or NaN for a pair) is allowed where eq. (24) is 0/0 or within the 10⁻¹² power floor
        // of it.
        func refusalAllowed(_ o: Int, _ ch: Int) throws -> Bool {
            if exact[o][ch] == nil { return true }
            return try sums[o][ch].nearlyUndefined(maps: c.pair(o, ch).maps, m: c.m, grid: c.grid)
        }
        guard let layer else {
            for o in 0..<c.outChannels { for ch in 0..<c.inChannels where try refusalAllowed(o, ch) { return true } }
            return false
        }
        let nonZero = c.averaging == .nonZero
        let kappa =
            2 * FFTPlanCache.shared.plan(c.m).errorBound(l1Norm: 1) / u  // κ_m + κ_m, the 2D transform of P_c
        let hh = Double(c.h * c.h)
        let lags = Double((0..<c.h).filter { $0 % c.s == 0 }.count * (-(c.h - 1)..<c.h).filter { $0 % c.s == 0 }.count)
        for o in 0..<c.outChannels {
            for ch in 0..<c.inChannels {
                guard let fast = layer.value(out: o, in: ch) else {
                    if try refusalAllowed(o, ch) { continue }
                    return false
                }
                guard let e = exact[o][ch] else { return false }  // Fast returned a value where eq. (24) is 0/0
                let pair = c.pair(o, ch)
                let s2 = l1(pair.kernel) * l1(pair.kernel),
                    energy = pair.kernel.reduce(0) { $0 + $1.doubleValue * $1.doubleValue }
                var a = 0.0, ex = 0.0
                for x in pair.maps {
                    let (a2, e2) = powerError(x, c.m, c.m); a = max(a, a2); ex = max(ex, e2)
                }
                let errorR = ex + (kappa + bigM + b + 2) * u * a
                let errorJoint = 2 * lags * energy * (errorR + (hh + lags + 4) * u * a)
                let errorNumerator =
                    nonZero
                    ? (bigN * errorJoint + (bigM + b + hh + 6) * u * s2 * a + 2 * u * bigN * 2 * lags * energy * a)
                        / (bigN - 1)
                    : errorJoint
                let errorFilter = nonZero ? (bigN + 1) * (hh + 5) * u * s2 / (bigN - 1) : (hh + 1) * u * energy
                let k = c.grid == .upsampled ? bigN : bigM
                let errorActivation = nonZero ? (k + 1) * (bigM + b + 5) * u * a / (k - 1) : (bigM + b + 2) * u * a
                let filter = sums[o][ch].filter.doubleValue / Double(sums[o][ch].countN)
                guard
                    ratioWithinBounds(
                        fast: fast, exact: e.ratio, joint: e.numerator.doubleValue,
                        eJ: errorNumerator, a: filter, eA: errorFilter, b: e.activation.doubleValue,
                        eB: errorActivation)
                else { return false }
            }
        }
        return true
    }

    static var layer: [ClaimReading] {
        [
            .property(
                id: "fast.layer", reading: "per-pair", kind: .float,
                statement:
                    "SDREstimators.layer (Sec. 4, Fig. 5: the [Cout, Cin] matrix of strided SDRs of a conv-transpose "
                    + "layer) gives, for every (filter, channel) pair, exact eq. (24) of that filter zero-padded to "
                    + "n = s·m and that channel's maps over the batch — both averagings, both activation grids — "
                    + "within the bound derived beside the check.",
                expected: .holds, cases: 150, gen: layerCase, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(c.outChannels * c.inChannels >= 2 && c.h >= 2 && c.m >= 2 && c.s >= 2),
                        .parameter("pairs", c.outChannels * c.inChannels), .parameter("stride", c.s),
                    ]
                },
                nonTrivialShare: 0.2,
                check: checkLayer)
        ]
    }
}
