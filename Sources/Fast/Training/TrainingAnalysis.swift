/// Decisions on the simulated experiments, for the stat claims (one-sided tests across seeds).
extension Training {
    /// A simulated verdict with the account of how it was reached.
    public struct Decision: Sendable, Hashable {
        public enum Verdict: String, Sendable { case holds, refuted, inconclusive }
        public var verdict: Verdict
        /// Independent replicates (seeds) the decision rests on.
        public var seeds: Int
        /// The test, the statistic, the numbers and the confidence, in one line.
        public var note: String

        /// Several statements at once: refuted when any is, holds when all do, inconclusive otherwise.
        public static func conjunction(_ parts: [Decision]) -> Decision {
            let verdict: Verdict =
                parts.contains { $0.verdict == .refuted }
                ? .refuted
                : parts.allSatisfy { $0.verdict == .holds } ? .holds : .inconclusive
            return Decision(
                verdict: verdict, seeds: parts.map(\.seeds).min() ?? 0, note: parts.map(\.note).joined(separator: "; "))
        }
    }

    /// The one-sided level of every test: 99.9 % confidence.
    public static let alpha = 0.001

    static func verdict(_ d: TrainingStatistics.Direction) -> Decision.Verdict {
        switch d {
        case .towards: return .holds
        case .away: return .refuted
        case .undecided: return .inconclusive
        }
    }

    static func fmt(_ x: Double, _ digits: Int = 4) -> String {
        guard x.isFinite else { return "\(x)" }
        if x != 0 && (abs(x) < 1e-3 || abs(x) >= 1e5) {
            // Scientific, basic formatting without Foundation.
            var e = 0, m = abs(x)
            while m >= 10 { m /= 10; e += 1 }
            while m < 1 { m *= 10; e -= 1 }
            return (x < 0 ? "-" : "") + fmt(m, 3) + "e" + String(e)
        }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (x * scale).rounded() / scale
        var s = String(r)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    static func pString(_ p: Double) -> String { p < 1e-300 ? "<1e-300" : fmt(p, 4) }

    static func signNote(
        _ t: (direction: TrainingStatistics.Direction, positive: Int, negative: Int, pTowards: Double, pAway: Double)
    ) -> String {
        "sign test: \(t.positive) towards / \(t.negative) away, p = \(pString(t.pTowards)) (towards), "
            + "\(pString(t.pAway)) (away)"
    }

    // MARK: Sec. 3.2

    /// `sgd.drift`: Algorithm 1 from points of S_{c₀} on both sides of a = b; statistic Dₙ = |log(aₙ/bₙ)|;
    /// one-sided sign test across seeds that D_N < D₀ (towards (√c₀, √c₀)) at level α.
    public static func decideSGDDrift(_ config: DriftConfig) -> Decision {
        let run = drift(config, algorithm: .sgd)
        let last = run.steps.count - 1
        var diff: [Double] = [], d0: [Double] = [], dN: [Double] = [], miss: [Double] = []
        for i in 0..<config.seeds {
            let x0 = abs(DeterministicMath.log(run.a[i][0] / run.b[i][0]))
            let (a, b) = (run.a[i][last], run.b[i][last])
            guard a > 0, b > 0, a.isFinite, b.isFinite else { continue }
            let xN = abs(DeterministicMath.log(a / b))
            diff.append(x0 - xN); d0.append(x0); dN.append(xN); miss.append(abs(a * b - config.c0))
        }
        let t = TrainingStatistics.signTest(diff, alpha: alpha)
        let s0 = TrainingStatistics.summary(d0), sN = TrainingStatistics.summary(dN),
            sm = TrainingStatistics.summary(miss)
        return Decision(
            verdict: verdict(t.direction), seeds: diff.count,
            note:
                "SGD (Algorithm 1), c₀ = \(fmt(config.c0)), σ = \(fmt(config.sigma)), λ = \(fmt(config.rate)), "
                + "\(config.steps) steps, \(diff.count) seeds starting at (3, 1/3) or (1/3, 3); statistic "
                + "|log(a/b)|: \(fmt(s0.mean)) → \(fmt(sN.mean)) ± \(fmt(sN.standardError)) (mean ± s.e.); |ab "
                + "− c₀| at the end \(fmt(sm.mean)) ± \(fmt(sm.standardError)); \(signNote(t)); one-sided, "
                + "99.9 % confidence"
        )
    }

    /// Which axis ASGD is claimed to reach.
    public enum Axis: String, Sendable { case a, b }

    /// `asgd.drift`: Algorithm 2 from (√c₀, √c₀); statistic Δ = log(a_N/b_N) − log(a₀/b₀); towards the a axis
    /// (b → 0) means Δ > 0, the b axis Δ < 0; one-sided sign test at level α. Diverged seeds are dropped and counted.
    public static func decideASGDDrift(_ config: DriftConfig, towards axis: Axis) -> Decision {
        let run = drift(config, algorithm: .asgd)
        let last = run.steps.count - 1
        var diff: [Double] = [], ratio: [Double] = [], miss: [Double] = []
        var diverged = 0
        for i in 0..<config.seeds {
            let (a, b) = (run.a[i][last], run.b[i][last])
            guard a > 0, b > 0, a.isFinite, b.isFinite else { diverged += 1; continue }
            let delta = DeterministicMath.log(a / b) - DeterministicMath.log(run.a[i][0] / run.b[i][0])
            diff.append(axis == .a ? delta : -delta); ratio.append(delta); miss.append(abs(a * b - config.c0))
        }
        let t = TrainingStatistics.signTest(diff, alpha: alpha)
        let s = TrainingStatistics.summary(ratio), sm = TrainingStatistics.summary(miss)
        return Decision(
            verdict: verdict(t.direction), seeds: diff.count,
            note:
                "ASGD (Algorithm 2, a updated first), c₀ = \(fmt(config.c0)), σ = \(fmt(config.sigma)), λ = "
                + "\(fmt(config.rate)), \(config.steps) steps from "
                + "\(config.starts.map { "(\(fmt($0.a)), \(fmt($0.b)))" }.joined(separator: ", ")), "
                + "\(diff.count) seeds (\(diverged) diverged, dropped); statistic Δ log(a/b) = "
                + "\(fmt(s.mean)) ± \(fmt(s.standardError)) (towards the \(axis.rawValue) axis means "
                + "\(axis == .a ? "> 0" : "< 0")); |ab − c₀| at the end \(fmt(sm.mean)); "
                + "\(signNote(t)); one-sided, 99.9 % confidence"
        )
    }

    // MARK: Sec. 3.3

    /// `sec3.3.drift`: SGD on Re/Im of k̂₁, k̂₂ from (3k₁*, k₂*/3); statistic B = ⟨|log(|k̂₁|²/|k̂₂|²)|⟩;
    /// one-sided sign test that B_N < B₀ at level α.
    public static func decideFourierDrift(_ config: FourierDriftConfig) -> Decision {
        let run = fourierDrift(config)
        let last = run.steps.count - 1
        var diff: [Double] = [], b0: [Double] = [], bN: [Double] = []
        for i in 0..<config.seeds {
            let x0 = run.balance(seed: i, checkpoint: 0), xN = run.balance(seed: i, checkpoint: last)
            guard xN.isFinite else { continue }
            diff.append(x0 - xN); b0.append(x0); bN.append(xN)
        }
        let t = TrainingStatistics.signTest(diff, alpha: alpha)
        let s0 = TrainingStatistics.summary(b0), sN = TrainingStatistics.summary(bN)
        return Decision(
            verdict: verdict(t.direction), seeds: diff.count,
            note:
                "SGD on Re/Im of k̂₁, k̂₂ (Model 1, d = \(config.d), Z a Dirac, σ = \(fmt(config.sigma)), λ = "
                + "\(fmt(config.rate)), \(config.steps) steps) from (\(fmt(config.imbalance))k₁*, "
                + "k₂*/\(fmt(config.imbalance))), random unit-energy truths, \(diff.count) seeds; statistic "
                + "⟨|log(|k̂₁|²/|k̂₂|²)|⟩ over frequencies: \(fmt(s0.mean)) → \(fmt(sN.mean)) ± "
                + "\(fmt(sN.standardError)); \(signNote(t)); one-sided, 99.9 % confidence"
        )
    }

    // MARK: Prop. 6

    /// `prop6` limit: ρ′ of A = B = √(A*B*) for d − 1 coordinates, d ∈ `dimensions`, `replicates` draws each,
    /// a*, b* ~ U[1, 2] i.i.d. Holds when the exact limit E[c²]/E[c]² exceeds 1, the r.m.s. error to it
    /// shrinks from the smallest to the largest d, and at the largest d the 99.9 % confidence interval of
    /// the mean ρ′ lies within ±(limit − 1)/10 of the limit (hence above 1); refuted when that interval
    /// excludes the limit band; inconclusive otherwise.
    public static func decideProp6Limit(
        dimensions: [Int], replicates: Int, seed: UInt64,
        a: ClosedRange<Double> = 1...2, b: ClosedRange<Double> = 1...2
    ) -> Decision {
        let limit = squareRootSolutionLimit(a: a, b: b)
        var rmse: [Double] = [], means: [TrainingStatistics.Summary] = []
        for (j, d) in dimensions.enumerated() {
            var rng = FastRandom(seed: FastRandom.derive(seed ^ 0x6, UInt64(j)))
            let values = (0..<replicates).map { _ in squareRootSolutionRatio(coordinates: d - 1, a: a, b: b, rng: &rng)
            }
            rmse.append((values.reduce(0) { $0 + ($1 - limit) * ($1 - limit) } / Double(values.count)).squareRoot())
            means.append(TrainingStatistics.summary(values))
        }
        let z = 3.090232306167813  // one-sided 99.9 % normal quantile
        let top = means.last!
        let low = top.mean - z * top.standardError, high = top.mean + z * top.standardError
        let band = (limit - 1) / 10
        let shrinks = rmse.last! < rmse.first!
        let verdict: Decision.Verdict
        if limit > 1 && shrinks && low >= limit - band && high <= limit + band && low > 1 {
            verdict = .holds
        } else if high < limit - band || low > limit + band || !(limit > 1) {
            verdict = .refuted
        } else {
            verdict = .inconclusive
        }
        let table = zip(dimensions, zip(means, rmse)).map {
            "d=\($0.0): \(fmt($0.1.0.mean, 5)) (rmse \(fmt($0.1.1, 5)))"
        }.joined(separator: "; ")
        return Decision(
            verdict: verdict, seeds: replicates,
            note:
                "A = B = √(A*B*), a*, b* ~ U[\(fmt(a.lowerBound)), \(fmt(a.upperBound))] × U[\(fmt(b.lowerBound)), "
                + "\(fmt(b.upperBound))] i.i.d., \(replicates) draws per d; limit E[c²]/E[c]² = \(fmt(limit, 6)); "
                + "mean ρ′ \(table); at the largest d the 99.9 % interval is [\(fmt(low, 5)), \(fmt(high, 5))] "
                + "vs the band limit ± \(fmt(band, 5))"
        )
    }

    // MARK: Prop. 8 (float)

    /// CTGD from (a₀, b₀) to time T against the closed-form limit of Prop. 8, with the bound
    /// |Δa| ≤ δL/(2a*) + |c − a_T b_T|/√(a_T² + b_T²) + 4u·a* (δL the invariant's error bound along the run,
    /// the second term the remaining distance to S_c along the level curve of L), and the same for b.
    public static func ctgdLimitCheck(
        a0: Double, b0: Double, c: Double, until T: Double,
        integrator: DormandPrince = DormandPrince()
    )
        -> (a: Double, b: Double, limitA: Double, limitB: Double, boundA: Double, boundB: Double, within: Bool)
    {
        let run = ctgd(a0: a0, b0: b0, c: c, until: T, integrator: integrator)
        let y = run.y
        let (la, lb) = ctgdLimit(a0: a0, b0: b0, c: c)
        let dL = invariantErrorBounds(run).last!
        let u = 0x1p-53
        let transverse = abs(c - y[0] * y[1]) / (y[0] * y[0] + y[1] * y[1]).squareRoot()
        let boundA = dL / (2 * la) + transverse + 4 * u * la
        let boundB = dL / (2 * lb) + transverse + 4 * u * lb
        return (y[0], y[1], la, lb, boundA, boundB, abs(y[0] - la) <= boundA && abs(y[1] - lb) <= boundB)
    }
}
