import ComplexModule
import Dispatch
import RealModule

/// App. B.12: SGD on Model 1's Fourier coefficients (d = 5) with and without SDR regularisation (Sec. 3.4).
extension Training {
    public struct B12Config: Sendable {
        public var d = 5
        public var seeds = 200
        public var steps = 30000
        /// The SGD learning rate λ = 0.01 (App. B.12).
        public var rate = 0.01
        /// The SDR rates γ; γ = 0 is plain SGD. Each run alternates one SGD step with one gradient step of eq. (13).
        public var gammas: [Double] = [0, 0.03, 0.1]
        /// The observation noise σ of x = k₂* ⊛ k₁* + N(0, σ²I) (not printed in the paper; our choice).
        public var sigma = 1.0
        public var checkpoints = 200
        public var seed: UInt64 = 0
        /// Whether the true pair is S-generic (ρ(k₁*, k₂*) = 1: k̂₂* flat over the non-zero frequencies) or
        /// two random unit-energy kernels. The paper does not say; generic is the premise of Sec. 2.
        public var genericTruth = true
        public init() {}
    }

    /// One γ's curves: per checkpoint, per seed.
    public struct B12Curves: Sendable {
        public var gamma: Double
        public var steps: [Int]
        /// ρ(k₁, k₂) (eq. 8): sdr[checkpoint][seed].
        public var sdr: [[Double]]
        /// The absolute cosine distance of k̂₁ (resp. k̂₂) to k̂₁* (resp. k̂₂*), all frequencies.
        public var cosine1: [[Double]]
        public var cosine2: [[Double]]

        /// (k̂₁ distance + k̂₂ distance)/2.
        public var cosine: [[Double]] { zip(cosine1, cosine2).map { zip($0, $1).map { ($0 + $1) / 2 } } }
    }

    /// The initial state of one seed: truth, initial spectra, and the seed's SGD stream.
    struct B12Seed {
        var truth1: Spectrum, truth2: Spectrum, init1: Spectrum, init2: Spectrum
        var rng: FastRandom
    }

    static func b12Seed(_ config: B12Config, _ i: Int) -> B12Seed {
        var rng = FastRandom(seed: FastRandom.derive(config.seed ^ 0xB12, UInt64(i)))
        let truth1 = naiveDFT(randomUnitKernel(config.d, rng: &rng))
        let truth2 =
            config.genericTruth
            ? randomFlatSpectrum(config.d, rng: &rng) : naiveDFT(randomUnitKernel(config.d, rng: &rng))
        // Spatial truth + U[0, 1] noise per entry (App. B.12), then to the Fourier domain.
        let s1 = naiveInverseDFT(truth1), s2 = naiveInverseDFT(truth2)
        let init1 = naiveDFT(s1.map { $0 + rng.uniform() }), init2 = naiveDFT(s2.map { $0 + rng.uniform() })
        return B12Seed(
            truth1: truth1, truth2: truth2, init1: init1, init2: init2,
            rng: FastRandom(seed: FastRandom.derive(rng.next(), 1)))
    }

    /// Runs every γ on every seed; seed i has the same truth, initial kernels and data stream for every γ
    /// (paired comparisons across γ). The (γ, seed) runs share nothing: with `workers` above 1 they run on that
    /// many threads and are gathered in order, so the curves are the same bit for bit. `progress(done, total)` is
    /// called after each run (with one worker; with several, once at the end).
    public static func b12(
        _ config: B12Config, workers: Int = 1, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) -> [B12Curves] {
        let marks = checkpointSteps(config.steps, config.checkpoints)
        let seeds = (0..<config.seeds).map { b12Seed(config, $0) }
        let total = config.gammas.count * seeds.count
        // Run r is γ r / seeds, seed r mod seeds: its (SDR, cos k̂₁, cos k̂₂) at each checkpoint.
        let run: @Sendable (Int) -> [SIMD4<Double>] = { r in
            b12Run(config, gamma: config.gammas[r / seeds.count], seed: seeds[r % seeds.count], marks: marks)
        }
        var runs = [[SIMD4<Double>]](repeating: [], count: total)
        if workers <= 1 {
            for r in 0..<total {
                runs[r] = run(r)
                progress?(r + 1, total)
            }
        } else {
            let width = min(workers, total)
            runs.withUnsafeMutableBufferPointer { out in
                let slots = UncheckedSlots(out)
                DispatchQueue.concurrentPerform(iterations: width) { w in
                    for r in stride(from: w, to: total, by: width) { slots.buffer[r] = run(r) }
                }
            }
            progress?(total, total)
        }
        return config.gammas.indices.map { g in
            var curves = B12Curves(
                gamma: config.gammas[g], steps: marks,
                sdr: [[Double]](repeating: [], count: marks.count),
                cosine1: [[Double]](repeating: [], count: marks.count),
                cosine2: [[Double]](repeating: [], count: marks.count))
            for i in seeds.indices {
                for (j, v) in runs[g * seeds.count + i].enumerated() {
                    curves.sdr[j].append(v[0])
                    curves.cosine1[j].append(v[1])
                    curves.cosine2[j].append(v[2])
                }
            }
            return curves
        }
    }

    /// One (γ, seed) run: (SDR, cos k̂₁, cos k̂₂) at each checkpoint reached.
    static func b12Run(_ config: B12Config, gamma: Double, seed s: B12Seed, marks: [Int]) -> [SIMD4<Double>] {
        var rng = s.rng
        var k1 = s.init1, k2 = s.init2
        let clean = model1Output(k1: s.truth1, k2: s.truth2)
        var records: [SIMD4<Double>] = []
        func record() {
            records.append(
                SIMD4(sdr(k1, k2), absoluteCosineDistance(k1, s.truth1), absoluteCosineDistance(k2, s.truth2), 0))
        }
        record()
        var next = 1
        var target = clean
        for n in 1...max(1, config.steps) where config.steps > 0 {
            noisyTarget(clean, sigma: config.sigma, rng: &rng, into: &target)
            fourierSGDStep(k1: &k1, k2: &k2, target: target, rate: config.rate)
            if gamma != 0 { sdrStep(k1: k1, k2: &k2, gamma: gamma) }
            if next < marks.count && n == marks[next] { record(); next += 1 }
        }
        return records
    }

    /// Disjoint slots of one buffer written by concurrent iterations (each index by one iteration only).
    struct UncheckedSlots<Element>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Element>
        init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
    }

    /// Mean ± standard error across seeds of a [checkpoint][seed] table.
    public static func meanCurve(_ table: [[Double]]) -> [TrainingStatistics.Summary] {
        table.map { TrainingStatistics.summary($0) }
    }
}
