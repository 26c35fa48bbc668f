import ComplexModule
import RealModule

/// The drift experiments of Sec. 3.2 (Fig. 3a, App. B.8–B.9) and Sec. 3.3 (Fig. 3b).
extension Training {
    // MARK: Sec. 3.2 — (a, b) along S_{c₀}

    public struct DriftConfig: Sendable {
        /// c₀ = a*b* (Fig. 3a uses c = 1).
        public var c0 = 1.0
        /// The observation noise: C ~ N(c₀, σ²) (eq. 11).
        public var sigma = 1.0
        /// The learning rate λ of Algorithms 1–2.
        public var rate = 0.01
        public var steps = 5000
        public var seeds = 200
        public var seed: UInt64 = 0
        /// Seed i starts at starts[i mod count]; the defaults lie on S_{c₀} for c₀ = 1, on both sides of a = b.
        public var starts: [(a: Double, b: Double)] = [(3, 1.0 / 3), (1.0 / 3, 3)]
        /// Checkpoints recorded (evenly spaced, step 0 and the last step included).
        public var checkpoints = 100
        public init() {}
    }

    /// Per-seed (a, b) at the checkpoints of one algorithm.
    public struct DriftRun: Sendable {
        public var algorithm: Algorithm
        public var steps: [Int]
        /// a[seed][checkpoint], b[seed][checkpoint].
        public var a: [[Double]]
        public var b: [[Double]]
    }

    static func checkpointSteps(_ steps: Int, _ count: Int) -> [Int] {
        let n = max(1, min(count, steps))
        var out = (0...n).map { Int((Double($0) * Double(steps) / Double(n)).rounded(.down)) }
        out[out.count - 1] = steps
        var seen = Set<Int>()
        return out.filter { seen.insert($0).inserted }
    }

    /// Runs Algorithm 1 or 2 on eq. (11) for every seed; seed i uses stream `derive(seed, i)` (the same
    /// C-samples for both algorithms, so runs are paired).
    public static func drift(_ config: DriftConfig, algorithm: Algorithm) -> DriftRun {
        let marks = checkpointSteps(config.steps, config.checkpoints)
        var aa: [[Double]] = [], bb: [[Double]] = []
        for i in 0..<config.seeds {
            var rng = FastRandom(seed: FastRandom.derive(config.seed, UInt64(i)))
            var (a, b) = config.starts[i % config.starts.count]
            var ra = [a], rb = [b]
            var next = 1
            for n in 1...max(1, config.steps) where config.steps > 0 {
                let c = rng.normal(mean: config.c0, sd: config.sigma)
                (a, b) = step(algorithm, a: a, b: b, c: c, rate: config.rate)
                if next < marks.count && n == marks[next] { ra.append(a); rb.append(b); next += 1 }
            }
            aa.append(ra); bb.append(rb)
        }
        return DriftRun(algorithm: algorithm, steps: marks, a: aa, b: bb)
    }

    // MARK: Sec. 3.3 — Fourier coefficients of Model 1

    public struct FourierDriftConfig: Sendable {
        public var d = 5
        public var sigma = 1.0
        public var rate = 0.01
        public var steps = 5000
        public var seeds = 200
        public var seed: UInt64 = 0
        /// The initial point (s·k₁*, k₂*/s) on the solution set, off balance.
        public var imbalance = 3.0
        public var checkpoints = 100
        public init() {}
    }

    public struct FourierDriftRun: Sendable {
        public var steps: [Int]
        /// |k̂₁(u)|, |k̂₂(u)| per seed, checkpoint and frequency: modulus1[seed][checkpoint][u].
        public var modulus1: [[[Double]]]
        public var modulus2: [[[Double]]]
        /// |ĉ*(u)| = |k̂₁*(u) k̂₂*(u)| per seed (the hyperbolas |k̂₁||k̂₂| = |ĉ*| of the solution set).
        public var target: [[Double]]

        /// B = ⟨|log(|k̂₁|²/|k̂₂|²)|⟩ over all frequencies: 0 iff |k̂₁|² = |k̂₂|² everywhere.
        public func balance(seed: Int, checkpoint: Int) -> Double {
            let m1 = modulus1[seed][checkpoint], m2 = modulus2[seed][checkpoint]
            var s = 0.0
            for u in 0..<m1.count {
                s += abs(DeterministicMath.log((m1[u] * m1[u]) / (m2[u] * m2[u])))
            }
            return s / Double(m1.count)
        }
    }

    /// SGD on the real and imaginary parts of k̂₁, k̂₂ (Sec. 3.3), Z a Dirac at the origin (Ẑ ≡ 1), data
    /// x = k₂* ⊛ k₁* + N(0, σ²I) per step; truth k₁*, k₂* random unit-energy kernels per seed.
    public static func fourierDrift(_ config: FourierDriftConfig) -> FourierDriftRun {
        let marks = checkpointSteps(config.steps, config.checkpoints)
        var out = FourierDriftRun(steps: marks, modulus1: [], modulus2: [], target: [])
        for i in 0..<config.seeds {
            var rng = FastRandom(seed: FastRandom.derive(config.seed ^ 0x3B3, UInt64(i)))
            let t1 = naiveDFT(randomUnitKernel(config.d, rng: &rng)),
                t2 = naiveDFT(randomUnitKernel(config.d, rng: &rng))
            let clean = model1Output(k1: t1, k2: t2)
            var k1 = t1.map { scaled($0, config.imbalance) }, k2 = t2.map { scaled($0, 1 / config.imbalance) }
            var m1 = [k1.map(Training.modulus)], m2 = [k2.map(Training.modulus)]
            var next = 1
            for n in 1...max(1, config.steps) where config.steps > 0 {
                let target = noisyTarget(clean, sigma: config.sigma, rng: &rng)
                fourierSGDStep(k1: &k1, k2: &k2, target: target, rate: config.rate)
                if next < marks.count && n == marks[next] {
                    m1.append(k1.map(Training.modulus)); m2.append(k2.map(Training.modulus)); next += 1
                }
            }
            out.modulus1.append(m1); out.modulus2.append(m2); out.target.append(clean.map(Training.modulus))
        }
        return out
    }
}
