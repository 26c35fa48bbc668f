import Fast
import Reference

/// Cross-checks of the Double mirror (Sources/Fast) against the exact Reference: each reading
/// (kind `.float`) compares a Fast function with its exact counterpart within a derived error bound.
public enum FastCrossChecks: ClaimSection {
    public static let title = "Fast against Reference (the Double mirror)"
    /// The section's one list: a reading is registered by being here.
    public static var readings: [ClaimReading] { fft + fftPaths + sdr + batch + strided + layer }

    static let u = 0x1p-53

    // MARK: generators

    /// A rational entry: mostly small fractions; sometimes a large dynamic range ±m·10^e, e in −6…6.
    static var entry: Gen<Rational> {
        Gen.weighted(
            (3, Domain.rational(numerator: 9, denominator: 5)),
            (1, Gen.zip(Gen.int(in: -9...9), Gen.int(in: -6...6)).map { try Rational(parsing: "\($0.0)e\($0.1)") }))
    }

    /// A signal of length n: dense, sparse, Dirac, eye pair, box; or periodic (many DFT coefficients exactly 0).
    static func signal(_ n: Int) -> Gen<[Rational]> {
        Gen.weighted(
            (4, Domain.kernel(length: n, entry: entry)),
            (
                1,
                Gen.int(in: 1...max(1, n)).flatMap { period in
                    Domain.vector(length: period, entry: entry).map { block in (0..<n).map { block[$0 % period] } }
                }
            ))
    }

    struct SignalCase: Sendable, JSONRenderable {
        let values: [Rational]
        var json: JSONValue { .object(["n": .int(values.count), "x": .array(values.map { .string($0.description) })]) }
    }

    static func l1(_ x: [Rational]) -> Double { x.reduce(0) { $0 + abs($1.doubleValue) } }

    // MARK: fast.fft — FFT vs ExactDFT

    /// Largest |X̂_fast(u) − X̂(u)| minus its bound over all u (≤ 0 when the check holds).
    static func fftExcess(_ x: [Rational]) throws -> Double {
        let n = x.count
        let approximations: [(real: Double, imaginary: Double, errorBound: Double)]
        if n > 100 && Primes.isPrime(n) {
            // Prime n: X̂(u) = σ_u(X̂(1)) exactly (the stretching group is the Galois group, proofs.md S1), so one
            // element X̂(1) = Σ_k x_k ζ^{−k} and its conjugates give every non-zero frequency; X̂(0) = Σ_k x_k.
            let field = try CyclotomicField(order: n)
            var e = [Rational](repeating: .zero, count: n)
            for k in 0..<n { e[(n - k) % n] = x[k] }
            let first = try Cyclotomic(exponentCoefficients: e, in: field)
            approximations =
                [Cyclotomic(x.reduce(.zero, +), in: field).approximation()]
                + first.conjugateApproximations(Array(1..<n))
        } else {
            approximations = try ExactDFT.forward(x).map { $0.approximation() }
        }
        let doubles = x.map(\.doubleValue)
        let fast = try FFT.forward(re: doubles, im: [Double](repeating: 0, count: n))
        let norm = l1(x)
        // |X̂_fl − X̂| ≤ κ·u·‖x‖₁ (κ = Σ_passes (r + 4…6), ×β = max|B̂| through Rader/Bluestein; ≈ 4·log₂n for smooth
        // n) + u·‖x‖₁ (input rounding) + Cyclotomic.approximation()'s bound.
        let fftBound = FFTPlanCache.shared.plan(n).errorBound(l1Norm: norm) + u * norm
        var worst = -Double.infinity
        for k in 0..<n {
            let a = approximations[k]
            let err =
                ((fast.re[k] - a.real) * (fast.re[k] - a.real)
                + (fast.im[k] - a.imaginary) * (fast.im[k] - a.imaginary))
                .squareRoot()
            worst = max(worst, err - (fftBound + 2 * a.errorBound) * (1 + 4 * u))
        }
        return worst
    }

    static var fft: [ClaimReading] {
        [
            .property(
                id: "fast.fft", reading: "1d", kind: .float,
                statement:
                    "The Double FFT (mixed radix, Rader, Bluestein) agrees with the exact DFT ExactDFT.forward on "
                    + "every coefficient within κ·u·‖x‖₁ plus the cyclotomic approximation bound; lengths 1…64, "
                    + "rational entries with dynamic range up to 10^12, periodic signals with exactly "
                    + "vanishing coefficients.",
                expected: .holds, cases: 200,
                gen: Gen.int(in: 1...64).flatMap { signal($0) }.map { SignalCase(values: $0) },
                render: { $0.json }, check: { try fftExcess($0.values) <= 0 }),
            .property(
                id: "fast.fft", reading: "large-prime", kind: .float,
                statement:
                    "The Double FFT agrees with the exact DFT for primes above 1000: 1031 (Rader's algorithm is not "
                    + "used: 1030 = 2·5·103, Bluestein) and 1021 (1020 = 2²·3·5·17, Bluestein), 1051 (1050 = "
                    + "2·3·5²·7, Rader).",
                expected: .holds, cases: 3,
                gen: Gen.element(of: [1031, 1051, 1021]).flatMap { n in Domain.vector(length: n, entry: entry) }
                    .map { SignalCase(values: $0) },
                render: { $0.json }, check: { try fftExcess($0.values) <= 0 }),
        ]
    }

    /// The Fast value, or nil when Fast refused with `.zeroKernel`/`.undefined` (power below its floor); other errors
    /// propagate.
    static func refusing<T>(_ body: () throws -> T) throws -> T? {
        do { return try body() } catch let error as FastError {
            switch error {
            case .zeroKernel, .undefined: return nil
            default: throw error
            }
        }
    }

    // MARK: fast.sdr — population SDR (eq. 8) vs SpectralDensityRatio.ratio

    /// Error model of an average of power spectra computed through the FFT: per-coefficient |k̂_fl − k̂| ≤ δ
    /// (δ = κ·u·‖k‖₁ + u‖k‖₁), |k̂| ≤ ‖k‖₁ =: a, so |F_fl − F| ≤ (2a + δ)δ + 3u·a².
    /// In 2D the row and column passes add: κ = κ_R + κ_C.
    static func powerError(_ k: [Rational], _ rows: Int, _ columns: Int) -> (a2: Double, e: Double) {
        let a = l1(k)
        let delta =
            FFTPlanCache.shared.plan(rows).errorBound(l1Norm: a)
            + FFTPlanCache.shared.plan(columns).errorBound(l1Norm: a) + u * a
        return (a * a, (2 * a + delta) * delta + 3 * u * a * a)
    }

    /// Whether the exact ρ = J/(A·B) lies in the interval the Fast value's error bounds allow:
    /// |J_fl − J| ≤ eJ, |A_fl − A| ≤ eA, |B_fl − B| ≤ eB, with the final divisions' rounding (3u).
    static func ratioWithinBounds(
        fast: Double, exact: Rational, joint: Double, eJ: Double,
        a: Double, eA: Double, b: Double, eB: Double
    ) -> Bool {
        let rho = exact.doubleValue
        guard a - eA > 0, b - eB > 0 else { return true }  // the bound is vacuous: nothing to refute
        let lo = (joint - eJ) / ((a + eA) * (b + eB)), hi = (joint + eJ) / ((a - eA) * (b - eB))
        let slack = 4 * u * max(abs(lo), abs(hi)) + 4 * u * abs(rho)
        return fast >= min(lo, hi) - slack && fast <= max(lo, hi) + slack
            && rho >= min(lo, hi) - slack && rho <= max(lo, hi) + slack
    }

    struct KernelPair: Sendable, JSONRenderable {
        let rows: Int, columns: Int, k1: [Rational], k2: [Rational], averaging: Reference.FrequencyAveraging
        var json: JSONValue {
            .object([
                "shape": .string("\(rows)x\(columns)"), "k1": .array(k1.map { .string($0.description) }),
                "k2": .array(k2.map { .string($0.description) }), "averaging": .string(averaging.rawValue),
            ])
        }
    }

    static func fastAveraging(_ a: Reference.FrequencyAveraging) -> Fast.FrequencyAveraging {
        a == .all ? .all : .nonZero
    }

    static var kernelPair: Gen<KernelPair> {
        Gen.zip(Gen.int(in: 1...4), Gen.int(in: 2...9), Gen.element(of: Reference.FrequencyAveraging.allCases))
            .flatMap { r, c, avg in
                Gen.zip(signal(r * c), signal(r * c)).map {
                    KernelPair(rows: r, columns: c, k1: $0.0, k2: $0.1, averaging: avg)
                }
            }
    }

    static func checkPopulation(_ p: KernelPair) throws -> Bool {
        let n = p.rows * p.columns
        let a = try RationalImage(rows: p.rows, columns: p.columns, values: p.k1)
        let b = try RationalImage(rows: p.rows, columns: p.columns, values: p.k2)
        let parts: SpectralDensityRatio.Parts
        let exact: Rational
        do {
            parts = try SpectralDensityRatio.parts(a, b, averaging: p.averaging)
            exact = try parts.ratio()
        } catch { throw Discard("the exact SDR is undefined: \(error)") }
        let shape = p.rows == 1 ? [n] : [p.rows, p.columns]
        let k1 = p.k1.map(\.doubleValue), k2 = p.k2.map(\.doubleValue), avg = fastAveraging(p.averaging)
        guard let fast = try refusing({ try SDREstimators.population(k1, k2, shape: shape, averaging: avg) }) else {
            // Fast refuses kernels whose averaged power is below 10⁻¹² of the total: allowed only then.
            let t1 = a.autocorrelation[0].doubleValue * Double(n), t2 = b.autocorrelation[0].doubleValue * Double(n)
            return parts.firstPower.doubleValue * Double(n) < 1e-10 * t1
                || parts.secondPower.doubleValue * Double(n) < 1e-10 * t2
        }
        // Averages over N' ≤ N frequencies of F₁F₂, F₁, F₂ (each summed with N·u relative rounding).
        let (a1, e1) = powerError(p.k1, p.rows, p.columns), (a2, e2) = powerError(p.k2, p.rows, p.columns)
        let nn = Double(n)
        // Averages over N′ ≥ N/2 frequencies of terms each within e: within 2e.
        let eJ = a1 * e2 + a2 * e1 + e1 * e2 + (nn + 3) * u * a1 * a2
        return ratioWithinBounds(
            fast: fast, exact: exact, joint: parts.jointPower.doubleValue, eJ: 2 * eJ,
            a: parts.firstPower.doubleValue, eA: 2 * (e1 + (nn + 2) * u * a1),
            b: parts.secondPower.doubleValue, eB: 2 * (e2 + (nn + 2) * u * a2))
    }

    /// Maps of m ones with 1 + δ at one position (δ = c·2^−e), read at stride s on one grid: near Fast's power floor.
    struct FloorCase: Sendable, JSONRenderable {
        let m: Int, stride: Int, position: Int, c: Int, e: Int, native: Bool
        var delta: Rational { Rational(c, timesPowerOfTwo: -e) }
        var json: JSONValue {
            .object([
                "m": .int(m), "stride": .int(stride), "position": .int(position),
                "delta": .string(delta.description), "grid": .string(native ? "native" : "upsampled"),
            ])
        }
    }

    static var floorCase: Gen<FloorCase> {
        Gen.zip(Gen.zip(Gen.int(in: 2...4), Gen.int(in: 2...3), Gen.int(in: 0...3)), Gen.int(in: 1...15))
            .flatMap { msp, c in
                Gen.zip(Gen.int(in: 44...50), Gen.weighted((3, Gen.constant(true)), (1, Gen.constant(false)))).map {
                    FloorCase(m: msp.0, stride: msp.1, position: msp.2 % msp.0, c: c, e: $0, native: $1)
                }
            }
    }

    /// Fast refuses a map set whose power over the averaged frequencies of the grid it reads is at most 2⁻⁹⁴ of that
    /// grid's total, and answers above. Exactly, for x = 1 + δ·e_j on m points: the native power off 0 is
    /// mΣx² − (Σx)² = (m − 1)δ², of a native total mΣx² = m(m + 2δ + δ²); on the up-sampled grid (s copies of the
    /// spectrum) the zero frequency's power counts s − 1 times, so it is never near the floor. The FFT computes the
    /// off-zero coefficients δ·ω^{−uj} with an absolute error of a few units of 2⁻⁵³ (the constant's residue), so
    /// fractions within a factor 1.5 of 2⁻⁹⁴ are not decided (δ ≥ 2⁻⁵⁰·… keeps that error under a third of p).
    static func nativeFraction(_ c: FloorCase) -> Rational {
        let m = Rational(c.m), delta = c.delta
        // (m − 1)δ² / (m(m + 2δ + δ²)); the denominator is positive (δ > 0).
        return try! ((m - 1) * delta.squared) / (m * (m + 2 * delta + delta.squared))
    }

    static func checkPowerFloor(_ c: FloorCase) throws -> Bool {
        let floor = Rational(1, timesPowerOfTwo: -94)
        let fraction = nativeFraction(c)
        let decided: Bool? =
            !c.native ? false : fraction * 3 <= floor * 2 ? true : fraction * 2 >= floor * 3 ? false : nil
        guard let mustRefuse = decided else { throw Discard("the native power is within a factor 1.5 of the floor") }
        let maps = (0..<c.m).map { $0 == c.position ? (1 + c.delta).doubleValue : 1.0 }
        let answered = try refusing({
            try SDREstimators.strided(
                kernel: [1, -2, 0.5], kernelShape: [3], activations: maps, activationShape: [1, c.m],
                stride: c.stride, grid: c.native ? .native : .upsampled)
        })
        return mustRefuse ? answered == nil : (answered.map { $0.ratio.isFinite && $0.ratio > 0 } ?? false)
    }

    static var sdr: [ClaimReading] {
        [
            .property(
                id: "fast.sdr", reading: "population", kind: .float,
                statement:
                    "SDREstimators.population (eq. 8 through the FFT, 1D and 2D, both averagings) agrees with "
                    + "SpectralDensityRatio.ratio within the FFT error propagated through the ratio.",
                expected: .holds, cases: 200, gen: kernelPair, render: { $0.json }, check: checkPopulation),
            .property(
                id: "fast.sdr", reading: "power-floor", kind: .float,
                statement:
                    "SDREstimators.strided refuses maps whose power over the averaged frequencies of the grid it reads "
                    + "is at most 2⁻⁹⁴ of that grid's total power, and answers above (native and up-sampled grids, "
                    + "strides 2 and 3, decided outside a factor 1.5 of the floor).",
                expected: .holds, cases: 200, gen: floorCase, render: { $0.json },
                classify: { c in
                    // Where a slip of the threshold by the stride (s or s² copies) would show: within 4× of 2⁻⁹⁴.
                    let f = nativeFraction(c), floor = Rational(1, timesPowerOfTwo: -94)
                    return [.nonTrivial(c.native && f < 4 * floor && 4 * f > floor), .parameter("stride", c.stride)]
                },
                nonTrivialShare: 0.07,
                check: checkPowerFloor),
        ]
    }

    // MARK: eq23 — the batch estimator vs its exact value

    struct BatchCase: Sendable, JSONRenderable {
        let rows: Int, columns: Int, kernel: [Rational], samples: [[Rational]], averaging: Reference.FrequencyAveraging
        var json: JSONValue {
            .object([
                "shape": .string("\(rows)x\(columns)"), "kernel": .array(kernel.map { .string($0.description) }),
                "samples": .array(samples.map { .array($0.map { .string($0.description) }) }),
                "averaging": .string(averaging.rawValue),
            ])
        }
    }

    /// Exact ⟨|a ⊙ b|²⟩-type sums from autocorrelations: Σ_u |â|²|b̂|² = N Σ_τ r_a(τ) r_b(−τ), Σ_u |â|² = N r_a(0).
    static func exactSums(_ a: RationalImage, _ b: RationalImage) -> (
        joint: Rational, first: Rational, second: Rational
    ) {
        let ra = a.autocorrelation, rb = b.autocorrelation
        var cross = Rational.zero
        for t in 0..<ra.count where !ra[t].isZero { cross += ra[t] * rb[t] }  // r(−τ) = r(τ) for real signals
        let n = Rational(ra.count)
        return (n * cross, n * ra[0], n * rb[0])
    }

    static func sum(_ x: [Rational]) -> Rational { x.reduce(Rational.zero, +) }

    static func checkBatch(_ c: BatchCase) throws -> Bool {
        let n = c.rows * c.columns, b = c.samples.count
        let k = try RationalImage(rows: c.rows, columns: c.columns, values: c.kernel)
        var joint = Rational.zero, first = Rational.zero, second = Rational.zero
        let s0 = sum(c.kernel).squared
        for v in c.samples {
            let (j, f, s) = exactSums(k, try RationalImage(rows: c.rows, columns: c.columns, values: v))
            let sv = sum(v).squared
            joint += c.averaging == .nonZero ? j - s0 * sv : j
            first = c.averaging == .nonZero ? f - s0 : f
            second += c.averaging == .nonZero ? s - sv : s
        }
        guard !first.isZero, !second.isZero else { throw Discard("the exact estimator is 0/0") }
        let count = c.averaging == .nonZero ? n - 1 : n
        guard count > 0 else { throw Discard("no non-zero frequency") }
        // ρ = ((1/B)ΣJ_i/N′) / ((F/N′)((1/B)ΣS_i/N′)) = N′·ΣJ_i / (F·ΣS_i).
        let exact = try (Rational(count) * joint) / (first * second)
        let shape = c.rows == 1 ? [n] : [c.rows, c.columns]
        let kd = c.kernel.map(\.doubleValue), vd = c.samples.flatMap { $0.map(\.doubleValue) },
            avg = fastAveraging(c.averaging)
        guard
            let fast = try refusing({
                try SDREstimators.batch(
                    kernel: kd, kernelShape: shape, samples: vd, sampleShape: [b] + shape, averaging: avg)
            })
        else {
            let tf = Double(n) * k.autocorrelation[0].doubleValue
            var tv = 0.0
            for v in c.samples {
                tv +=
                    Double(n)
                    * (try RationalImage(rows: c.rows, columns: c.columns, values: v).autocorrelation[0].doubleValue)
            }
            return first.doubleValue < 1e-10 * tf || second.doubleValue < 1e-10 * tv
        }
        let nn = Double(n), bb = Double(b)
        let (ak, ek) = powerError(c.kernel, c.rows, c.columns)
        var av = 0.0, ev = 0.0
        for v in c.samples { let (a2, e2) = powerError(v, c.rows, c.columns); av = max(av, a2); ev = max(ev, e2) }
        // Sums over N frequencies and B samples: each term's error as in eq. 8, plus (N + B + 3)u summation rounding.
        let eJ = (ak * ev + av * ek + ek * ev + (nn + bb + 3) * u * ak * av) * nn * bb
        return ratioWithinBounds(
            fast: fast, exact: exact, joint: joint.doubleValue, eJ: eJ,
            a: first.doubleValue, eA: (ek + (nn + 2) * u * ak) * nn,
            b: second.doubleValue / Double(count), eB: (ev + (nn + bb + 2) * u * av) * nn * bb / Double(count))
    }

    static var batchCase: Gen<BatchCase> {
        Gen.zip(
            Gen.int(in: 1...3), Gen.int(in: 2...8), Gen.int(in: 1...4),
            Gen.element(of: Reference.FrequencyAveraging.allCases)
        )
        .flatMap { r, c, b, avg in
            Gen.zip(signal(r * c), Gen.array(of: signal(r * c), count: b...b))
                .map { BatchCase(rows: r, columns: c, kernel: $0.0, samples: $0.1, averaging: avg) }
        }
    }

    static var batch: [ClaimReading] {
        [
            .property(
                id: "eq23", reading: "printed", kind: .float,
                statement:
                    "SDREstimators.batch (eq. 23 through the FFT) agrees with the exact batch estimate ⟨(1/B)Σ|k̂ ⊙ "
                    + "v̂_i|²⟩/(⟨(1/B)Σ|v̂_i|²⟩⟨|k̂|²⟩), computed from rational autocorrelations, within the "
                    + "propagated FFT bound.",
                expected: .holds, cases: 200, gen: batchCase, render: { $0.json }, check: checkBatch)
        ]
    }

    // MARK: eq24 — the strided estimator vs its exact value (both readings of the activation average)

    struct StridedCase: Sendable, JSONRenderable {
        let m: Int, s: Int, h: Int, kernel: [Rational], maps: [[Rational]], averaging: Reference.FrequencyAveraging
        var json: JSONValue {
            .object([
                "m": .int(m), "s": .int(s), "h": .int(h), "kernel": .array(kernel.map { .string($0.description) }),
                "maps": .array(maps.map { .array($0.map { .string($0.description) }) }),
                "averaging": .string(averaging.rawValue),
            ])
        }
    }

    static var stridedCase: Gen<StridedCase> {
        Gen.zip(
            Gen.int(in: 1...4), Gen.int(in: 1...3), Gen.int(in: 1...3),
            Gen.element(of: Reference.FrequencyAveraging.allCases)
        )
        .flatMap { m, s, b, avg in
            Gen.int(in: 1...min(5, m * s)).flatMap { h in
                Gen.zip(signal(h * h), Gen.array(of: signal(m * m), count: b...b))
                    .map { StridedCase(m: m, s: s, h: h, kernel: $0.0, maps: $0.1, averaging: avg) }
            }
        }
    }

    /// Exact sums of eq. (24) over the maps i, on the n-grid unless said: J = Σ_i Σ_u |f̂(u)|²|x̂_i↑(u)|², F = Σ_u |f̂|²,
    /// U = Σ_i Σ_u |x̂_i↑(u)|² (up-sampled grid), V = Σ_i Σ_{u ∈ m-grid} |x̂_i(u)|² (native grid), each without its
    /// zero-frequency term under `.nonZero`; N′ and M′ count the averaged frequencies of the two grids.
    struct StridedSums {
        let joint: Rational, filter: Rational, upsampled: Rational, native: Rational
        let countN: Int, countM: Int, f: RationalImage

        /// Whether a Fast refusal is allowed: the filter's averaged power, or the maps' on `grid`, is below 10⁻¹⁰ of
        /// its total (Fast refuses only below its floors, which are smaller).
        func nearlyUndefined(maps: [[Rational]], m: Int, grid: ActivationGrid) throws -> Bool {
            let bigN = Double(f.count), bigM = Double(m * m)
            var tv = 0.0
            for x in maps {
                tv += bigN * (try RationalImage(rows: m, columns: m, values: x).autocorrelation[0].doubleValue)
            }
            let activation = grid == .upsampled ? upsampled.doubleValue : native.doubleValue * bigN / bigM
            return filter.doubleValue < 1e-10 * bigN * f.autocorrelation[0].doubleValue || activation < 1e-10 * tv
        }

        /// ρ = (J/(B·N′)) / ((F/N′)·A), A = U/(B·N′) or V/(B·M′); nil when a denominator is 0.
        func ratio(grid: ActivationGrid, maps: Int) throws -> (
            numerator: Rational, activation: Rational, ratio: Rational
        )? {
            guard countN > 0, grid == .upsampled || countM > 0, !filter.isZero,
                !(grid == .upsampled ? upsampled : native).isZero
            else {
                return nil
            }
            let b = Rational(maps)
            let activation =
                try (grid == .upsampled ? upsampled.divided(byNonZero: countN) : native.divided(byNonZero: countM)) / b
            let numerator = try joint.divided(byNonZero: countN) / b
            return (numerator, activation, try numerator / (filter.divided(byNonZero: countN) * activation))
        }
    }

    /// Exact eq. (24): f the kernel zero-padded to n = s·m, x_i↑s up-sampled (App. B.10: its DFT is x̂_i(u mod m)),
    /// from rational autocorrelations.
    static func stridedSums(_ c: StridedCase) throws -> StridedSums {
        let n = c.m * c.s, bigN = n * n, bigM = c.m * c.m
        var padded = [Rational](repeating: .zero, count: bigN)
        for i in 0..<c.h { for j in 0..<c.h { padded[i * n + j] = c.kernel[i * c.h + j] } }
        let f = try RationalImage(rows: n, columns: n, values: padded)
        let nonZero = c.averaging == .nonZero
        let sf = sum(c.kernel).squared
        var joint = Rational.zero, first = Rational.zero, up = Rational.zero, native = Rational.zero
        for x in c.maps {
            let image = try RationalImage(rows: c.m, columns: c.m, values: x)
            let (j, fp, sp) = exactSums(f, try Signals.upsampled(image, by: c.s))
            let sx = sum(x).squared
            joint += nonZero ? j - sf * sx : j
            first = nonZero ? fp - sf : fp
            up += nonZero ? sp - sx : sp
            let rx = Rational(bigM) * image.autocorrelation[0]
            native += nonZero ? rx - sx : rx
        }
        return StridedSums(
            joint: joint, filter: first, upsampled: up, native: native, countN: nonZero ? bigN - 1 : bigN,
            countM: nonZero ? bigM - 1 : bigM, f: f)
    }

    /// The Fast strided estimate against exact eq. (24); `grid` chooses the activation average on the n-grid
    /// (up-sampled) or the m-grid (as printed).
    static func checkStrided(_ c: StridedCase, grid: ActivationGrid) throws -> Bool {
        let n = c.m * c.s, bigN = n * n
        let sums = try stridedSums(c)
        guard let exact = try sums.ratio(grid: grid, maps: c.maps.count)?.ratio else {
            throw Discard("the exact estimate is 0/0")
        }
        let (joint, first, up, native, countN, countM) =
            (sums.joint, sums.filter, sums.upsampled, sums.native, sums.countN, sums.countM)
        let kd = c.kernel.map(\.doubleValue), xd = c.maps.flatMap { $0.map(\.doubleValue) },
            avg = fastAveraging(c.averaging)
        let shape = [c.maps.count, c.m, c.m], h = c.h, s = c.s
        guard
            let fast = try refusing({
                try SDREstimators.strided(
                    kernel: kd, kernelShape: [h, h], activations: xd, activationShape: shape, stride: s,
                    map: [n, n], averaging: avg, grid: grid
                ).ratio
            })
        else {
            return try sums.nearlyUndefined(maps: c.maps, m: c.m, grid: grid)
        }
        let nn = Double(bigN), b = Double(c.maps.count)
        let (ak, ek) = powerError(c.kernel, n, n)
        var av = 0.0, ev = 0.0
        for x in c.maps { let (a2, e2) = powerError(x, c.m, c.m); av = max(av, a2); ev = max(ev, e2) }
        let eJ = (ak * ev + av * ek + ek * ev + (nn + b + 3) * u * ak * av) * nn * b
        let eA = (ev + (nn + b + 2) * u * av) * nn * b
        let act = grid == .upsampled ? up.doubleValue : native.doubleValue * Double(countN) / Double(countM)
        return ratioWithinBounds(
            fast: fast, exact: exact, joint: joint.doubleValue, eJ: eJ,
            a: first.doubleValue, eA: (ek + (nn + 2) * u * ak) * nn,
            b: act / Double(countN), eB: eA / Double(countN) * (grid == .upsampled ? 1 : nn))
    }

    static var strided: [ClaimReading] {
        [
            .property(
                id: "eq24", reading: "upsampled-grid", kind: .float,
                statement:
                    "SDREstimators.strided (eq. 24, activation average on the up-sampled n×n grid, where x̂_i(su, sv) "
                    + "is x̂_i(u mod n/s, v mod n/s)) agrees with its exact value from rational autocorrelations "
                    + "of the padded kernel and the up-sampled maps, within the propagated FFT bound.",
                expected: .holds, cases: 200, gen: stridedCase, render: { $0.json },
                check: { try checkStrided($0, grid: .upsampled) }),
            .property(
                id: "eq24", reading: "printed", kind: .float,
                statement:
                    "SDREstimators.strided with the activation average ⟨(1/B)Σ|x̂_i(u,v)|²⟩ on the native n/s × n/s "
                    + "grid, as printed, agrees with its exact value within the propagated FFT bound.",
                expected: .holds, cases: 200, gen: stridedCase, render: { $0.json },
                check: { try checkStrided($0, grid: .native) }),
        ]
    }
}
