/// Decisions on the App. B.12 curves, one per printed sub-statement (tests paired by seed).
extension Training {
    static func curve(_ curves: [B12Curves], gamma: Double) -> B12Curves? { curves.first { $0.gamma == gamma } }

    /// "Without SDR regularisation the SDR drifts well above 1": γ = 0; holds when both the final SDR
    /// exceeds 1 (one-sided z-test on the mean) and it increased from the start (sign test on SDR_N − SDR₀),
    /// each at level α; refuted when either is significant the other way.
    public static func decideB12Drift(_ curves: [B12Curves]) -> Decision {
        guard let c = curve(curves, gamma: 0) else {
            return Decision(verdict: .inconclusive, seeds: 0, note: "no γ = 0 run")
        }
        let last = c.steps.count - 1
        let final = endWindow(c.sdr).filter(\.isFinite)
        let rise = zip(endWindow(c.sdr), c.sdr[0]).map { $0 - $1 }.filter(\.isFinite)
        let z = TrainingStatistics.meanTest(final, threshold: 1, alpha: alpha)
        let t = TrainingStatistics.signTest(rise, alpha: alpha)
        let s0 = TrainingStatistics.summary(c.sdr[0])
        return Decision(
            verdict: verdict(z.direction), seeds: final.count,
            note:
                "γ = 0, \(c.steps[last]) SGD steps, \(final.count) seeds: SDR \(fmt(s0.mean)) ± "
                + "\(fmt(s0.standardError)) at the start → \(fmt(z.summary.mean)) ± "
                + "\(fmt(z.summary.standardError)) over the last 10 % of the run (mean ± s.e.); decided by a "
                + "one-sided z-test that the mean exceeds 1: z = \(fmt(z.z, 2)), p = "
                + "\(pString(z.pTowards)), 99.9 % confidence; (not decisive: increase from the start, "
                + "\(signNote(t)))"
        )
    }

    /// "With γ > 0 the SDR goes to 1": for every γ > 0 the 99.9 % confidence interval (two one-sided
    /// tests) of the final mean SDR lies within 1 ± δ, δ = 0.1; refuted when some γ's interval lies
    /// entirely outside; inconclusive otherwise.
    public static func decideB12ToOne(_ curves: [B12Curves], margin: Double = 0.1) -> Decision {
        let z = 3.090232306167813
        var inside = true, outside = false
        var parts: [String] = []
        var seeds = 0
        for c in curves where c.gamma > 0 {
            let last = c.steps.count - 1
            let s = TrainingStatistics.summary(endWindow(c.sdr).filter(\.isFinite))
            seeds = s.count
            let low = s.mean - z * s.standardError, high = s.mean + z * s.standardError
            if !(low >= 1 - margin && high <= 1 + margin) { inside = false }
            if high < 1 - margin || low > 1 + margin { outside = true }
            parts.append("γ = \(fmt(c.gamma)): \(fmt(s.mean)) ± \(fmt(s.standardError)) [\(fmt(low)), \(fmt(high))]")
        }
        let v: Decision.Verdict =
            parts.isEmpty ? .inconclusive : (outside ? .refuted : (inside ? .holds : .inconclusive))
        let none = curve(curves, gamma: 0).map { c in TrainingStatistics.summary(endWindow(c.sdr)) }
        return Decision(
            verdict: v, seeds: seeds,
            note:
                "SDR over the last 10 % of \(curves.first?.steps.last ?? 0) steps, \(seeds) seeds, mean ± s.e. [99.9 % "
                + "interval]: " + parts.joined(separator: "; ")
                + (none.map { "; γ = 0: \(fmt($0.mean)) ± \(fmt($0.standardError))" } ?? "")
                + "; holds when every interval ⊂ [1 − \(fmt(margin)), 1 + \(fmt(margin))]"
        )
    }

    /// "Faster for larger γ": per seed, A(γ) = the mean of |SDR − 1| over the first `fraction` of the run;
    /// for each consecutive pair γ < γ′ (γ > 0) a sign test that A(γ′) < A(γ) at level α. Holds when every
    /// pair is significant, refuted when some pair is significant the other way.
    public static func decideB12Faster(_ curves: [B12Curves], fraction: Double = 0.1) -> Decision {
        let sorted = curves.filter { $0.gamma > 0 }.sorted { $0.gamma < $1.gamma }
        guard sorted.count >= 2 else { return Decision(verdict: .inconclusive, seeds: 0, note: "needs two γ > 0") }
        let k = max(1, Int(Double(sorted[0].steps.count - 1) * fraction))
        func area(_ c: B12Curves) -> [Double] {
            (0..<c.sdr[0].count).map { i in (1...k).reduce(0.0) { $0 + abs(c.sdr[$1][i] - 1) } / Double(k) }
        }
        var all = true, against = false
        var parts: [String] = []
        for (x, y) in zip(sorted, sorted.dropFirst()) {
            let ax = area(x), ay = area(y)
            let t = TrainingStatistics.signTest(zip(ax, ay).map { $0 - $1 }.filter(\.isFinite), alpha: alpha)
            if t.direction != .towards { all = false }
            if t.direction == .away { against = true }
            parts.append(
                "γ \(fmt(x.gamma)) → \(fmt(y.gamma)): A \(fmt(TrainingStatistics.summary(ax).mean)) → "
                    + "\(fmt(TrainingStatistics.summary(ay).mean)), \(signNote(t))"
            )
        }
        return Decision(
            verdict: against ? .refuted : (all ? .holds : .inconclusive), seeds: sorted[0].sdr[0].count,
            note:
                "A = mean |SDR − 1| over the first \(sorted[0].steps[k]) steps, paired by seed: "
                + "\(parts.joined(separator: "; ")); one-sided, 99.9 % confidence"
        )
    }

    /// Per seed, the mean over the last 10 % of the checkpoints.
    static func endWindow(_ table: [[Double]]) -> [Double] {
        let n = table.count, k = max(1, (n - 1) / 10)
        return (0..<table[0].count).map { i in ((n - k)..<n).reduce(0.0) { $0 + table[$1][i] } / Double(k) }
    }

    /// Per seed, the mean of a [checkpoint][seed] table over checkpoints j−w…j+w (clipped): time averaging
    /// takes out most of the step-to-step SGD fluctuation.
    static func window(_ table: [[Double]], _ j: Int, _ w: Int) -> [Double] {
        let lo = max(0, j - w), hi = min(table.count - 1, j + w)
        return (0..<table[0].count).map { i in (lo...hi).reduce(0.0) { $0 + table[$1][i] } / Double(hi - lo + 1) }
    }

    /// "SDR regularisation drives the result closer to the true solution": the mean absolute cosine distance
    /// (k̂₁, k̂₂ averaged) of each run at its best time — the window (±2.5 % of the run) of smallest mean,
    /// chosen on even seeds — compared on odd seeds, paired: for every γ > 0 a one-sided z-test on the mean difference
    /// that γ's best is
    /// below γ = 0's best, at level α.
    public static func decideB12CloserWithSDR(_ curves: [B12Curves]) -> Decision {
        guard let base = curve(curves, gamma: 0) else {
            return Decision(verdict: .inconclusive, seeds: 0, note: "no γ = 0 run")
        }
        let w = max(1, (base.steps.count - 1) / 40)
        let odd = Array(stride(from: 1, to: base.sdr[0].count, by: 2))
        func best(_ c: B12Curves) -> (step: Int, values: [Double]) {
            let table = c.cosine
            let smoothed = (0..<table.count).map { window(table, $0, w) }
            let j = argminMean(smoothed, seeds: stride(from: 0, to: table[0].count, by: 2))
            return (c.steps[j], odd.map { smoothed[j][$0] })
        }
        let b0 = best(base)
        var all = true, against = false
        var parts: [String] = []
        for c in curves where c.gamma > 0 {
            let b = best(c)
            let t = TrainingStatistics.meanTest(
                zip(b0.values, b.values).map { $0 - $1 }.filter(\.isFinite), threshold: 0, alpha: alpha)
            if t.direction != .towards { all = false }
            if t.direction == .away { against = true }
            parts.append(
                "γ = \(fmt(c.gamma)): \(fmt(TrainingStatistics.summary(b.values).mean)) near step \(b.step), "
                    + "\(zNote(t))"
            )
        }
        return Decision(
            verdict: against ? .refuted : (all ? .holds : .inconclusive), seeds: odd.count,
            note:
                "best-time mean absolute cosine distance to (k̂₁*, k̂₂*), windows of ±\(w) checkpoints chosen on even "
                + "seeds, \(odd.count) odd seeds: γ = 0: \(fmt(TrainingStatistics.summary(b0.values).mean)) near "
                + "step \(b0.step); \(parts.joined(separator: "; ")); one-sided, 99.9 % confidence"
        )
    }

    /// "The cosine distance improves, then decays again for very long runs" (γ > 0): for every γ > 0, on
    /// odd seeds (best window chosen on even seeds as above), one-sided paired z-tests that the best window is below
    /// the
    /// start (improves) and that the last window (the final 5 % of the run) is above the best (decays),
    /// each at level α. Holds when all are significant; refuted when one is significant the other way.
    public static func decideB12ImprovesThenDecays(_ curves: [B12Curves]) -> Decision {
        var all = true, against = false
        var parts: [String] = []
        var seeds = 0
        for c in curves where c.gamma > 0 {
            let cc = c.cosine
            let last = c.steps.count - 1
            let w = max(1, last / 40)
            let smoothed = (0..<cc.count).map { window(cc, $0, w) }
            let j = argminMean(smoothed, seeds: stride(from: 0, to: cc[0].count, by: 2))
            let odd = Array(stride(from: 1, to: cc[0].count, by: 2))
            seeds = odd.count
            let start = odd.map { cc[0][$0] }, bestV = odd.map { smoothed[j][$0] }
            let endV = odd.map { smoothed[last][$0] }
            let improve = TrainingStatistics.meanTest(
                zip(start, bestV).map { $0 - $1 }.filter(\.isFinite), threshold: 0, alpha: alpha)
            let decay = TrainingStatistics.meanTest(
                zip(endV, bestV).map { $0 - $1 }.filter(\.isFinite), threshold: 0, alpha: alpha)
            if improve.direction != .towards || decay.direction != .towards { all = false }
            if decay.direction == .away || improve.direction == .away { against = true }
            let m = { (x: [Double]) in fmt(TrainingStatistics.summary(x).mean) }
            parts.append(
                "γ = \(fmt(c.gamma)): \(m(start)) (step 0) → \(m(bestV)) (near step \(c.steps[j])) → \(m(endV)) (last "
                    + "\(w) checkpoints to step \(c.steps[last])); improves: \(zNote(improve)); decays: \(zNote(decay))"
            )
        }
        return Decision(
            verdict: parts.isEmpty ? .inconclusive : (against ? .refuted : (all ? .holds : .inconclusive)),
            seeds: seeds,
            note:
                "mean absolute cosine distance (k̂₁, k̂₂ averaged), best window chosen on even seeds, tested on "
                + "\(seeds) odd seeds: \(parts.joined(separator: "; ")); one-sided, 99.9 % confidence"
        )
    }

    static func zNote(
        _ t: (
            direction: TrainingStatistics.Direction, summary: TrainingStatistics.Summary, z: Double, pTowards: Double,
            pAway: Double
        )
    ) -> String {
        "paired z-test: mean difference \(fmt(t.summary.mean)) ± \(fmt(t.summary.standardError)), z = \(fmt(t.z, 2)), "
            + "p = \(pString(t.pTowards))"
    }

    static func argminMean<S: Sequence>(_ table: [[Double]], seeds: S) -> Int where S.Element == Int {
        let chosen = Array(seeds)
        var best = 0, value = Double.infinity
        for j in 0..<table.count {
            let m = chosen.reduce(0.0) { $0 + table[j][$1] } / Double(max(1, chosen.count))
            if m < value { value = m; best = j }
        }
        return best
    }
}
