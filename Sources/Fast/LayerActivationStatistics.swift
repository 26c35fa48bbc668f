import MechanismCommon

/// The activation side of a layer's SDRs (eq. 24), accumulated over the batch one map stack [Cin, m0, m1] at a
/// time, so that a batch never has to be held whole. Per input channel c it keeps Σ_b (Σx_b)² (B·P_c(0)),
/// Σ_b ‖x_b − x̄_b‖² (B times the mean power off the zero frequency) and Σ_b |x̂_b − x̄_b|², the power spectra of
/// the centred maps (their spectrum off 0 is unchanged, and an offset no longer costs the FFT accuracy there).
///
/// Memory: 12·Cin·m0·m1 doubles whatever the batch — eight centred maps per channel waiting for their transform
/// (two real maps per complex transform, four per SIMD lane group) and four lanes of running sums. The batch is
/// grouped eight maps at a time from its first map on, so the result is the same bit for bit however it is fed.
public struct LayerActivationStatistics: Sendable {
    public let channels: Int
    public let rows: Int
    public let columns: Int
    /// The map stacks added so far (the batch size B once all are in).
    public private(set) var batch = 0
    /// The map stacks already transformed into `sums`.
    private var transformed = 0
    /// Σ_b (Σx_b)² and Σ_b ‖x_b − x̄_b‖² per channel.
    private(set) var zeroPower: [Double]
    private(set) var centredEnergy: [Double]
    /// Lane l of channel c's group: map 2l (real part) and map 2l + 1 (imaginary part) of the group, centred;
    /// zero where the group has no map yet.
    private var groupReal: [SIMD4<Double>]
    private var groupImaginary: [SIMD4<Double>]
    /// Σ over the transformed groups of |ẑ|² per lane, transposed (frequency (u0, u1) at u1·m0 + u0).
    private var sums: [SIMD4<Double>]

    /// Doubles the statistics hold: 12·channels·rows·columns (+ 2·channels), nil when that overflows.
    public static func doubles(channels: Int, rows: Int, columns: Int) -> Int? {
        guard let maps = SizeLimit.product([12, channels, rows, columns]) else { return nil }
        let (total, overflow) = maps.addingReportingOverflow(2 * channels)
        return overflow ? nil : total
    }

    /// Statistics of `channels` channels of `rows`×`columns` maps, none added yet; the sizes are checked
    /// before anything is allocated.
    public init(channels: Int, rows: Int, columns: Int) throws(FastError) {
        guard channels >= 1, rows >= 1, columns >= 1 else {
            throw .emptyShape("activation statistics of \(channels) channels of \(rows)×\(columns) maps")
        }
        guard Self.doubles(channels: channels, rows: rows, columns: columns) != nil else {
            throw .invalidArgument(
                "activation statistics of \(channels) channels of \(rows)×\(columns) maps are too large to index")
        }
        self.channels = channels
        self.rows = rows
        self.columns = columns
        zeroPower = [Double](repeating: 0, count: channels)
        centredEnergy = zeroPower
        groupReal = [SIMD4<Double>](repeating: .zero, count: channels * rows * columns)
        groupImaginary = groupReal
        sums = groupReal
    }

    /// The maps waiting in the current group (0…7).
    private var waiting: Int { batch - transformed }

    /// Adds one map stack x_b [channels, rows, columns] (C order); throws on a wrong count or a NaN or infinity
    /// (`shape` names the whole input in the message, `offset` the stack's first flat index in it).
    public mutating func add(
        _ stack: UnsafeBufferPointer<Double>, shape: [Int]? = nil, offset: Int = 0
    ) throws(FastError) {
        let bigM = rows * columns
        guard stack.count == channels * bigM else {
            throw .shapeMismatch(
                "a map stack of \(channels)×\(rows)×\(columns) has \(channels * bigM) values, got "
                    + "\(stack.count)")
        }
        do { try FastError.requireFinite(stack, "the activations", shape ?? [channels, rows, columns]) } catch {
            guard case let .nonFinite(name, shape, index) = error else { throw error }
            throw .nonFinite(name: name, shape: shape, index: offset + index)
        }
        let q = waiting, lane = q / 2
        let x = stack.baseAddress!
        // Map q of the group goes to lane q/2: the real part when q is even, the imaginary part when odd.
        if q % 2 == 0 {
            Self.centre(x, lane: lane, mapSize: bigM, into: &groupReal, &zeroPower, &centredEnergy)
        } else {
            Self.centre(x, lane: lane, mapSize: bigM, into: &groupImaginary, &zeroPower, &centredEnergy)
        }
        batch += 1
        if waiting == 8 { transformGroup() }
    }

    /// Centres each channel's map of the stack `x` into `lane` of its group, adding (Σx)² and ‖x − x̄‖².
    private static func centre(
        _ x: UnsafePointer<Double>, lane: Int, mapSize bigM: Int, into group: inout [SIMD4<Double>],
        _ zeroPower: inout [Double], _ centredEnergy: inout [Double]
    ) {
        group.withUnsafeMutableBufferPointer { g in
            for c in zeroPower.indices {
                let base = c * bigM
                var sum = 0.0
                for k in 0..<bigM { sum += x[base + k] }
                let mean = sum / Double(bigM)
                var e = 0.0
                for k in 0..<bigM { let v = x[base + k] - mean; g[base + k][lane] = v; e += v * v }
                zeroPower[c] += sum * sum
                centredEnergy[c] += e
            }
        }
    }

    /// Adds the map stacks of a batch [B, channels, rows, columns] (C order).
    public mutating func add(batch values: [Double], shape: [Int]) throws(FastError) {
        let stack = channels * rows * columns
        guard shape.count == 4, shape[1] == channels, shape[2] == rows, shape[3] == columns,
            values.count == shape[0] * stack
        else {
            throw .shapeMismatch("a batch of \(channels)×\(rows)×\(columns) stacks, got shape \(shape)")
        }
        try values.withUnsafeBufferPointer { (v) throws(FastError) in
            for b in 0..<shape[0] {
                try add(
                    UnsafeBufferPointer(rebasing: v[(b * stack)..<((b + 1) * stack)]), shape: shape, offset: b * stack)
            }
        }
    }

    /// Transforms the current group of every channel into `sums` and clears it.
    private mutating func transformGroup() {
        transformed = batch
        let (m0, m1, bigM) = (rows, columns, rows * columns)
        let planR = FFTPlanCache.shared.plan(m0), planC = FFTPlanCache.shared.plan(m1)
        let scratch = max(planC.scratchCount(howmany: m0), planR.scratchCount(howmany: m1), 1)
        typealias L = SIMD4<Double>
        let buffer = UnsafeMutablePointer<L>.allocate(capacity: 2 * bigM + 2 * scratch)
        defer { buffer.deallocate() }
        let tr = buffer, ti = buffer + bigM, sr = buffer + 2 * bigM, si = sr + scratch
        groupReal.withUnsafeMutableBufferPointer { gr in
            groupImaginary.withUnsafeMutableBufferPointer { gi in
                sums.withUnsafeMutableBufferPointer { sp in
                    for c in 0..<channels {
                        let ar = gr.baseAddress! + c * bigM, ai = gi.baseAddress! + c * bigM
                        let acc = sp.baseAddress! + c * bigM
                        planC.executeMany(ar, ai, howmany: m0, sr, si)
                        for r0 in 0..<m0 {
                            for c0 in 0..<m1 {
                                tr[c0 * m0 + r0] = ar[r0 * m1 + c0]
                                ti[c0 * m0 + r0] = ai[r0 * m1 + c0]
                            }
                        }
                        planR.executeMany(tr, ti, howmany: m1, sr, si)
                        for k in 0..<bigM { acc[k] += tr[k] * tr[k] + ti[k] * ti[k] }
                        ar.update(repeating: .zero, count: bigM)
                        ai.update(repeating: .zero, count: bigM)
                    }
                }
            }
        }
    }

    /// P′_c(u) = (1/B) Σ_b |x̂_{b,c}(u) − x̄|² for every channel: [channels, rows·columns] (the zero frequency
    /// is 0 up to rounding). Transforms a group still waiting (the same bits as a batch that ends there).
    mutating func centredPowerSpectra() -> [Double] {
        if waiting != 0 { transformGroup() }
        let (m0, m1, bigM) = (rows, columns, rows * columns)
        var out = [Double](repeating: 0, count: channels * bigM)
        // |x̂_a|² + |x̂_b|² = (|ẑ(u)|² + |ẑ(−u)|²)/2 for z = x_a + i x_b.
        let scale = 0.5 / Double(batch)
        for c in 0..<channels {
            let acc = c * bigM
            for u0 in 0..<m0 {
                for u1 in 0..<m1 {
                    let a = sums[acc + u1 * m0 + u0], bm = sums[acc + ((m1 - u1) % m1) * m0 + (m0 - u0) % m0]
                    out[c * bigM + u0 * m1 + u1] = scale * ((a + bm).sum())
                }
            }
        }
        return out
    }
}
