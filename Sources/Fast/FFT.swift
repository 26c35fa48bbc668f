import ComplexModule
import RealModule

/// Double-precision DFTs with the paper's convention (App. B.4): X̂[u] = Σ_k x[k] e^{−2πiuk/n},
/// unnormalised; inverses carry 1/n (1/(RC) in 2D). Arrays are split re/im, rows contiguous (C order).
/// Plans come from `FFTPlanCache.shared`; every function is safe to call from several threads.
public enum FFT {
    typealias Lane = SIMD4<Double>
    static let width = 4

    // MARK: complex 1D

    /// X̂ of one complex signal.
    public static func forward(re: [Double], im: [Double]) throws(FastError) -> (re: [Double], im: [Double]) {
        guard re.count == im.count else { throw .shapeMismatch("re has \(re.count) values and im \(im.count)") }
        var r = re, i = im
        try forward(batchRe: &r, batchIm: &i, rows: 1, length: re.count)
        return (r, i)
    }

    /// x = (1/n) Σ_u X̂[u] e^{2πiuk/n}.
    public static func inverse(re: [Double], im: [Double]) throws(FastError) -> (re: [Double], im: [Double]) {
        guard re.count == im.count else { throw .shapeMismatch("re has \(re.count) values and im \(im.count)") }
        var r = re, i = im
        try inverse(batchRe: &r, batchIm: &i, rows: 1, length: re.count)
        return (r, i)
    }

    /// X̂ of a signal of `Complex<Double>`.
    public static func forward(_ x: [Complex<Double>]) throws(FastError) -> [Complex<Double>] {
        let (r, i) = try forward(re: x.map(\.real), im: x.map(\.imaginary))
        return zip(r, i).map { Complex($0, $1) }
    }

    /// The inverse of `forward(_:)`.
    public static func inverse(_ x: [Complex<Double>]) throws(FastError) -> [Complex<Double>] {
        let (r, i) = try inverse(re: x.map(\.real), im: x.map(\.imaginary))
        return zip(r, i).map { Complex($0, $1) }
    }

    /// Forward transforms of `rows` signals of length `length` stored row after row, in place.
    public static func forward(batchRe re: inout [Double], batchIm im: inout [Double], rows: Int, length: Int)
        throws(FastError)
    {
        try validateBatch(re.count, im.count, rows, length)
        let plan = FFTPlanCache.shared.plan(length)
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in
                transformRows(plan, r.baseAddress!, i.baseAddress!, rows: rows, distance: length, stride: 1)
            }
        }
    }

    /// Inverse transforms (with 1/n) of `rows` spectra of length `length`, in place.
    public static func inverse(batchRe re: inout [Double], batchIm im: inout [Double], rows: Int, length: Int)
        throws(FastError)
    {
        try validateBatch(re.count, im.count, rows, length)  // named as given, before the swap below
        // The unnormalised backward transform is the forward one with re and im swapped (conjugation).
        try forward(batchRe: &im, batchIm: &re, rows: rows, length: length)
        let scale = 1 / Double(length)
        for k in re.indices { re[k] *= scale; im[k] *= scale }
    }

    static func validateBatch(_ nr: Int, _ ni: Int, _ rows: Int, _ length: Int) throws(FastError) {
        guard rows >= 1, length >= 1 else { throw .emptyShape("a batch of \(rows) rows of length \(length)") }
        guard nr == rows * length, ni == rows * length else {
            throw .shapeMismatch(
                "a batch [\(rows), \(length)] needs \(rows * length) values, re has \(nr) and im \(ni)")
        }
    }

    // MARK: real input

    /// Half spectrum X̂[0…⌊n/2⌋] of a real signal (the rest is X̂[n−u] = conj X̂[u]).
    public static func realForward(_ x: [Double]) throws(FastError) -> (re: [Double], im: [Double]) {
        try realForward(batch: x, rows: 1, length: x.count)
    }

    /// Half spectra [rows, ⌊n/2⌋+1] of real rows [rows, n]; two real rows share one complex transform
    /// (z = x_a + i x_b; X̂_a = (Ẑ[u] + conj Ẑ[−u])/2, X̂_b = (Ẑ[u] − conj Ẑ[−u])/2i).
    public static func realForward(batch x: [Double], rows: Int, length n: Int) throws(FastError) -> (
        re: [Double], im: [Double]
    ) {
        try validateBatch(x.count, x.count, rows, n)
        var outRe = [Double](repeating: 0, count: rows * (n / 2 + 1)), outIm = outRe
        try realForward(batch: x, rows: rows, length: n, re: &outRe, im: &outIm)
        return (outRe, outIm)
    }

    /// `realForward(batch:rows:length:)` into caller-owned arrays of rows·(⌊n/2⌋+1) values each
    /// (overwritten), so that repeated transforms need no fresh memory.
    public static func realForward(
        batch x: [Double], rows: Int, length n: Int,
        re outRe: inout [Double], im outIm: inout [Double]
    ) throws(FastError) {
        try validateBatch(x.count, x.count, rows, n)
        let h = n / 2 + 1
        guard outRe.count == rows * h, outIm.count == rows * h else {
            throw .shapeMismatch(
                "half spectra [\(rows), \(h)] need \(rows * h) values, re has \(outRe.count) and im \(outIm.count)")
        }
        let plan = FFTPlanCache.shared.plan(n)
        x.withUnsafeBufferPointer { xp in
            outRe.withUnsafeMutableBufferPointer { or in
                outIm.withUnsafeMutableBufferPointer { oi in
                    realRows(plan, xp.baseAddress!, rows: rows, or.baseAddress!, oi.baseAddress!)
                }
            }
        }
    }

    /// The full spectrum [n] of a real signal.
    public static func realForwardFull(_ x: [Double]) throws(FastError) -> (re: [Double], im: [Double]) {
        let (hr, hi) = try realForward(x)
        let n = x.count
        var re = [Double](repeating: 0, count: n), im = re
        for u in 0..<n {
            if u < hr.count { re[u] = hr[u]; im[u] = hi[u] } else { re[u] = hr[n - u]; im[u] = -hi[n - u] }
        }
        return (re, im)
    }

    /// The real signal of length n whose half spectrum is given (imaginary parts of X̂[0] and, n even,
    /// X̂[n/2] are ignored, as Hermitian symmetry forces them to 0).
    public static func realInverse(re: [Double], im: [Double], length n: Int) throws(FastError) -> [Double] {
        guard n >= 1 else { throw .emptyShape("a real inverse of length \(n)") }
        guard re.count == n / 2 + 1, im.count == re.count else {
            throw .shapeMismatch(
                "a half spectrum of length \(n) has \(n / 2 + 1) values, got \(re.count) and \(im.count)")
        }
        var fr = [Double](repeating: 0, count: n), fi = fr
        for u in 0..<n {
            if u < re.count { fr[u] = re[u]; fi[u] = im[u] } else { fr[u] = re[n - u]; fi[u] = -im[n - u] }
        }
        fi[0] = 0
        if n % 2 == 0 { fi[n / 2] = 0 }
        try inverse(batchRe: &fr, batchIm: &fi, rows: 1, length: n)
        return fr
    }

    // MARK: 2D

    /// 2D forward transform of a rows × columns complex array (row-major), in place:
    /// X̂[u, v] = Σ_{k,l} x[k, l] e^{−2πi(uk/R + vl/C)}.
    public static func forward2D(re: inout [Double], im: inout [Double], rows: Int, columns: Int) throws(FastError) {
        try transform2D(&re, &im, rows: rows, columns: columns, inverse: false)
    }

    /// 2D inverse (with 1/(RC)), in place.
    public static func inverse2D(re: inout [Double], im: inout [Double], rows: Int, columns: Int) throws(FastError) {
        try transform2D(&re, &im, rows: rows, columns: columns, inverse: true)
    }

    /// The full 2D spectrum of a real image.
    public static func realForward2D(_ x: [Double], rows: Int, columns: Int) throws(FastError) -> (
        re: [Double], im: [Double]
    ) {
        var re = x, im = [Double](repeating: 0, count: x.count)
        try transform2D(&re, &im, rows: rows, columns: columns, inverse: false)
        return (re, im)
    }

    static func transform2D(_ re: inout [Double], _ im: inout [Double], rows: Int, columns: Int, inverse: Bool)
        throws(FastError)
    {
        guard rows >= 1, columns >= 1 else { throw .emptyShape("a 2D transform of shape \(rows)×\(columns)") }
        guard re.count == rows * columns, im.count == re.count else {
            throw .shapeMismatch(
                "a \(rows)×\(columns) array needs \(rows * columns) values, re has \(re.count) and im \(im.count)")
        }
        let pr = FFTPlanCache.shared.plan(rows), pc = FFTPlanCache.shared.plan(columns)
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in
                let (a, b) = inverse ? (i.baseAddress!, r.baseAddress!) : (r.baseAddress!, i.baseAddress!)
                transformRows(pc, a, b, rows: rows, distance: columns, stride: 1)
                transformRows(pr, a, b, rows: columns, distance: 1, stride: columns)
            }
        }
        if inverse {
            let scale = 1 / Double(rows * columns)
            for k in re.indices { re[k] *= scale; im[k] *= scale }
        }
    }

    // MARK: engine

    /// Forward transforms of `rows` signals: signal r, element k at base[r·distance + k·stride].
    /// Groups of four signals run side by side in SIMD lanes; scratch is allocated once per call.
    static func transformRows(
        _ plan: FFTPlan, _ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>,
        rows: Int, distance: Int, stride: Int
    ) {
        let n = plan.count
        if n == 1 { return }
        if rows == 1 && stride == 1 {
            let s = UnsafeMutablePointer<Double>.allocate(capacity: 2 * plan.scratchCount)
            defer { s.deallocate() }
            plan.execute(re, im, s, s + plan.scratchCount)
            return
        }
        let buffer = LaneBuffer(plan)
        defer { buffer.deallocate() }
        let (lr, li, sr, si) = (buffer.re, buffer.im, buffer.scratchRe, buffer.scratchIm)
        var r0 = 0
        while r0 < rows {
            let live = min(width, rows - r0)
            // Gather (missing lanes read row r0 again: harmless, discarded on scatter).
            let b0 = r0 * distance
            let b1 = (r0 + min(1, live - 1)) * distance, b2 = (r0 + min(2, live - 1)) * distance
            let b3 = (r0 + min(3, live - 1)) * distance
            for k in 0..<n {
                let o = k * stride
                lr[k] = Lane(re[b0 + o], re[b1 + o], re[b2 + o], re[b3 + o])
                li[k] = Lane(im[b0 + o], im[b1 + o], im[b2 + o], im[b3 + o])
            }
            let (yr, yi) = plan.execute(leavingResult: lr, li, sr, si)
            if live == width {
                for k in 0..<n {
                    let o = k * stride, a = yr[k], b = yi[k]
                    re[b0 + o] = a[0]; re[b1 + o] = a[1]; re[b2 + o] = a[2]; re[b3 + o] = a[3]
                    im[b0 + o] = b[0]; im[b1 + o] = b[1]; im[b2 + o] = b[2]; im[b3 + o] = b[3]
                }
            } else {
                for lane in 0..<live {
                    let b = (r0 + lane) * distance
                    for k in 0..<n { re[b + k * stride] = yr[k][lane]; im[b + k * stride] = yi[k][lane] }
                }
            }
            r0 += width
        }
    }

    /// One transform's lanes (re, im: n each) and the plan's scratch, in one allocation.
    struct LaneBuffer {
        let re, im, scratchRe, scratchIm: UnsafeMutablePointer<Lane>
        init(_ plan: FFTPlan) {
            let n = plan.count, s = plan.scratchCount
            re = .allocate(capacity: 2 * (n + s))
            im = re + n; scratchRe = re + 2 * n; scratchIm = scratchRe + s
        }
        func deallocate() { re.deallocate() }
    }

    /// Half spectra [rows, ⌊n/2⌋+1] of real rows [rows, n] (C order): rows 2q and 2q+1 are the real and
    /// imaginary parts of one complex signal z, and four such pairs run side by side in SIMD lanes;
    /// X̂_a = (Ẑ[u] + conj Ẑ[n−u])/2, X̂_b = (Ẑ[u] − conj Ẑ[n−u])/2i, unpacked straight from the lanes.
    static func realRows(
        _ plan: FFTPlan, _ x: UnsafePointer<Double>, rows: Int,
        _ outRe: UnsafeMutablePointer<Double>, _ outIm: UnsafeMutablePointer<Double>
    ) {
        let n = plan.count, h = n / 2 + 1
        let buffer = LaneBuffer(plan)
        defer { buffer.deallocate() }
        let (lr, li, sr, si) = (buffer.re, buffer.im, buffer.scratchRe, buffer.scratchIm)
        let pairs = (rows + 1) / 2
        // A group whose rows run past the end reads them from a zero row (their spectra are never written).
        let zeros = UnsafeMutablePointer<Double>.allocate(capacity: n)
        zeros.initialize(repeating: 0, count: n)
        defer { zeros.deallocate() }
        var q0 = 0
        while q0 < pairs {
            let full = 2 * q0 + 2 * width <= rows
            func row(_ j: Int) -> UnsafePointer<Double> {
                2 * q0 + j < rows ? x + (2 * q0 + j) * n : UnsafePointer(zeros)
            }
            let x0 = row(0), x1 = row(1), x2 = row(2), x3 = row(3), x4 = row(4), x5 = row(5), x6 = row(6), x7 = row(7)
            for k in 0..<n {
                lr[k] = Lane(x0[k], x2[k], x4[k], x6[k])
                li[k] = Lane(x1[k], x3[k], x5[k], x7[k])
            }
            let (yr, yi) = plan.execute(leavingResult: lr, li, sr, si)
            let o = 2 * q0 * h
            for u in 0..<h {
                let v = u == 0 ? 0 : n - u
                let ar = yr[u], ai = yi[u], br = yr[v], bi = yi[v]
                let aRe = 0.5 * (ar + br), aIm = 0.5 * (ai - bi)  // rows 2q
                let bRe = 0.5 * (ai + bi), bIm = -0.5 * (ar - br)  // rows 2q + 1
                if full {
                    for j in 0..<width {
                        outRe[o + 2 * j * h + u] = aRe[j]; outIm[o + 2 * j * h + u] = aIm[j]
                        outRe[o + (2 * j + 1) * h + u] = bRe[j]; outIm[o + (2 * j + 1) * h + u] = bIm[j]
                    }
                } else {
                    for j in 0..<width {
                        let r = 2 * (q0 + j)
                        if r < rows { outRe[r * h + u] = aRe[j]; outIm[r * h + u] = aIm[j] }
                        if r + 1 < rows { outRe[(r + 1) * h + u] = bRe[j]; outIm[(r + 1) * h + u] = bIm[j] }
                    }
                }
            }
            q0 += width
        }
    }
}
