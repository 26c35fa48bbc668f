/// The SDR of every (filter, activation map) pair of a conv-transpose layer (Sec. 4, Fig. 5; App. B.10).
public struct LayerSDR: Sendable, Equatable {
    public let outChannels: Int
    public let inChannels: Int
    /// ρ[o·Cin + c]: the strided SDR (eq. 24) of filter W[o, c] (zero-padded to n×n) and the maps X[·, c];
    /// NaN exactly at the pairs listed in `undefined`.
    public let sdr: [Double]
    /// The pairs whose SDR is 0/0, in index order, each with the reason: a filter with no power at the averaged
    /// frequencies (a pruned or zero filter), or an activation channel with none (a dead ReLU channel).
    public let undefined: [UndefinedPair]
    /// Bin edges e₀ < … < e_k and the k counts of the defined SDRs (bin j is [e_j, e_{j+1}), the last one closed).
    public let binEdges: [Double]
    public let histogram: [Int]
    /// SDRs below e₀ and above e_k.
    public let underflow: Int
    public let overflow: Int

    public subscript(out o: Int, in c: Int) -> Double { sdr[o * inChannels + c] }

    /// The SDR of pair (o, c), nil where it is undefined.
    public func value(out o: Int, in c: Int) -> Double? {
        let v = sdr[o * inChannels + c]
        return v.isNaN ? nil : v
    }

    /// The SDRs of the defined pairs, in index order.
    public var defined: [Double] { sdr.filter { !$0.isNaN } }

    /// A pair whose SDR is undefined, and why.
    public struct UndefinedPair: Sendable, Equatable {
        public enum Cause: String, Sendable {
            /// The activation channel has no power at the averaged frequencies.
            case activation
            /// The filter has no power at the averaged frequencies.
            case filter
        }

        public let out: Int
        public let `in`: Int
        public let cause: Cause
        public let reason: String
    }
}

extension SDREstimators {
    /// The [Cout, Cin] matrix of strided SDRs (eq. 24) of a layer: weights [Cout, Cin, h, w], activations
    /// [B, Cin, m, m′] (C order), stride s, output map n = s·m (checked against `map` when given), and
    /// their histogram over `bins` (edges, increasing; default 0, 0.1, …, 3). A pair whose SDR is 0/0 (a zero
    /// filter, a dead activation channel) is NaN in the matrix and listed in `undefined` with its reason; the
    /// other pairs are unaffected.
    ///
    /// Route: P_c = (1/B)Σ_b |x̂_b|² by batched 2D FFTs (two real maps per complex transform, four
    /// transforms per SIMD lane group), R_c = IDFT(P_c) (the averaged autocorrelation), then per pair
    /// Σ_{u∈n-grid} |f̂(u)|² P_c(u mod m) = N Σ_d r_f(d) R_c(d/s), r_f the kernel's linear autocorrelation
    /// at lags d divisible by s — so the filters need no FFT. The filter is split as f = g + ν·1_S, ν its mean over
    /// its h×w support S: r_f = r_g + ν·(Σ_{x, x+d ∈ S} g(x) + g(x + d)) + ν²·r_S, and the box's term
    /// ν²·Σ_w A(w) P_c(w), A(w) = Σ_{u ≡ w mod m} |1̂_S(u)|², is summed in frequency, where it is a sum of
    /// non-negative terms: as a lag sum, an offset-dominated filter's ν² r_S(d) cancelled against Σ R_c = 0.
    /// Memory beyond the inputs and the matrix: about 14·Cin·m·m′ doubles (`LayerActivationStatistics`, then the
    /// spectra), whatever the batch.
    public static func layer(
        weights: [Double], weightShape: [Int], activations: [Double], activationShape: [Int],
        stride s: Int, map: Int? = nil, averaging: FrequencyAveraging = .nonZero,
        grid: ActivationGrid = .upsampled, bins: [Double]? = nil
    ) throws(FastError) -> LayerSDR {
        let geometry = try LayerGeometry(
            weights: weights, weightShape: weightShape, activationShape: activationShape,
            activationCount: activations.count, stride: s, map: map, bins: bins)
        var statistics = try LayerActivationStatistics(
            channels: activationShape[1], rows: activationShape[2], columns: activationShape[3])
        try statistics.add(batch: activations, shape: activationShape)
        return try layer(
            weights: weights, geometry: geometry, statistics: &statistics, averaging: averaging, grid: grid)
    }

    /// `layer` on activations accumulated a map stack at a time (`LayerActivationStatistics`): the same matrix
    /// bit for bit, in memory linear in Cin·m·m′ rather than B·Cin·m·m′.
    public static func layer(
        weights: [Double], weightShape: [Int], statistics: inout LayerActivationStatistics,
        stride s: Int, map: Int? = nil, averaging: FrequencyAveraging = .nonZero,
        grid: ActivationGrid = .upsampled, bins: [Double]? = nil
    ) throws(FastError) -> LayerSDR {
        guard statistics.batch >= 1 else { throw .emptyShape("no activation map was added to the statistics") }
        let geometry = try LayerGeometry(
            weights: weights, weightShape: weightShape,
            activationShape: [statistics.batch, statistics.channels, statistics.rows, statistics.columns],
            activationCount: nil, stride: s, map: map, bins: bins)
        return try layer(
            weights: weights, geometry: geometry, statistics: &statistics, averaging: averaging, grid: grid)
    }

    /// A layer's sizes, checked: weights [Cout, Cin, h, w] (finite), activations [B, Cin, m0, m1] (holding
    /// `activationCount` values when given), stride s, output map n0×n1, bin edges.
    struct LayerGeometry {
        var cout, cin, h, w, s, n0, n1: Int
        var edges: [Double]

        init(
            weights: [Double], weightShape: [Int], activationShape: [Int], activationCount: Int?, stride s: Int,
            map: Int?, bins: [Double]?
        ) throws(FastError) {
            guard s >= 1 else {
                throw .invalidArgument("the stride (up-sampling factor) must be at least 1, got \(s)")
            }
            guard weightShape.count == 4 else {
                throw .shapeMismatch("weights must be [Cout, Cin, h, w], got shape \(weightShape)")
            }
            guard activationShape.count == 4 else {
                throw .shapeMismatch("activations must be [B, Cin, m, m′], got shape \(activationShape)")
            }
            try FastError.requireShape(weights.count, weightShape, "the weights")
            if let activationCount { try FastError.requireShape(activationCount, activationShape, "the activations") }
            (cout, cin, h, w) = (weightShape[0], weightShape[1], weightShape[2], weightShape[3])
            let (cinX, m0, m1) = (activationShape[1], activationShape[2], activationShape[3])
            guard cin == cinX else {
                throw .shapeMismatch(
                    "weights \(weightShape) have Cin = \(cin) but activations \(activationShape) have \(cinX) channels")
            }
            // n = s·m, overflow-safe: a stride too large for the map is an error, not a trap.
            guard SizeLimit.product([s, m0, s, m1]) != nil else {
                throw .invalidArgument(
                    "a stride of \(s) on \(m0)×\(m1) activation maps gives an output map too large to index")
            }
            self.s = s
            (n0, n1) = (s * m0, s * m1)
            if let map {
                guard map >= 1 else { throw .emptyShape("the map size is \(map)") }
                guard map % s == 0 else { throw .strideDoesNotDivide(map: map, stride: s) }
                guard map / s == m0, map / s == m1 else {
                    throw .shapeMismatch(
                        "a map \(map)×\(map) with stride \(s) needs activation maps of \(map / s)×\(map / s), got "
                            + "\(m0)×\(m1)"
                    )
                }
                (n0, n1) = (map, map)
            }
            guard h <= n0, w <= n1 else { throw .kernelLargerThanMap(kernel: [h, w], map: [n0, n1]) }
            edges = bins ?? (0...30).map { Double($0) / 10 }
            guard edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }),
                edges.allSatisfy(\.isFinite)
            else {
                throw .invalidArgument(
                    "bin edges must be at least two finite, strictly increasing values, got \(edges)")
            }
            try FastError.requireFinite(weights, "the weights", weightShape)
        }
    }

    static func layer(
        weights: [Double], geometry: LayerGeometry, statistics: inout LayerActivationStatistics,
        averaging: FrequencyAveraging, grid: ActivationGrid
    ) throws(FastError) -> LayerSDR {
        let (cout, cin, h, w, s, n0, n1) = (
            geometry.cout, geometry.cin, geometry.h, geometry.w, geometry.s, geometry.n0, geometry.n1
        )
        let (b, m0, m1, edges) = (statistics.batch, statistics.rows, statistics.columns, geometry.edges)
        let activationShape = [b, cin, m0, m1]
        let bigN = Double(n0 * n1), bigM = m0 * m1
        if averaging == .nonZero && n0 * n1 == 1 {
            throw .undefined("a 1×1 map has no non-zero frequency to average over")
        }
        // Per channel: the power P_c splits into P_c(0) = (1/B)Σ_b (Σx_b)², summed directly, and P′_c, the power
        // at w ≠ 0, from maps centred first; R′_c = IDFT(P′_c), with R′_c(0) = (1/B)Σ_b ‖x_b − x̄_b‖² directly.
        // Keeping the zero frequency apart avoids subtracting it from full sums, which cancels catastrophically on
        // offset maps.
        var r = [Double](repeating: 0, count: cin * bigM)
        var p0 = [Double](repeating: 0, count: cin), activationPower = p0
        let power = statistics.centredPowerSpectra()
        let zeroPower = statistics.zeroPower, centredEnergy = statistics.centredEnergy
        let s2 = Double(s * s), bigMD = Double(bigM)
        for c in 0..<cin {
            var pr = Array(power[c * bigM..<(c + 1) * bigM]), pi = [Double](repeating: 0, count: bigM)
            pr[0] = 0
            try FFT.inverse2D(re: &pr, im: &pi, rows: m0, columns: m1)
            for u in 0..<bigM { r[c * bigM + u] = pr[u] }
            let zero = zeroPower[c] / Double(b), energy = centredEnergy[c] / Double(b)  // P(0), (1/M)Σ_{w≠0} P(w)
            p0[c] = zero
            r[c * bigM] = energy
            // Σ_{u ∈ n-grid} P(u mod m) = s²(M·energy + zero): the s² − 1 aliases of w = 0 are non-zero frequencies.
            let total = s2 * (bigMD * energy + zero)
            let averaged: Double
            switch (grid, averaging) {
            case (.upsampled, .all), (.native, .all): averaged = energy + zero / bigMD
            case (.upsampled, .nonZero): averaged = (bigN * energy + (s2 - 1) * zero) / (bigN - 1)
            case (.native, .nonZero):
                guard bigM > 1 else {
                    throw .undefined("the native activation grid of one point has no non-zero frequency")
                }
                averaged = bigMD * energy / (bigMD - 1)
            }
            let check =
                averaging == .all
                ? total : grid == .upsampled ? bigN * energy + (s2 - 1) * zero : bigN * energy
            // A dead channel leaves its column undefined (NaN below), not the whole layer.
            // Not a subtraction any more: refused only below the relative floor (64u)² no float64 route resolves.
            activationPower[c] = total > 0 && check > powerFloor * total ? averaged : .nan
        }
        // Lags d = (d0, d1) with s | d0, s | d1 within the kernel's support, and their folded index d/s mod m.
        var lags: [(d0: Int, d1: Int, sigma: Int)] = []
        for d0 in 0..<h where d0 % s == 0 {
            for d1 in -(w - 1)..<w where d1 % s == 0 && (d0 > 0 || d1 >= 0) {
                let a = ((d0 / s) % m0 + m0) % m0, bb = ((d1 / s) % m1 + m1) % m1
                lags.append((d0, d1, a * m1 + bb))
            }
        }
        // The box S = [0, h)×[0, w) on the n-grid: |1̂_S(u)|² = D_h(u₀)·D_w(u₁), folded onto the m-grid as A(w); then
        // per channel Σ_{w ≠ 0} A(w)·P′_c(w) (P′_c(0) = 0).
        /// B(u) = Σ_{i < length} e^{−2πi·u·i/n} for u in 0..<n: one axis of the box's spectrum.
        func boxAxis(_ length: Int, _ n: Int) -> (re: [Double], im: [Double]) {
            let roots = (0..<n).map { FFTMath.unitRoot($0, n) }
            var re = [Double](repeating: 0, count: n), im = re
            for u in 0..<n {
                for i in 0..<length { let (c, s) = roots[(u * i) % n]; re[u] += c; im[u] -= s }
            }
            return (re, im)
        }
        let (rowsBox, columnsBox) = (boxAxis(h, n0), boxAxis(w, n1))
        var boxFolded = [Double](repeating: 0, count: bigM)
        for u0 in 0..<n0 {
            let a = rowsBox.re[u0] * rowsBox.re[u0] + rowsBox.im[u0] * rowsBox.im[u0]
            for u1 in 0..<n1 {
                let b = columnsBox.re[u1] * columnsBox.re[u1] + columnsBox.im[u1] * columnsBox.im[u1]
                boxFolded[(u0 % m0) * m1 + u1 % m1] += a * b
            }
        }
        /// N·joint of one pair summed in frequency — Σ_{u ≢ 0 mod m} |ĝ(u) + ν·B(u)|² P′_c(u mod m), ĝ by an FFT of g
        /// zero-padded to the n-grid, B the box's spectrum — for the pairs whose lag sum cancelled: non-negative terms.
        func frequencyJoint(_ g: [Double], nu: Double, channel c: Int) throws(FastError) -> Double {
            var padded = [Double](repeating: 0, count: n0 * n1)
            for i in 0..<h { for j in 0..<w { padded[i * n1 + j] = g[i * w + j] } }
            let (re, im) = try FFT.realForward2D(padded, rows: n0, columns: n1)
            var total = 0.0
            for u0 in 0..<n0 {
                for u1 in 0..<n1 {
                    let k = (u0 % m0) * m1 + u1 % m1
                    guard k != 0 else { continue }
                    let (br, bi) = (
                        rowsBox.re[u0] * columnsBox.re[u1] - rowsBox.im[u0] * columnsBox.im[u1],
                        rowsBox.re[u0] * columnsBox.im[u1] + rowsBox.im[u0] * columnsBox.re[u1]
                    )
                    let (fr, fi) = (re[u0 * n1 + u1] + nu * br, im[u0 * n1 + u1] + nu * bi)
                    total += (fr * fr + fi * fi) * power[c * bigM + k]
                }
            }
            return total
        }
        var boxJoint = [Double](repeating: 0, count: cin)
        for c in 0..<cin {
            var t = 0.0
            for k in 1..<max(bigM, 1) { t += boxFolded[k] * power[c * bigM + k] }
            boxJoint[c] = t / bigN
        }
        var sdr = [Double](repeating: 0, count: cout * cin)
        var undefined: [LayerSDR.UndefinedPair] = []
        let hw = h * w
        let wl = UnsafeMutablePointer<SIMD8<Double>>.allocate(capacity: hw)
        defer { wl.deallocate() }
        // g = f − ν on S, and its 2D prefix sums (h + 1)×(w + 1) for the cross term's window sums.
        let gl = UnsafeMutablePointer<SIMD8<Double>>.allocate(capacity: hw)
        defer { gl.deallocate() }
        let prefix = UnsafeMutablePointer<SIMD8<Double>>.allocate(capacity: (h + 1) * (w + 1))
        defer { prefix.deallocate() }
        /// Σ g over rows [i0, i1) and columns [j0, j1) of S.
        func window(_ i0: Int, _ i1: Int, _ j0: Int, _ j1: Int) -> SIMD8<Double> {
            let q = w + 1
            return prefix[i1 * q + j1] - prefix[i0 * q + j1] - prefix[i1 * q + j0] + prefix[i0 * q + j0]
        }
        for c in 0..<cin {
            let rc = c * bigM
            var o0 = 0
            while o0 < cout {
                let live = min(8, cout - o0)
                // Eight filters W[o0 + lane, c] side by side, built from scalars in one initializer (inserting
                // lanes one by one went through the stack and stalled on store forwarding). Lanes past Cout
                // repeat the last live filter and are discarded below.
                weights.withUnsafeBufferPointer { wp in
                    let wb = wp.baseAddress!
                    func base(_ lane: Int) -> UnsafePointer<Double> { wb + ((o0 + min(lane, live - 1)) * cin + c) * hw }
                    let f0 = base(0), f1 = base(1), f2 = base(2), f3 = base(3)
                    let f4 = base(4), f5 = base(5), f6 = base(6), f7 = base(7)
                    for k in 0..<hw { wl[k] = SIMD8(f0[k], f1[k], f2[k], f3[k], f4[k], f5[k], f6[k], f7[k]) }
                }
                var joint = SIMD8<Double>.zero, energy = SIMD8<Double>.zero, sum = SIMD8<Double>.zero
                var magnitude = SIMD8<Double>.zero
                for k in 0..<hw { sum += wl[k]; energy += wl[k] * wl[k] }
                let nu = sum / Double(hw)
                for k in 0..<hw { gl[k] = wl[k] - nu }
                for k in 0...w { prefix[k] = .zero }
                for i in 0..<h {
                    var row = SIMD8<Double>.zero
                    prefix[(i + 1) * (w + 1)] = .zero
                    for j in 0..<w {
                        row += gl[i * w + j]
                        prefix[(i + 1) * (w + 1) + j + 1] = prefix[i * (w + 1) + j + 1] + row
                    }
                }
                // Σ_{u ≡ 0 mod m} |f̂(u)|² = s²·Σ_y g(y)², g the filter folded mod s on each axis (f̂(m·v) is the
                // s-point DFT of g): where the zero frequency of P and its aliases meet the filter.
                var folded = [SIMD8<Double>](repeating: .zero, count: s * s)
                for i in 0..<h { for j in 0..<w { folded[(i % s) * s + j % s] += wl[i * w + j] } }
                var aliasPower = SIMD8<Double>.zero
                for g in folded { aliasPower += g * g }
                aliasPower *= s2
                // The same without u = 0, and the filter's power at u ≠ 0, from centred values (no subtraction of the
                // zero-frequency term): s²Σ_y (g(y) − ḡ)² and N·Σ_x (f(x) − μ)² over the padded n-grid, μ = Σf/N.
                let foldedMean = sum / s2, mu = sum / bigN
                var aliasNonZero = SIMD8<Double>.zero, centredFilter = SIMD8<Double>.zero
                for g in folded { let e = g - foldedMean; aliasNonZero += e * e }
                for k in 0..<hw { let e = wl[k] - mu; centredFilter += e * e }
                centredFilter += (bigN - Double(hw)) * mu * mu
                for lag in lags {
                    // r_f − ν²r_S at (d0, d1): g's autocorrelation and ν times g's sums over the overlap, where x
                    // and x + d lie in S; counted twice for ±d except d = 0.
                    var acc = SIMD8<Double>.zero
                    let j0 = max(0, -lag.d1), j1 = min(w, w - lag.d1)
                    let rows = h - lag.d0
                    for i in 0..<rows {
                        let a = i * w, bRow = (i + lag.d0) * w + lag.d1
                        for j in j0..<j1 { acc += gl[a + j] * gl[bRow + j] }
                    }
                    acc += nu * (window(0, rows, j0, j1) + window(lag.d0, h, j0 + lag.d1, j1 + lag.d1))
                    let weight = (lag.d0 == 0 && lag.d1 == 0) ? 1.0 : 2.0
                    let term = (weight * r[rc + lag.sigma]) * acc
                    joint += term
                    magnitude += pointwiseMax(term, -term)
                }
                joint += nu * nu * boxJoint[c]
                magnitude += nu * nu * boxJoint[c]
                for lane in 0..<live {
                    let o = o0 + lane
                    let fSum = sum[lane], fEnergy = energy[lane]
                    // A lag sum that cancelled more than 3 bits (its terms' magnitudes beyond 8·|joint|) lost accuracy
                    // the pair's conditioning does not excuse: that pair is summed in frequency instead.
                    if magnitude[lane] > 8 * abs(joint[lane]) {
                        let g = (0..<hw).map { gl[$0][lane] }
                        joint[lane] = try frequencyJoint(g, nu: nu[lane], channel: c) / bigN
                    }
                    // N·joint = Σ_u |f̂(u)|² P′(u mod m); the zero frequency of P adds P(0) on the aliases
                    // u ≡ 0 mod m, less u = 0 itself under `.nonZero` (nothing for s = 1: u = 0 is the only alias).
                    var num = joint[lane] + p0[c] * aliasPower[lane] / bigN, den = fEnergy
                    if averaging == .nonZero {
                        let aliases = s == 1 ? 0 : p0[c] * s2 * aliasNonZero[lane]
                        num = (bigN * joint[lane] + aliases) / (bigN - 1)
                        den = bigN * centredFilter[lane] / (bigN - 1)
                    }
                    let reference = averaging == .nonZero ? bigN * fEnergy : fEnergy
                    let channelLive = !activationPower[c].isNaN
                    let resolved = den * (averaging == .nonZero ? bigN - 1 : 1) > powerFloor * reference
                    if channelLive, fEnergy > 0, resolved {
                        sdr[o * cin + c] = num / (den * activationPower[c])
                        continue
                    }
                    sdr[o * cin + c] = .nan
                    let what =
                        channelLive
                        ? "the filter of output channel \(o), input channel \(c)"
                        : "activation channel \(c) (of \(activationShape))"
                    undefined.append(
                        LayerSDR.UndefinedPair(
                            out: o, in: c, cause: channelLive ? .filter : .activation,
                            reason:
                                "\(what) has no power at the averaged (\(averaging.rawValue)) frequencies"
                                + (channelLive ? "" : " on the \(grid.rawValue) grid") + ": the SDR is 0/0"))
                }
                o0 += 8
            }
        }
        var histogram = [Int](repeating: 0, count: edges.count - 1), under = 0, over = 0
        for v in sdr where !v.isNaN {
            if v < edges[0] { under += 1; continue }
            if v > edges[edges.count - 1] { over += 1; continue }
            var lo = 0, hi = edges.count - 1
            while hi - lo > 1 { let mid = (lo + hi) / 2; if v < edges[mid] { hi = mid } else { lo = mid } }
            histogram[lo] += 1
        }
        undefined.sort { ($0.out * cin + $0.in) < ($1.out * cin + $1.in) }
        return LayerSDR(
            outChannels: cout, inChannels: cin, sdr: sdr, undefined: undefined, binEdges: edges,
            histogram: histogram, underflow: under, overflow: over)
    }
}
