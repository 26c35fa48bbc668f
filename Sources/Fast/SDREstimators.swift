/// The three averages an SDR estimate is made of.
public struct SDRParts: Sendable, Equatable {
    /// ⟨(1/B) Σ_i |f̂(u) x̂_i(su)|²⟩ (eq. 8: ⟨|k̂₁ ⊙ k̂₂|²⟩).
    public var joint: Double
    /// ⟨|f̂|²⟩.
    public var filterPower: Double
    /// ⟨(1/B) Σ_i |x̂_i|²⟩ on the chosen grid.
    public var activationPower: Double

    public var ratio: Double { joint / (filterPower * activationPower) }
}

/// SDR estimators in Double: eq. (8) (population), eq. (23) (batch), eq. (24) (strided, App. B.10).
/// Shapes: 1D `[d]`, 2D `[R, C]`; activations carry a leading batch axis `[B, …]`. A kernel smaller
/// than the map is zero-padded (at the origin). Frequencies of the up-sampled map: the DFT of
/// x^{↑s} at (u, v) on the n-grid is x̂(u mod n/s, v mod n/s) — the paper's x̂(su, sv) in normalised frequency.
public enum SDREstimators {
    /// Relative power below which a kernel (or the activations together) counts as having none at the averaged
    /// frequencies: (64u)² of its total power, u = 2⁻⁵³. Rounding a constant array's entries by u already puts
    /// about (u·N)² of its power there, so less cannot be told from noise; an offset-dominated kernel (9·2³⁰ ± 1,
    /// 2⁻⁶⁶ of its power at u ≠ 0) is well above it. The power sums are direct (no cancellation), so the floor is
    /// relative; it is never applied to the joint average. `SDRLayer` computes the filter's power at u ≠ 0 from
    /// centred values too, so the same floor holds there.
    static let powerFloor = 0x1p-94

    /// ρ(k₁, k₂) of eq. (8) from the FFTs of two kernels of one shape ([d] or [R, C]).
    public static func population(
        _ k1: [Double], _ k2: [Double], shape: [Int],
        averaging: FrequencyAveraging = .nonZero
    ) throws(FastError) -> Double {
        try populationParts(k1, k2, shape: shape, averaging: averaging).ratio
    }

    public static func populationParts(
        _ k1: [Double], _ k2: [Double], shape: [Int],
        averaging: FrequencyAveraging = .nonZero
    ) throws(FastError) -> SDRParts {
        try checkGridShape(shape, "the kernels")
        try FastError.requireShape(k1.count, shape, "k₁")
        try FastError.requireShape(k2.count, shape, "k₂")
        try FastError.requireFinite(k1, "k₁", shape)
        try FastError.requireFinite(k2, "k₂", shape)
        let grid = dims(shape)
        let f1 = try powerSpectrum(k1, grid), f2 = try powerSpectrum(k2, grid)
        try requirePower(f1, "k₁", averaging)
        return try combine(
            filterPower: f1, n: grid, activationPower: f2, m: grid,
            averaging: averaging, grid: .upsampled, activationName: "k₂", zeroIsKernel: true)
    }

    /// The batch estimator of eq. (23): kernel [h] / [h, w] (zero-padded to the sample shape) and
    /// B samples [B, d] / [B, R, C]: ⟨(1/B)Σ|k̂ ⊙ v̂_i|²⟩ / (⟨(1/B)Σ|v̂_i|²⟩⟨|k̂|²⟩).
    public static func batch(
        kernel: [Double], kernelShape: [Int], samples: [Double], sampleShape: [Int],
        averaging: FrequencyAveraging = .nonZero
    ) throws(FastError) -> Double {
        try strided(
            kernel: kernel, kernelShape: kernelShape, activations: samples, activationShape: sampleShape,
            stride: 1, averaging: averaging
        ).ratio
    }

    /// The strided estimate of eq. (24): the kernel zero-padded to the map n (= s·m per axis; 1D: [n]),
    /// activations [B, m] or [B, m, m′]; `map` (optional) is checked against s·m.
    public static func strided(
        kernel: [Double], kernelShape: [Int], activations: [Double], activationShape: [Int],
        stride s: Int, map: [Int]? = nil, averaging: FrequencyAveraging = .nonZero,
        grid: ActivationGrid = .upsampled
    ) throws(FastError) -> SDRParts {
        guard s >= 1 else { throw .invalidArgument("the stride (up-sampling factor) must be at least 1, got \(s)") }
        try checkGridShape(kernelShape, "the kernel")
        guard activationShape.count == kernelShape.count + 1 else {
            throw .shapeMismatch(
                "activations of shape \(activationShape) do not match a kernel of shape \(kernelShape): expected [B] + "
                    + "a map of \(kernelShape.count) axes"
            )
        }
        try FastError.requireShape(kernel.count, kernelShape, "the kernel")
        try FastError.requireShape(activations.count, activationShape, "the activations")
        try FastError.requireFinite(kernel, "the kernel", kernelShape)
        try FastError.requireFinite(activations, "the activations", activationShape)
        let b = activationShape[0]
        let m = dims(Array(activationShape.dropFirst()))
        let sR = kernelShape.count == 1 ? 1 : s
        var n = (m.0 * sR, m.1 * s)
        if let map {
            guard map.count == kernelShape.count, map.allSatisfy({ $0 >= 1 }) else {
                throw .shapeMismatch("the map \(map) does not match a kernel of shape \(kernelShape)")
            }
            let given = dims(map)
            guard given.0 % sR == 0, given.1 % s == 0 else {
                throw .strideDoesNotDivide(map: given.0 % sR != 0 ? given.0 : given.1, stride: s)
            }
            guard given.0 / sR == m.0, given.1 / s == m.1 else {
                throw .shapeMismatch(
                    "a map \(map) with stride \(s) needs activation maps of \(given.0 / sR)×\(given.1 / s), got "
                        + "\(Array(activationShape.dropFirst()))"
                )
            }
            n = given
        }
        let k = dims(kernelShape)
        guard k.0 <= n.0, k.1 <= n.1 else {
            throw .kernelLargerThanMap(kernel: kernelShape, map: kernelShape.count == 1 ? [n.1] : [n.0, n.1])
        }
        // Zero-pad the kernel to n.
        var padded = [Double](repeating: 0, count: n.0 * n.1)
        for i in 0..<k.0 { for j in 0..<k.1 { padded[i * n.1 + j] = kernel[i * k.1 + j] } }
        let f = try powerSpectrum(padded, n)
        try requirePower(f, "the kernel", averaging)
        var p = [Double](repeating: 0, count: m.0 * m.1)
        let size = m.0 * m.1
        for i in 0..<b {
            let spectrum = try powerSpectrum(Array(activations[i * size..<(i + 1) * size]), m)
            for u in 0..<size { p[u] += spectrum[u] }
        }
        let scale = 1 / Double(b)
        for u in 0..<size { p[u] *= scale }
        return try combine(
            filterPower: f, n: n, activationPower: p, m: m, averaging: averaging, grid: grid,
            activationName: "the activations", zeroIsKernel: false)
    }

    // MARK: internals

    static func checkGridShape(_ shape: [Int], _ name: String) throws(FastError) {
        guard shape.count == 1 || shape.count == 2 else {
            throw .shapeMismatch("\(name) must be 1D [d] or 2D [R, C], got shape \(shape)")
        }
        guard shape.allSatisfy({ $0 >= 1 }) else { throw .emptyShape("\(name) has shape \(shape)") }
    }

    static func dims(_ shape: [Int]) -> (Int, Int) { shape.count == 1 ? (1, shape[0]) : (shape[0], shape[1]) }

    /// |x̂|² on an R×C grid (R = 1 in 1D).
    static func powerSpectrum(_ x: [Double], _ grid: (Int, Int)) throws(FastError) -> [Double] {
        let (re, im) = try FFT.realForward2D(x, rows: grid.0, columns: grid.1)
        return (0..<re.count).map { re[$0] * re[$0] + im[$0] * im[$0] }
    }

    static func requirePower(_ f: [Double], _ name: String, _ averaging: FrequencyAveraging) throws(FastError) {
        let total = f.reduce(0, +)
        // Summed directly, not as total − f[0]: that difference cancels when f[0] dominates (a large mean).
        let averaged = averaging == .all ? total : f.dropFirst().reduce(0, +)
        guard total > 0, averaged > powerFloor * total, !(averaging == .nonZero && f.count == 1) else {
            throw .zeroKernel(
                "\(name) has no power at the averaged (\(averaging.rawValue)) frequencies: ⟨|k̂|²⟩ = 0, so the SDR is "
                    + "0/0"
            )
        }
    }

    /// Averages of F(u)·P(u mod m), F and P on their grids (n = s·m per axis). With `.nonZero`, the sums run
    /// over u ≠ 0 directly: subtracting the u = 0 term from the full sums would cancel catastrophically when it
    /// dominates (a kernel with a large mean), losing accuracy beyond the SDR's conditioning.
    static func combine(
        filterPower f: [Double], n: (Int, Int), activationPower p: [Double], m: (Int, Int),
        averaging: FrequencyAveraging, grid: ActivationGrid, activationName: String,
        zeroIsKernel: Bool
    ) throws(FastError) -> SDRParts {
        let bigN = n.0 * n.1, bigM = m.0 * m.1
        let nonZero = averaging == .nonZero
        var joint = 0.0, fSum = 0.0, pUp = 0.0
        for u0 in 0..<n.0 {
            let pRow = (u0 % m.0) * m.1
            for u1 in (nonZero && u0 == 0 ? 1 : 0)..<n.1 {
                let fv = f[u0 * n.1 + u1], pv = p[pRow + u1 % m.1]
                joint += fv * pv
                fSum += fv
                pUp += pv
            }
        }
        let pSum = p.reduce(0, +)
        let s2 = Double(bigN / bigM)
        let pNative = nonZero ? p.dropFirst().reduce(0, +) : pSum
        let nn = Double(nonZero ? bigN - 1 : bigN), mm = Double(nonZero ? bigM - 1 : bigM)
        let activation: Double
        switch grid {
        case .upsampled: activation = pUp / nn
        case .native:
            guard mm > 0 else { throw .undefined("the native activation grid of one point has no non-zero frequency") }
            activation = pNative / mm
        }
        let total = s2 * pSum
        guard total > 0, (grid == .upsampled ? pUp : pNative * s2) > powerFloor * total else {
            if zeroIsKernel {
                throw .zeroKernel(
                    "\(activationName) has no power at the averaged (\(averaging.rawValue)) frequencies: the SDR is 0/0"
                )
            }
            throw .undefined(
                "\(activationName) have no power at the averaged (\(averaging.rawValue)) frequencies on the "
                    + "\(grid.rawValue) grid: the SDR is 0/0"
            )
        }
        return SDRParts(joint: joint / nn, filterPower: fSum / nn, activationPower: activation)
    }
}
