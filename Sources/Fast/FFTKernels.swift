/// The transform kernels, generic over the lane type (Double, or SIMD4<Double> for four
/// transforms side by side). Data and scratch are split re/im arrays of lanes.
extension FFTPlan {
    /// Forward transform of `count` lanes in place. Scratch: `scratchCount` lanes for each of sRe, sIm.
    /// The unnormalised backward transform is `execute(im, re, sIm, sRe)` (swapping re and im conjugates).
    func execute<V: FFTLane>(
        _ re: UnsafeMutablePointer<V>, _ im: UnsafeMutablePointer<V>,
        _ sRe: UnsafeMutablePointer<V>, _ sIm: UnsafeMutablePointer<V>
    ) {
        executeMany(re, im, howmany: 1, sRe, sIm)
    }

    /// Forward transforms of `howmany` contiguous rows (row r at offset r·count), in place.
    /// Scratch: `scratchCount(howmany:)` lanes for each of sRe, sIm.
    func executeMany<V: FFTLane>(
        _ re: UnsafeMutablePointer<V>, _ im: UnsafeMutablePointer<V>, howmany: Int,
        _ sRe: UnsafeMutablePointer<V>, _ sIm: UnsafeMutablePointer<V>
    ) {
        let (outRe, outIm) = executeMany(leavingResult: re, im, howmany: howmany, sRe, sIm)
        if outRe != re {
            re.update(from: outRe, count: count * howmany)
            im.update(from: outIm, count: count * howmany)
        }
    }

    /// The forward transform of one row, leaving the result where the last pass wrote it: (re, im) or
    /// the start of (sRe, sIm). Saves the copy back after an odd number of Stockham passes.
    @inline(__always)
    func execute<V: FFTLane>(
        leavingResult re: UnsafeMutablePointer<V>, _ im: UnsafeMutablePointer<V>,
        _ sRe: UnsafeMutablePointer<V>, _ sIm: UnsafeMutablePointer<V>
    ) -> (UnsafeMutablePointer<V>, UnsafeMutablePointer<V>) {
        executeMany(leavingResult: re, im, howmany: 1, sRe, sIm)
    }

    func executeMany<V: FFTLane>(
        leavingResult re: UnsafeMutablePointer<V>, _ im: UnsafeMutablePointer<V>, howmany: Int,
        _ sRe: UnsafeMutablePointer<V>, _ sIm: UnsafeMutablePointer<V>
    ) -> (UnsafeMutablePointer<V>, UnsafeMutablePointer<V>) {
        switch kind {
        case .identity: break
        case .stockham(let passes): return runStockham(passes, re, im, howmany, sRe, sIm)
        case .rader(let r):
            for row in 0..<howmany { runRader(r, re + row * count, im + row * count, sRe, sIm) }
        case .bluestein(let b):
            for row in 0..<howmany { runBluestein(b, re + row * count, im + row * count, sRe, sIm) }
        }
        return (re, im)
    }

    /// The passes, ping-ponging between (re, im) and (sRe, sIm); returns the pair holding the result.
    func runStockham<V: FFTLane>(
        _ passes: [Pass], _ re: UnsafeMutablePointer<V>, _ im: UnsafeMutablePointer<V>,
        _ howmany: Int, _ sRe: UnsafeMutablePointer<V>, _ sIm: UnsafeMutablePointer<V>
    )
        -> (UnsafeMutablePointer<V>, UnsafeMutablePointer<V>)
    {
        let n = count
        var aRe = re, aIm = im, bRe = sRe, bIm = sIm
        let xRe = sRe + n * howmany, xIm = sIm + n * howmany
        for pass in passes {
            pass.twRe.withUnsafeBufferPointer { twr in
                pass.twIm.withUnsafeBufferPointer { twi in
                    let wr = twr.baseAddress ?? UnsafePointer(bitPattern: 8)!
                    let wi = twi.baseAddress ?? UnsafePointer(bitPattern: 8)!
                    for row in 0..<howmany {
                        let o = row * n
                        let cr = aRe + o, ci = aIm + o, hr = bRe + o, hi = bIm + o
                        switch pass.kind {
                        case .radix4: Self.pass4(pass.ido, pass.l1, cr, ci, hr, hi, wr, wi)
                        case .radix2: Self.pass2(pass.ido, pass.l1, cr, ci, hr, hi, wr, wi)
                        case .radix3: Self.pass3(pass.ido, pass.l1, cr, ci, hr, hi, wr, wi)
                        case .radix5: Self.pass5(pass.ido, pass.l1, cr, ci, hr, hi, wr, wi)
                        case .generic(let cs, let sn):
                            cs.withUnsafeBufferPointer { c in
                                sn.withUnsafeBufferPointer { s in
                                    Self.passGeneric(
                                        pass.ip, pass.ido, pass.l1, cr, ci, hr, hi, wr, wi,
                                        c.baseAddress!, s.baseAddress!, xRe, xIm)
                                }
                            }
                        case .subplan(let sub):
                            Self.passSubplan(sub, pass.ido, pass.l1, cr, ci, hr, hi, wr, wi, xRe, xIm)
                        }
                    }
                }
            }
            swap(&aRe, &bRe); swap(&aIm, &bIm)
        }
        return (aRe, aIm)
    }

    // CC(i, j, k) = cc[i + ido·(j + ip·k)];  CH(i, k, j) = ch[i + ido·(k + l1·j)];  WA(j, i) = w[(j−1)(ido−1) + i − 1].

    @inline(__always)
    static func twiddle<V: FFTLane>(_ r: V, _ i: V, _ wr: Double, _ wi: Double) -> (V, V) {
        (wr * r - wi * i, wi * r + wr * i)
    }

    static func pass2<V: FFTLane>(
        _ ido: Int, _ l1: Int,
        _ cr: UnsafeMutablePointer<V>, _ ci: UnsafeMutablePointer<V>,
        _ hr: UnsafeMutablePointer<V>, _ hi: UnsafeMutablePointer<V>,
        _ wr: UnsafePointer<Double>, _ wi: UnsafePointer<Double>
    ) {
        for k in 0..<l1 {
            let c0 = ido * (2 * k), c1 = ido * (2 * k + 1), h0 = ido * k, h1 = ido * (k + l1)
            hr[h0] = cr[c0] + cr[c1]; hi[h0] = ci[c0] + ci[c1]
            hr[h1] = cr[c0] - cr[c1]; hi[h1] = ci[c0] - ci[c1]
            var i = 1
            while i < ido {
                let ar = cr[c0 + i], ai = ci[c0 + i], br = cr[c1 + i], bi = ci[c1 + i]
                hr[h0 + i] = ar + br; hi[h0 + i] = ai + bi
                let (tr, ti) = twiddle(ar - br, ai - bi, wr[i - 1], wi[i - 1])
                hr[h1 + i] = tr; hi[h1 + i] = ti
                i += 1
            }
        }
    }

    static func pass3<V: FFTLane>(
        _ ido: Int, _ l1: Int,
        _ cr: UnsafeMutablePointer<V>, _ ci: UnsafeMutablePointer<V>,
        _ hr: UnsafeMutablePointer<V>, _ hi: UnsafeMutablePointer<V>,
        _ wr: UnsafePointer<Double>, _ wi: UnsafePointer<Double>
    ) {
        let c = 0.86602540378443864676, m = ido - 1
        for k in 0..<l1 {
            let c0 = ido * (3 * k), c1 = c0 + ido, c2 = c1 + ido
            let h0 = ido * k, h1 = h0 + ido * l1, h2 = h1 + ido * l1
            for i in 0..<ido {
                let x0r = cr[c0 + i], x0i = ci[c0 + i]
                let t1r = cr[c1 + i] + cr[c2 + i], t1i = ci[c1 + i] + ci[c2 + i]
                let t2r = cr[c1 + i] - cr[c2 + i], t2i = ci[c1 + i] - ci[c2 + i]
                hr[h0 + i] = x0r + t1r; hi[h0 + i] = x0i + t1i
                let ar = x0r - 0.5 * t1r, ai = x0i - 0.5 * t1i
                let br = c * t2i, bi = c * t2r
                var y1r = ar + br, y1i = ai - bi, y2r = ar - br, y2i = ai + bi
                if i > 0 {
                    (y1r, y1i) = twiddle(y1r, y1i, wr[i - 1], wi[i - 1])
                    (y2r, y2i) = twiddle(y2r, y2i, wr[m + i - 1], wi[m + i - 1])
                }
                hr[h1 + i] = y1r; hi[h1 + i] = y1i; hr[h2 + i] = y2r; hi[h2 + i] = y2i
            }
        }
    }

    static func pass4<V: FFTLane>(
        _ ido: Int, _ l1: Int,
        _ cr: UnsafeMutablePointer<V>, _ ci: UnsafeMutablePointer<V>,
        _ hr: UnsafeMutablePointer<V>, _ hi: UnsafeMutablePointer<V>,
        _ wr: UnsafePointer<Double>, _ wi: UnsafePointer<Double>
    ) {
        let m = ido - 1, hs = ido * l1
        for k in 0..<l1 {
            let c0 = ido * (4 * k), c1 = c0 + ido, c2 = c1 + ido, c3 = c2 + ido
            let h0 = ido * k, h1 = h0 + hs, h2 = h1 + hs, h3 = h2 + hs
            for i in 0..<ido {
                let t1r = cr[c0 + i] + cr[c2 + i], t1i = ci[c0 + i] + ci[c2 + i]
                let t2r = cr[c0 + i] - cr[c2 + i], t2i = ci[c0 + i] - ci[c2 + i]
                let t3r = cr[c1 + i] + cr[c3 + i], t3i = ci[c1 + i] + ci[c3 + i]
                let t4r = cr[c1 + i] - cr[c3 + i], t4i = ci[c1 + i] - ci[c3 + i]
                hr[h0 + i] = t1r + t3r; hi[h0 + i] = t1i + t3i
                var y1r = t2r + t4i, y1i = t2i - t4r
                var y2r = t1r - t3r, y2i = t1i - t3i
                var y3r = t2r - t4i, y3i = t2i + t4r
                if i > 0 {
                    (y1r, y1i) = twiddle(y1r, y1i, wr[i - 1], wi[i - 1])
                    (y2r, y2i) = twiddle(y2r, y2i, wr[m + i - 1], wi[m + i - 1])
                    (y3r, y3i) = twiddle(y3r, y3i, wr[2 * m + i - 1], wi[2 * m + i - 1])
                }
                hr[h1 + i] = y1r; hi[h1 + i] = y1i
                hr[h2 + i] = y2r; hi[h2 + i] = y2i
                hr[h3 + i] = y3r; hi[h3 + i] = y3i
            }
        }
    }

    static func pass5<V: FFTLane>(
        _ ido: Int, _ l1: Int,
        _ cr: UnsafeMutablePointer<V>, _ ci: UnsafeMutablePointer<V>,
        _ hr: UnsafeMutablePointer<V>, _ hi: UnsafeMutablePointer<V>,
        _ wr: UnsafePointer<Double>, _ wi: UnsafePointer<Double>
    ) {
        let c1 = 0.3090169943749474241, c2 = -0.8090169943749474241
        let s1 = 0.95105651629515357212, s2 = 0.58778525229247312917
        let m = ido - 1, hs = ido * l1
        for k in 0..<l1 {
            let b0 = ido * (5 * k), b1 = b0 + ido, b2 = b1 + ido, b3 = b2 + ido, b4 = b3 + ido
            let h0 = ido * k, h1 = h0 + hs, h2 = h1 + hs, h3 = h2 + hs, h4 = h3 + hs
            for i in 0..<ido {
                let x0r = cr[b0 + i], x0i = ci[b0 + i]
                let sar = cr[b1 + i] + cr[b4 + i], sai = ci[b1 + i] + ci[b4 + i]
                let dar = cr[b1 + i] - cr[b4 + i], dai = ci[b1 + i] - ci[b4 + i]
                let sbr = cr[b2 + i] + cr[b3 + i], sbi = ci[b2 + i] + ci[b3 + i]
                let dbr = cr[b2 + i] - cr[b3 + i], dbi = ci[b2 + i] - ci[b3 + i]
                hr[h0 + i] = x0r + sar + sbr; hi[h0 + i] = x0i + sai + sbi
                let a1r = x0r + c1 * sar + c2 * sbr, a1i = x0i + c1 * sai + c2 * sbi
                let a2r = x0r + c2 * sar + c1 * sbr, a2i = x0i + c2 * sai + c1 * sbi
                let e1r = s1 * dar + s2 * dbr, e1i = s1 * dai + s2 * dbi
                let e2r = s2 * dar - s1 * dbr, e2i = s2 * dai - s1 * dbi
                // y1 = A1 − iE1, y4 = A1 + iE1, y2 = A2 − iE2, y3 = A2 + iE2.
                var y1r = a1r + e1i, y1i = a1i - e1r, y4r = a1r - e1i, y4i = a1i + e1r
                var y2r = a2r + e2i, y2i = a2i - e2r, y3r = a2r - e2i, y3i = a2i + e2r
                if i > 0 {
                    (y1r, y1i) = twiddle(y1r, y1i, wr[i - 1], wi[i - 1])
                    (y2r, y2i) = twiddle(y2r, y2i, wr[m + i - 1], wi[m + i - 1])
                    (y3r, y3i) = twiddle(y3r, y3i, wr[2 * m + i - 1], wi[2 * m + i - 1])
                    (y4r, y4i) = twiddle(y4r, y4i, wr[3 * m + i - 1], wi[3 * m + i - 1])
                }
                hr[h1 + i] = y1r; hi[h1 + i] = y1i; hr[h2 + i] = y2r; hi[h2 + i] = y2i
                hr[h3 + i] = y3r; hi[h3 + i] = y3i; hr[h4 + i] = y4r; hi[h4 + i] = y4i
            }
        }
    }

    /// Direct odd radix ip with the symmetric pairing x_j ± x_{ip−j}; temp: 4·ip lanes per array.
    static func passGeneric<V: FFTLane>(
        _ ip: Int, _ ido: Int, _ l1: Int,
        _ cr: UnsafeMutablePointer<V>, _ ci: UnsafeMutablePointer<V>,
        _ hr: UnsafeMutablePointer<V>, _ hi: UnsafeMutablePointer<V>,
        _ wr: UnsafePointer<Double>, _ wi: UnsafePointer<Double>,
        _ cs: UnsafePointer<Double>, _ sn: UnsafePointer<Double>,
        _ tr: UnsafeMutablePointer<V>, _ ti: UnsafeMutablePointer<V>
    ) {
        let h = (ip - 1) / 2, m = ido - 1, hs = ido * l1
        // tr/ti[0..<h]: sums, [h..<2h]: differences.
        for k in 0..<l1 {
            let base = ido * ip * k, hbase = ido * k
            for i in 0..<ido {
                let x0r = cr[base + i], x0i = ci[base + i]
                var y0r = x0r, y0i = x0i
                for j in 1...h {
                    let ar = cr[base + j * ido + i], ai = ci[base + j * ido + i]
                    let br = cr[base + (ip - j) * ido + i], bi = ci[base + (ip - j) * ido + i]
                    tr[j - 1] = ar + br; ti[j - 1] = ai + bi
                    tr[h + j - 1] = ar - br; ti[h + j - 1] = ai - bi
                    y0r = y0r + tr[j - 1]; y0i = y0i + ti[j - 1]
                }
                hr[hbase + i] = y0r; hi[hbase + i] = y0i
                for u in 1...h {
                    var ar = x0r, ai = x0i, br = V.zero, bi = V.zero
                    var idx = 0
                    for j in 0..<h {
                        idx += u
                        if idx >= ip { idx -= ip }
                        let c = cs[idx], s = sn[idx]
                        ar = ar + c * tr[j]; ai = ai + c * ti[j]
                        br = br + s * tr[h + j]; bi = bi + s * ti[h + j]
                    }
                    var yur = ar + bi, yui = ai - br, yvr = ar - bi, yvi = ai + br
                    if i > 0 {
                        (yur, yui) = twiddle(yur, yui, wr[(u - 1) * m + i - 1], wi[(u - 1) * m + i - 1])
                        (yvr, yvi) = twiddle(yvr, yvi, wr[(ip - u - 1) * m + i - 1], wi[(ip - u - 1) * m + i - 1])
                    }
                    hr[hbase + u * hs + i] = yur; hi[hbase + u * hs + i] = yui
                    hr[hbase + (ip - u) * hs + i] = yvr; hi[hbase + (ip - u) * hs + i] = yvi
                }
            }
        }
    }

    /// A pass whose butterflies are sub-plans of length ip (a large prime factor).
    static func passSubplan<V: FFTLane>(
        _ sub: FFTPlan, _ ido: Int, _ l1: Int,
        _ cr: UnsafeMutablePointer<V>, _ ci: UnsafeMutablePointer<V>,
        _ hr: UnsafeMutablePointer<V>, _ hi: UnsafeMutablePointer<V>,
        _ wr: UnsafePointer<Double>, _ wi: UnsafePointer<Double>,
        _ tr: UnsafeMutablePointer<V>, _ ti: UnsafeMutablePointer<V>
    ) {
        let ip = sub.count, m = ido - 1, hs = ido * l1
        for k in 0..<l1 {
            let base = ido * ip * k, hbase = ido * k
            for i in 0..<ido {
                for j in 0..<ip { tr[j] = cr[base + j * ido + i]; ti[j] = ci[base + j * ido + i] }
                let (yRe, yIm) = sub.execute(leavingResult: tr, ti, tr + ip, ti + ip)
                hr[hbase + i] = yRe[0]; hi[hbase + i] = yIm[0]
                for j in 1..<ip {
                    var yr = yRe[j], yi = yIm[j]
                    if i > 0 { (yr, yi) = twiddle(yr, yi, wr[(j - 1) * m + i - 1], wi[(j - 1) * m + i - 1]) }
                    hr[hbase + j * hs + i] = yr; hi[hbase + j * hs + i] = yi
                }
            }
        }
    }

    /// out[j] = w[j]·x[j] for j < count, complex in split re/im (w scalar, x and out lanes; out may be x).
    @inline(__always)
    static func multiply<V: FFTLane>(
        _ xr: UnsafeMutablePointer<V>, _ xi: UnsafeMutablePointer<V>, by wRe: [Double], _ wIm: [Double],
        into outRe: UnsafeMutablePointer<V>, _ outIm: UnsafeMutablePointer<V>, count: Int
    ) {
        wRe.withUnsafeBufferPointer { wr in
            wIm.withUnsafeBufferPointer { wi in
                for j in 0..<count {
                    let a = xr[j], b = xi[j]
                    outRe[j] = wr[j] * a - wi[j] * b
                    outIm[j] = wr[j] * b + wi[j] * a
                }
            }
        }
    }

    /// Rader: X̂[g^{−m}] = x[0] + (a ⊛ b)[m], a_q = x[g^q], b_j = ω^{g^{−j}}; X̂[0] = x[0] + Σ a.
    func runRader<V: FFTLane>(
        _ r: Rader, _ re: UnsafeMutablePointer<V>, _ im: UnsafeMutablePointer<V>,
        _ sRe: UnsafeMutablePointer<V>, _ sIm: UnsafeMutablePointer<V>
    ) {
        let l = r.p - 1
        let ar = sRe, ai = sIm, innerRe = sRe + l, innerIm = sIm + l
        let x0r = re[0], x0i = im[0]
        r.gather.withUnsafeBufferPointer { g in
            for q in 0..<l { ar[q] = re[g[q]]; ai[q] = im[g[q]] }
        }
        let (fr, fi) = r.inner.execute(leavingResult: ar, ai, innerRe, innerIm)
        re[0] = x0r + fr[0]; im[0] = x0i + fi[0]
        Self.multiply(fr, fi, by: r.bRe, r.bIm, into: ar, ai, count: l)
        let (gi, gr) = r.inner.execute(leavingResult: ai, ar, innerIm, innerRe)  // backward (re/im swapped)
        r.scatter.withUnsafeBufferPointer { s in
            for q in 0..<l { re[s[q]] = x0r + gr[q]; im[s[q]] = x0i + gi[q] }
        }
    }

    /// Bluestein: X̂[k] = c_k · (a ⊛ b)[k], a_j = x_j c_j, c_j = e^{−πij²/n}, b_j = conj(c_j) (cyclic, length m ≥ 2n −
    /// 1).
    func runBluestein<V: FFTLane>(
        _ b: Bluestein, _ re: UnsafeMutablePointer<V>, _ im: UnsafeMutablePointer<V>,
        _ sRe: UnsafeMutablePointer<V>, _ sIm: UnsafeMutablePointer<V>
    ) {
        let n = b.n, m = b.m
        let ar = sRe, ai = sIm, innerRe = sRe + m, innerIm = sIm + m
        Self.multiply(re, im, by: b.chirpRe, b.chirpIm, into: ar, ai, count: n)
        for j in n..<m { ar[j] = .zero; ai[j] = .zero }
        let (fr, fi) = b.inner.execute(leavingResult: ar, ai, innerRe, innerIm)
        Self.multiply(fr, fi, by: b.bRe, b.bIm, into: ar, ai, count: m)
        let (gi, gr) = b.inner.execute(leavingResult: ai, ar, innerIm, innerRe)  // backward (re/im swapped)
        Self.multiply(gr, gi, by: b.chirpRe, b.chirpIm, into: re, im, count: n)
    }
}
