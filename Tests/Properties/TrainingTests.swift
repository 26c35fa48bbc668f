import Foundation
import Testing
@testable import Fast
@testable import Oracle
import Reference

/// The training simulations of Sec. 3 / App. B.7–B.12 (Sources/Fast/Training).
@Suite struct TrainingTests {
    static let u = 0x1p-53

    /// γ_k = k u / (1 − k u) (Higham §3.1).
    static func gamma(_ k: Int) -> Double { Double(k) * u / (1 - Double(k) * u) }

    /// Prop. 8: L = a² − b² is conserved by CTGD up to the accumulated local-error bound of the integrator,
    /// and the run ends at the closed-form point of S_c.
    @Test func trainingCTGDConservesL() {
        var rng = FastRandom(seed: 8)
        for _ in 0..<12 {
            let a0 = rng.uniform(0.05, 4), b0 = rng.uniform(0.05, 4), c = rng.uniform(0.25, 4)
            let run = Training.ctgd(a0: a0, b0: b0, c: c, until: 40 / c)
            let bounds = Training.invariantErrorBounds(run)
            let l0 = Training.imbalance(a: a0, b: b0)
            var worst = 0.0
            for (s, bound) in zip(run.samples, bounds) {
                let drift = abs(Training.imbalance(a: s.y[0], b: s.y[1]) - l0)
                worst = max(worst, drift / bound)
                #expect(drift <= bound, "a0=\(a0) b0=\(b0) c=\(c) t=\(s.t): |ΔL| = \(drift) > \(bound)")
            }
            let check = Training.ctgdLimitCheck(a0: a0, b0: b0, c: c, until: 40 / c)
            #expect(check.within, "limit: \(check)")
            #expect(run.accepted > 0 && worst <= 1)
        }
    }

    /// App. B.8: one step of Algorithm 1 in Double against the exact recursion
    /// L(aₙ₊₁, bₙ₊₁) = (aₙ² − bₙ²)(1 − 4λ²(cₙ − aₙbₙ)²), evaluated in Q on the Double inputs. Bound:
    /// ã = fl(a + (2λb)(c − ab)) has |ã − a′| ≤ γ₄(|a| + 2λ|b|(|c| + |a||b|)) (≤ 4 roundings on each path;
    /// 2λ is exact), the same for b̃, and |L(ã, b̃) − L(a′, b′)| ≤ δa(2|ã| + δa) + δb(2|b̃| + δb).
    @Test func trainingSGDStepMatchesProp9Recursion() throws {
        var rng = FastRandom(seed: 9)
        for _ in 0..<200 {
            let a = rng.uniform(-3, 3), b = rng.uniform(-3, 3), c = rng.uniform(-4, 4), lambda = rng.uniform(0, 0.2)
            let (a1, b1) = Training.sgdStep(a: a, b: b, c: c, rate: lambda)
            let (qa, qb, qc, ql) = (
                try Rational(exactly: a), try Rational(exactly: b), try Rational(exactly: c),
                try Rational(exactly: lambda)
            )
            let r = qc - qa * qb
            let exact = (qa * qa - qb * qb) * (Rational.one - Rational(4) * ql * ql * r * r)
            let qa1 = try Rational(exactly: a1), qb1 = try Rational(exactly: b1)
            let computed = qa1 * qa1 - qb1 * qb1
            let da = Self.gamma(4) * (abs(a) + 2 * lambda * abs(b) * (abs(c) + abs(a) * abs(b)))
            let db = Self.gamma(4) * (abs(b) + 2 * lambda * abs(a) * (abs(c) + abs(a) * abs(b)))
            let bound = (da * (2 * abs(a1) + da) + db * (2 * abs(b1) + db)) * (1 + 1e-9)
            let error = (computed - exact).magnitude
            #expect(
                error <= (try Rational(exactly: bound)),
                "a=\(a) b=\(b) c=\(c) λ=\(lambda): error \(error.doubleValue) > \(bound)")
            // The step itself against exact arithmetic.
            let exactA = qa + Rational(2) * ql * qb * r
            #expect((qa1 - exactA).magnitude <= (try Rational(exactly: da * (1 + 1e-9))))
        }
    }

    /// Eq. (13): the analytic gradient (Fourier complex form mapped to the spatial k₂) against the exact
    /// dual-number gradient `ExactGradients.sdrLoss` on dyadic inputs (exact in Double), within the bound of the
    /// `fast.training/sdr-gradient` reading (derived beside `TrainingCrossChecks.sdrGradientExcess`), on this
    /// test's own stream of kernels.
    @Test func trainingSDRGradientMatchesExactDual() throws {
        var rng = FastRandom(seed: 13)
        for n in [3, 5, 7] {
            for _ in 0..<12 {
                func kernel() -> [Rational] {
                    while true {
                        let k = (0..<n).map { _ in Int(rng.next() % 17) - 8 }
                        // k₁ needs power at the non-zero frequencies (not constant).
                        if Set(k).count > 1 { return k.map { try! Rational($0, 4) } }
                    }
                }
                let c = TrainingCrossChecks.KernelPairCase(k1: kernel(), k2: kernel())
                let excess = try TrainingCrossChecks.sdrGradientExcess(c)
                #expect(excess <= 0, "n=\(n) \(c.json.serialized()): \(excess) beyond the bound")
            }
        }
    }

    /// The Fourier-domain gradient is the gradient over (Re k̂₂, Im k̂₂): a central difference agrees.
    @Test func trainingSDRGradientFourierFiniteDifference() {
        var rng = FastRandom(seed: 21)
        let k1 = Training.naiveDFT((0..<5).map { _ in rng.normal() }),
            k2 = Training.naiveDFT((0..<5).map { _ in rng.normal() })
        let g = Training.sdrPenaltyGradient(k1, k2)
        let h = 1e-6
        for u in 1..<5 {
            var plus = k2, minus = k2
            plus[u] = plus[u] + .init(h, 0); minus[u] = minus[u] - .init(h, 0)
            let dRe = (Training.sdrPenalty(k1, plus) - Training.sdrPenalty(k1, minus)) / (2 * h)
            plus = k2; minus = k2
            plus[u] = plus[u] + .init(0, h); minus[u] = minus[u] - .init(0, h)
            let dIm = (Training.sdrPenalty(k1, plus) - Training.sdrPenalty(k1, minus)) / (2 * h)
            #expect(abs(dRe - g[u].real) <= 1e-6 * (1 + abs(dRe)) && abs(dIm - g[u].imaginary) <= 1e-6 * (1 + abs(dIm)))
        }
    }

    /// Same seed, bit-identical trajectories; another seed, different ones.
    @Test func trainingDeterminism() {
        var config = Training.DriftConfig()
        config.seeds = 4; config.steps = 300; config.seed = 77
        for algorithm in Training.Algorithm.allCases {
            let x = Training.drift(config, algorithm: algorithm), y = Training.drift(config, algorithm: algorithm)
            #expect(x.a.flatMap { $0 }.map(\.bitPattern) == y.a.flatMap { $0 }.map(\.bitPattern))
            #expect(x.b.flatMap { $0 }.map(\.bitPattern) == y.b.flatMap { $0 }.map(\.bitPattern))
            var other = config; other.seed = 78
            #expect(Training.drift(other, algorithm: algorithm).a.last! != x.a.last!)
        }
        var b12 = Training.B12Config()
        b12.seeds = 3; b12.steps = 200; b12.checkpoints = 10
        let p = Training.b12(b12)
        // On several threads (`oracle check --jobs`), the same curves.
        for q in [Training.b12(b12), Training.b12(b12, workers: 2), Training.b12(b12, workers: 4)] {
            #expect(p.count == q.count)
            for (x, y) in zip(p, q) {
                #expect(x.sdr.flatMap { $0 }.map(\.bitPattern) == y.sdr.flatMap { $0 }.map(\.bitPattern))
                #expect(x.cosine1.flatMap { $0 }.map(\.bitPattern) == y.cosine1.flatMap { $0 }.map(\.bitPattern))
                #expect(x.cosine2.flatMap { $0 }.map(\.bitPattern) == y.cosine2.flatMap { $0 }.map(\.bitPattern))
            }
        }
        var f = Training.FourierDriftConfig()
        f.seeds = 3; f.steps = 200
        #expect(
            Training.fourierDrift(f).modulus1.flatMap { $0.flatMap { $0 } }.map(\.bitPattern)
                == Training.fourierDrift(f).modulus1.flatMap { $0.flatMap { $0 } }.map(\.bitPattern))
        var model = Training.Model2Trainer(
            a: [1, 2, 3, 4], b: [4, 3, 2, 1], c0: [4, 6, 6, 4], sigma: 1, rate: 0.01, seed: 5)
        var twin = model
        model.run(steps: 100); twin.run(steps: 100)
        #expect(
            model.a.map(\.bitPattern) == twin.a.map(\.bitPattern)
                && model.b.map(\.bitPattern) == twin.b.map(\.bitPattern))
    }

    /// The libm-free elementary functions are accurate to a few ulp.
    @Test func trainingDeterministicMath() {
        var rng = FastRandom(seed: 3)
        for _ in 0..<2000 {
            let x = rng.uniform() + 0x1p-40
            #expect(abs(DeterministicMath.log(x) - Foundation.log(x)) <= 4 * Self.u * max(1, abs(Foundation.log(x))))
        }
        for n in [1, 2, 3, 4, 5, 7, 8, 12, 1 << 20] {
            for k in [0, 1, 2, 3, n / 3, n / 2, n - 1, 12345 % n] {
                let (c, s) = DeterministicMath.unitRoot(k, n)
                // The reference angle itself carries ≈ 2π·u of rounding, hence the 1e-15 tolerance.
                let theta = 2 * Double.pi * Double(k % n) / Double(n)
                #expect(
                    abs(c - Foundation.cos(theta)) <= 1e-15 && abs(s - Foundation.sin(theta)) <= 1e-15, "k=\(k) n=\(n)")
                #expect(abs(c * c + s * s - 1) <= 4 * Self.u)
            }
        }
        // Normals: moments of 20000 draws.
        var g = FastRandom(seed: 4)
        let xs = (0..<20000).map { _ in g.normal() }
        let s = TrainingStatistics.summary(xs)
        #expect(abs(s.mean) < 0.03 && abs(s.sd - 1) < 0.03)
    }

    /// Naive DFT round trip and Parseval, the per-frequency contraction of L under Fourier SGD (the
    /// complex form of Prop. 9's recursion), and Hermitian symmetry kept exactly.
    @Test func trainingFourierSGDStep() {
        var rng = FastRandom(seed: 31)
        let k = (0..<5).map { _ in rng.normal() }
        let back = Training.naiveInverseDFT(Training.naiveDFT(k))
        #expect(zip(k, back).allSatisfy { abs($0 - $1) < 1e-14 })
        var k1 = Training.naiveDFT((0..<5).map { _ in rng.normal() }),
            k2 = Training.naiveDFT((0..<5).map { _ in rng.normal() })
        let target = Training.noisyTarget(Training.model1Output(k1: k1, k2: k2), sigma: 1, rng: &rng)
        let before = (0..<5).map { k1[$0].lengthSquared - k2[$0].lengthSquared }
        let residual = (0..<5).map { (target[$0] - k1[$0] * k2[$0]).lengthSquared }
        Training.fourierSGDStep(k1: &k1, k2: &k2, target: target, rate: 0.05)
        for u in 0..<5 {
            let after = k1[u].lengthSquared - k2[u].lengthSquared
            #expect(abs(after - before[u] * (1 - 4 * 0.0025 * residual[u])) <= 1e-12 * (1 + abs(before[u])))
        }
        #expect(k1[1] == k1[4].conjugate && k2[2] == k2[3].conjugate && k1[0].imaginary == 0)
    }

    /// The stat decisions on a small run (the full runs are `oracle check` readings).
    @Test func trainingDecisionsSmall() {
        var config = Training.DriftConfig()
        config.seeds = 30
        #expect(Training.decideSGDDrift(config).verdict == .holds)
        config.starts = [(1, 1)]; config.steps = 3000
        #expect(Training.decideASGDDrift(config, towards: .b).verdict == .holds)
        #expect(Training.decideASGDDrift(config, towards: .a).verdict == .refuted)
        #expect(Training.decideProp6Limit(dimensions: [11, 101, 1009], replicates: 30, seed: 1).verdict != .refuted)
        #expect(TrainingStatistics.signTestUpperTail(successes: 10, of: 10) == 0x1p-10)
    }

    /// The registered stat readings run, scaled down; the robust ones reach their documented verdicts.
    @Test func trainingStatClaimsScaled() {
        let options = CheckOptions(seed: 0, caseScale: 0.05)
        let robust: Set<String> = [
            "sgd.drift/printed", "asgd.drift/printed", "asgd.drift/b-axis", "sec3.3.drift/printed",
            "b12/printed-sdr-drift", "b12/printed-sdr-to-one", "b12/printed-sdr-faster",
            "prop6/limit", "prop8/limit",
        ]
        for reading in StatClaims.readings {
            let outcome = reading.decide(options)
            print(
                "\(reading.label): \(outcome.verdict.rawValue) (expected \(outcome.expected.rawValue)) — "
                    + "\(outcome.note)"
            )
            #expect(!outcome.note.isEmpty && outcome.cases > 0)
            if robust.contains(reading.label) {
                #expect(outcome.matchesExpectation, "\(reading.label): \(outcome.note)")
            }
        }
    }
}
