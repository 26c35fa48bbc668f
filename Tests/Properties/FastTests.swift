import Foundation
import Testing
@testable import Fast

/// The Fast mirror's FFT and SDR estimators against naive O(n²) DFTs and direct formulas.
@Suite struct FastTests {
    struct Stream {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            z ^= z >> 31
            return Double(z >> 11) * 0x1p-53 * 2 - 1
        }
        mutating func array(_ n: Int) -> [Double] { (0..<n).map { _ in next() } }
    }

    /// Naive DFT in extended precision on exact integer angles.
    static func naive(_ re: [Double], _ im: [Double], sign: Double = -1) -> ([Double], [Double]) {
        let n = re.count
        var outR = [Double](repeating: 0, count: n), outI = outR
        for u in 0..<n {
            var sr: Float80 = 0, si: Float80 = 0
            for k in 0..<n {
                let t = Float80(2) * Float80.pi * Float80((u * k) % n) / Float80(n)
                let c = Float80(cos(Double(t))), s = Float80(sin(Double(t)))
                sr += Float80(re[k]) * c - Float80(sign) * Float80(im[k]) * s
                si += Float80(im[k]) * c + Float80(sign) * Float80(re[k]) * s
            }
            outR[u] = Double(sr); outI[u] = Double(si)
        }
        return (outR, outI)
    }

    static func maxError(_ a: ([Double], [Double]), _ b: ([Double], [Double])) -> Double {
        var e = 0.0
        for i in a.0.indices { e = max(e, hypot(a.0[i] - b.0[i], a.1[i] - b.1[i])) }
        return e
    }

    @Test func fastFFTMatchesNaiveDFTOnAllLengthsUpTo64() throws {
        var s = Stream(state: 1)
        for n in 1...64 {
            let re = s.array(n), im = s.array(n)
            let fast = try FFT.forward(re: re, im: im)
            let slow = Self.naive(re, im)
            let l1 = zip(re, im).reduce(0) { $0 + hypot($1.0, $1.1) }
            let bound = FFTPlanCache.shared.plan(n).errorBound(l1Norm: l1) + 1e-15 * l1
            #expect(Self.maxError(fast, slow) <= bound, "n = \(n): \(Self.maxError(fast, slow)) > \(bound)")
        }
    }

    @Test(arguments: [101, 1031, 4099, 17 * 19, 2 * 103, 683])
    func fastFFTMatchesNaiveDFTOnPrimes(n: Int) throws {
        var s = Stream(state: UInt64(n))
        let re = s.array(n), im = s.array(n)
        let fast = try FFT.forward(re: re, im: im)
        // Spot-check coefficients (the naive DFT of 4099 in full is slow in debug).
        let l1 = zip(re, im).reduce(0) { $0 + hypot($1.0, $1.1) }
        let bound = FFTPlanCache.shared.plan(n).errorBound(l1Norm: l1)
        for u in [0, 1, 2, n / 3, n / 2, n - 1] {
            var sr = 0.0, si = 0.0
            for k in 0..<n {
                let t = 2 * Double.pi * Double((u * k) % n) / Double(n)
                sr += re[k] * cos(t) + im[k] * sin(t)
                si += im[k] * cos(t) - re[k] * sin(t)
            }
            let err = hypot(fast.re[u] - sr, fast.im[u] - si)
            #expect(err <= bound + 1e-13 * l1, "n = \(n), u = \(u): \(err) (\(FFTPlanCache.shared.plan(n).algorithm))")
        }
    }

    @Test func fastFFTRoundTripAndBatch() throws {
        var s = Stream(state: 2)
        for n in [1, 2, 7, 12, 31, 64, 97, 100, 101, 210, 1031] {
            let rows = 7
            let re = s.array(rows * n), im = s.array(rows * n)
            var r = re, i = im
            try FFT.forward(batchRe: &r, batchIm: &i, rows: rows, length: n)
            for row in 0..<rows {
                let single = try FFT.forward(
                    re: Array(re[row * n..<(row + 1) * n]), im: Array(im[row * n..<(row + 1) * n]))
                #expect(
                    Self.maxError(single, (Array(r[row * n..<(row + 1) * n]), Array(i[row * n..<(row + 1) * n])))
                        < 1e-12 * Double(n))
            }
            try FFT.inverse(batchRe: &r, batchIm: &i, rows: rows, length: n)
            #expect(Self.maxError((r, i), (re, im)) < 1e-13 * Double(n + 10), "round trip n = \(n)")
        }
    }

    @Test func fastRealInputMatchesComplex() throws {
        var s = Stream(state: 3)
        // 5 rows: one partial group of pairs; 19: two full groups of four pairs and a partial one (odd row last).
        for n in [1, 2, 5, 8, 31, 64, 101] {
            for rows in [5, 19] {
                let x = s.array(rows * n)
                let half = try FFT.realForward(batch: x, rows: rows, length: n)
                let h = n / 2 + 1
                // Into caller-owned arrays holding garbage: every value is overwritten.
                var intoRe = [Double](repeating: .nan, count: rows * h), intoIm = intoRe
                try FFT.realForward(batch: x, rows: rows, length: n, re: &intoRe, im: &intoIm)
                #expect(intoRe == half.re && intoIm == half.im)
                for row in 0..<rows {
                    let xs = Array(x[row * n..<(row + 1) * n])
                    let full = try FFT.forward(re: xs, im: [Double](repeating: 0, count: n))
                    for u in 0..<h {
                        #expect(abs(full.re[u] - half.re[row * h + u]) < 1e-12 * Double(n))
                        #expect(abs(full.im[u] - half.im[row * h + u]) < 1e-12 * Double(n))
                    }
                    let back = try FFT.realInverse(
                        re: Array(half.re[row * h..<(row + 1) * h]),
                        im: Array(half.im[row * h..<(row + 1) * h]), length: n)
                    #expect(zip(back, xs).allSatisfy { abs($0 - $1) < 1e-12 * Double(n) })
                }
            }
        }
    }

    @Test func fast2DMatchesSeparableNaive() throws {
        var s = Stream(state: 4)
        for (rows, cols) in [(1, 5), (3, 4), (8, 8), (5, 7), (6, 1), (17, 3)] {
            let re = s.array(rows * cols), im = s.array(rows * cols)
            var r = re, i = im
            try FFT.forward2D(re: &r, im: &i, rows: rows, columns: cols)
            for u in 0..<rows {
                for v in 0..<cols {
                    var sr = 0.0, si = 0.0
                    for k in 0..<rows {
                        for l in 0..<cols {
                            let t =
                                2 * Double.pi
                                * (Double((u * k) % rows) / Double(rows) + Double((v * l) % cols) / Double(cols))
                            sr += re[k * cols + l] * cos(t) + im[k * cols + l] * sin(t)
                            si += im[k * cols + l] * cos(t) - re[k * cols + l] * sin(t)
                        }
                    }
                    #expect(hypot(sr - r[u * cols + v], si - i[u * cols + v]) < 1e-12 * Double(rows * cols))
                }
            }
            try FFT.inverse2D(re: &r, im: &i, rows: rows, columns: cols)
            #expect(Self.maxError((r, i), (re, im)) < 1e-13 * Double(rows * cols + 10))
        }
    }

    @Test func fastPlanCacheIsThreadSafe() async throws {
        let cache = FFTPlanCache()
        let lengths = [7, 31, 64, 101, 128, 210, 257, 1031]
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for t in 0..<16 {
                group.addTask {
                    var s = Stream(state: UInt64(100 + t))
                    for n in lengths {
                        let plan = cache.plan(n)
                        #expect(plan === cache.plan(n))
                        let re = s.array(n), im = s.array(n)
                        let fast = try FFT.forward(re: re, im: im)
                        let back = try FFT.inverse(re: fast.re, im: fast.im)
                        if FastTests.maxError(back, (re, im)) > 1e-12 { return false }
                    }
                    return true
                }
            }
            var all: [Bool] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.allSatisfy { $0 })
        #expect(cache.count >= lengths.count)
    }

    @Test func fastFFTRejectsBadInput() {
        #expect(throws: FastError.self) { try FFT.forward(re: [], im: []) }
        #expect(throws: FastError.self) { try FFT.forward(re: [1, 2], im: [1]) }
        var r = [1.0, 2, 3], i = [0.0, 0, 0]
        #expect(throws: FastError.self) { try FFT.forward(batchRe: &r, batchIm: &i, rows: 2, length: 2) }
        #expect(throws: FastError.self) { try FFT.realInverse(re: [1, 2], im: [0, 0], length: 5) }
        var hr = [Double](repeating: 0, count: 2), hi = hr  // [1, 3] half spectra need 3 values
        #expect(throws: FastError.self) {
            try FFT.realForward(batch: [1, 2, 3, 4], rows: 1, length: 4, re: &hr, im: &hi)
        }
    }

    /// The SIMD probe finds a non-finite value anywhere (in the blocks of eight or the tail) and the first index is
    /// named.
    @Test func requireFiniteNamesTheFirstNonFiniteValue() {
        for count in [0, 1, 7, 8, 9, 23, 64] {
            #expect(throws: Never.self) {
                try FastError.requireFinite([Double](repeating: -1e308, count: count), "x", [count])
            }
            for bad in [Double.nan, .infinity, -.infinity] {
                for position in Set([0, count / 2, count - 1]) where position >= 0 && count > 0 {
                    var values = [Double](repeating: 0.5, count: count)
                    values[position] = bad
                    if position + 1 < count { values[count - 1] = .nan }  // a later one is not the one named
                    #expect(throws: FastError.nonFinite(name: "x", shape: [count], index: position)) {
                        try FastError.requireFinite(values, "x", [count])
                    }
                }
            }
        }
    }

    @Test func fastNumberTheory() {
        #expect(FFTMath.primitiveRoot(7) == 3)
        #expect(FFTMath.primitiveRoot(4099) != nil)
        #expect(FFTMath.modInverse(3, 7) == 5)
        #expect(FFTMath.modInverse(2, 4) == nil)
        #expect(Primes.primeFactorsWithMultiplicity(4098) == [2, 3, 683])
        #expect(FFTMath.smoothLength(atLeast: 2061) == 2160)
        #expect((0..<200).filter(Primes.isPrime).count == 46)
    }

    // MARK: SDR estimators

    @Test func fastPopulationSDRBasics() throws {
        var s = Stream(state: 5)
        let k = s.array(7)
        let dirac = [1.0, 0, 0, 0, 0, 0, 0]
        #expect(abs(try SDREstimators.population(dirac, k, shape: [7]) - 1) < 1e-13)
        #expect(abs(try SDREstimators.population(dirac, k, shape: [7], averaging: .all) - 1) < 1e-13)
        let k2 = s.array(7)
        #expect(
            abs(try SDREstimators.population(k, k2, shape: [7]) - SDREstimators.population(k2, k, shape: [7])) < 1e-13)
        // Against the definition with a naive DFT (2D, 3×4).
        let a = s.array(12), b = s.array(12)
        func power(_ x: [Double]) -> [Double] {
            (0..<12).map { q in
                let u = q / 4, v = q % 4
                var re = 0.0, im = 0.0
                for k in 0..<12 {
                    let t = 2 * Double.pi * (Double(u * (k / 4)) / 3 + Double(v * (k % 4)) / 4)
                    re += x[k] * cos(t); im -= x[k] * sin(t)
                }
                return re * re + im * im
            }
        }
        let fa = power(a), fb = power(b)
        let joint = (1..<12).reduce(0.0) { $0 + fa[$1] * fb[$1] } / 11
        let pa = fa.dropFirst().reduce(0, +) / 11, pb = fb.dropFirst().reduce(0, +) / 11
        #expect(abs(try SDREstimators.population(a, b, shape: [3, 4]) - joint / (pa * pb)) < 1e-12)
    }

    @Test func fastLayerMatchesStridedEstimatorPerPair() throws {
        var s = Stream(state: 6)
        for (cout, cin, batch, m, stride, h) in [
            (3, 2, 3, 4, 2, 5), (5, 3, 9, 4, 1, 3), (2, 2, 4, 3, 3, 4), (6, 1, 1, 2, 2, 1),
        ] {
            let n = m * stride
            let w = s.array(cout * cin * h * h), x = s.array(batch * cin * m * m)
            for averaging in FrequencyAveraging.allCases {
                for grid in ActivationGrid.allCases {
                    let layer = try SDREstimators.layer(
                        weights: w, weightShape: [cout, cin, h, h], activations: x,
                        activationShape: [batch, cin, m, m], stride: stride, map: n,
                        averaging: averaging, grid: grid)
                    for o in 0..<cout {
                        for c in 0..<cin {
                            let hh: Int = h * h, kStart: Int = (o * cin + c) * hh
                            let kernel = Array(w[kStart..<(kStart + hh)])
                            var maps: [Double] = []
                            let mm: Int = m * m
                            for b in 0..<batch {
                                let start: Int = (b * cin + c) * mm
                                maps += x[start..<(start + mm)]
                            }
                            let single = try SDREstimators.strided(
                                kernel: kernel, kernelShape: [h, h], activations: maps,
                                activationShape: [batch, m, m], stride: stride,
                                map: [n, n], averaging: averaging, grid: grid
                            ).ratio
                            #expect(
                                abs(layer[out: o, in: c] - single) <= 1e-11 * max(1, abs(single)),
                                Comment(
                                    rawValue: "\(cout) \(cin) \(batch) \(m) \(stride) \(h) \(averaging) \(grid): "
                                        + "\(layer[out: o, in: c]) vs \(single)")
                            )
                        }
                    }
                    #expect(layer.histogram.reduce(0, +) + layer.underflow + layer.overflow == cout * cin)
                }
            }
        }
    }

    /// A zero filter or a dead activation channel makes its pairs undefined (NaN, listed with the reason); every
    /// other pair keeps the value it has without them.
    @Test func fastLayerMarksUndefinedPairsAndKeepsTheOthers() throws {
        var s = Stream(state: 8)
        let (cout, cin, batch, m, h) = (3, 3, 4, 4, 3)
        var w = s.array(cout * cin * h * h), x = s.array(batch * cin * m * m)
        for k in 0..<(h * h) { w[(cin + 2) * h * h + k] = 0 }  // filter W[1, 2] pruned
        for b in 0..<batch {
            let start: Int = b * cin * m * m
            for k in 0..<(m * m) { x[start + k] = 0 }  // channel 0 dead
        }
        let layer = try SDREstimators.layer(
            weights: w, weightShape: [cout, cin, h, h], activations: x, activationShape: [batch, cin, m, m],
            stride: 2)
        #expect(layer.undefined.map { [$0.out, $0.in] } == [[0, 0], [1, 0], [1, 2], [2, 0]])
        #expect(layer.undefined.map(\.cause) == [.activation, .activation, .filter, .activation])
        #expect(layer.undefined[2].reason.contains("output channel 1, input channel 2"))
        #expect(layer.undefined[0].reason.contains("activation channel 0"))
        #expect(layer.defined.count == 5 && layer.value(out: 1, in: 2) == nil && layer[out: 1, in: 2].isNaN)
        #expect(layer.histogram.reduce(0, +) + layer.underflow + layer.overflow == 5)
        // Channel 1's pairs are those of a layer of channel 1 alone, bit for bit.
        let hh: Int = h * h, mm: Int = m * m
        var ws: [Double] = [], xs: [Double] = []
        for o in 0..<cout {
            let start: Int = (o * cin + 1) * hh
            ws += w[start..<(start + hh)]
        }
        for b in 0..<batch {
            let start: Int = (b * cin + 1) * mm
            xs += x[start..<(start + mm)]
        }
        let one = try SDREstimators.layer(
            weights: ws, weightShape: [cout, 1, h, h], activations: xs, activationShape: [batch, 1, m, m], stride: 2)
        for o in 0..<cout { #expect(layer.value(out: o, in: 1) == one[out: o, in: 0]) }
    }

    /// The layer on activations fed a map stack at a time is the layer on the whole batch, bit for bit, whatever
    /// the batch's remainder modulo the eight maps of a transform group; the statistics refuse bad input.
    @Test(arguments: [1, 2, 7, 8, 9, 17])
    func fastLayerOnStreamedActivationsIsTheBatchLayer(batch: Int) throws {
        var s = Stream(state: UInt64(batch))
        let (cout, cin, m0, m1, h, w) = (3, 2, 4, 6, 3, 2)
        let weights = s.array(cout * cin * h * w), x = s.array(batch * cin * m0 * m1)
        let whole = try SDREstimators.layer(
            weights: weights, weightShape: [cout, cin, h, w], activations: x, activationShape: [batch, cin, m0, m1],
            stride: 2)
        var statistics = try LayerActivationStatistics(channels: cin, rows: m0, columns: m1)
        let stack = cin * m0 * m1
        for b in 0..<batch {
            try Array(x[(b * stack)..<((b + 1) * stack)]).withUnsafeBufferPointer { try statistics.add($0) }
        }
        #expect(statistics.batch == batch)
        let streamed = try SDREstimators.layer(
            weights: weights, weightShape: [cout, cin, h, w], statistics: &statistics, stride: 2)
        #expect(streamed.sdr.map(\.bitPattern) == whole.sdr.map(\.bitPattern))
        #expect(streamed == whole)
    }

    @Test func fastLayerStatisticsRejectBadInputWithTypedErrors() throws {
        #expect(throws: FastError.self) { try LayerActivationStatistics(channels: 0, rows: 4, columns: 4) }
        #expect(throws: FastError.self) { try LayerActivationStatistics(channels: Int.max / 2, rows: 4, columns: 4) }
        var statistics = try LayerActivationStatistics(channels: 2, rows: 2, columns: 2)
        #expect(throws: FastError.self) {
            try SDREstimators.layer(
                weights: [Double](repeating: 1, count: 8), weightShape: [1, 2, 2, 2], statistics: &statistics,
                stride: 1)
        }
        #expect(throws: FastError.self) { try [1.0, 2, 3].withUnsafeBufferPointer { try statistics.add($0) } }
        var stack = [Double](repeating: 1, count: 8)
        stack[5] = .nan
        #expect(throws: FastError.nonFinite(name: "the activations", shape: [3, 2, 2, 2], index: 13)) {
            try stack.withUnsafeBufferPointer { try statistics.add($0, shape: [3, 2, 2, 2], offset: 8) }
        }
    }

    @Test func fastStridedReducesToBatchAndPopulation() throws {
        var s = Stream(state: 7)
        let k = s.array(6), v = s.array(6)
        let pop = try SDREstimators.population(k, v, shape: [6])
        let batch = try SDREstimators.batch(kernel: k, kernelShape: [6], samples: v, sampleShape: [1, 6])
        #expect(abs(pop - batch) < 1e-12)
        // 1D strided: kernel 3 padded to n = 8, maps of 4.
        let parts = try SDREstimators.strided(
            kernel: [1, -2, 0.5], kernelShape: [3], activations: s.array(3 * 4),
            activationShape: [3, 4], stride: 2)
        #expect(parts.ratio.isFinite && parts.ratio > 0)
    }

    /// The power floor is relative to the total of the grid the activation power is read on: on the native grid,
    /// the averaged power must exceed 2⁻⁹⁴ of the native total (not of the up-sampled grid's, s^D times larger).
    /// Maps [1, 1 + δ] (stride 2, n = 4, m = 2): the native power is δ² exactly against a total ≈ 4.
    @Test func nativeGridPowerFloorIsRelativeToTheNativeTotal() throws {
        func parts(_ delta: Double) throws(FastError) -> SDRParts {
            try SDREstimators.strided(
                kernel: [1, -2, 0.5], kernelShape: [3], activations: [1, 1 + delta], activationShape: [1, 2],
                stride: 2, grid: .native)
        }
        // δ² = 9·2⁻⁹⁶: below 2⁻⁹⁴·4 (refused), above 2⁻⁹⁴·4/s = 2⁻⁹³ (what the s-fold 1D up-sampled total would
        // let through).
        #expect(throws: FastError.self) { try parts(3 * 0x1p-48) }
        #expect(throws: FastError.self) { try parts(0x1p-48) }
        // δ² = 2⁻⁸⁸, far above the floor: an SDR.
        let resolved = try parts(0x1p-44)
        #expect(resolved.ratio.isFinite && resolved.ratio > 0)
    }

    @Test func fastEstimatorsRejectBadInputWithTypedErrors() {
        let w = [Double](repeating: 1, count: 2 * 1 * 3 * 3), x = [Double](repeating: 0.5, count: 2 * 1 * 4 * 4)
        func layer(_ w: [Double], _ ws: [Int], _ x: [Double], _ xs: [Int], stride: Int = 2, map: Int? = 8)
            throws(FastError)
        {
            _ = try SDREstimators.layer(
                weights: w, weightShape: ws, activations: x, activationShape: xs, stride: stride, map: map)
        }
        var nan = w; nan[3] = .nan
        #expect(throws: FastError.nonFinite(name: "the weights", shape: [2, 1, 3, 3], index: 3)) {
            try layer(nan, [2, 1, 3, 3], x, [2, 1, 4, 4])
        }
        var inf = x; inf[5] = .infinity
        #expect(throws: FastError.nonFinite(name: "the activations", shape: [2, 1, 4, 4], index: 5)) {
            try layer(w, [2, 1, 3, 3], inf, [2, 1, 4, 4])
        }
        #expect(throws: FastError.strideDoesNotDivide(map: 9, stride: 2)) {
            try layer(w, [2, 1, 3, 3], x, [2, 1, 4, 4], map: 9)
        }
        #expect(throws: FastError.kernelLargerThanMap(kernel: [3, 3], map: [2, 2])) {
            try layer(w, [2, 1, 3, 3], [Double](repeating: 1, count: 2), [2, 1, 1, 1], map: 2)
        }
        #expect(throws: FastError.self) { try layer(w, [2, 1, 3, 3], x, [2, 2, 4, 4]) }  // count mismatch
        #expect(throws: FastError.self) { try layer([], [0, 1, 3, 3], x, [2, 1, 4, 4]) }  // empty
        #expect(throws: FastError.self) {  // a 1×1 map has no non-zero frequency: no pair has an SDR
            try layer([1, 1], [2, 1, 1, 1], [1, 1], [2, 1, 1, 1], stride: 1, map: nil)
        }
        #expect(throws: FastError.self) { try SDREstimators.population([0, 0, 0], [1, 2, 3], shape: [3]) }
        // no power off 0
        #expect(throws: FastError.self) { try SDREstimators.population([2, 2, 2], [1, 2, 3], shape: [3]) }
        #expect(throws: FastError.self) { try SDREstimators.population([1, 2], [1, 2, 3], shape: [3]) }
        #expect(throws: FastError.self) { try SDREstimators.population([1, .nan, 2], [1, 2, 3], shape: [3]) }
        #expect(throws: FastError.self) {
            try SDREstimators.strided(
                kernel: [1, 2, 3], kernelShape: [3], activations: [1, 2], activationShape: [1, 2], stride: 1)
        }
    }
}
