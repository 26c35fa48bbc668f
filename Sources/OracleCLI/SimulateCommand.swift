import ArgumentParser
import MechanismCommon
import Fast
import Foundation
import Oracle

/// `oracle simulate b12|drift|fourier-drift`: the training experiments of Sec. 3 and App. B.12, with a
/// printed summary, the curves as CSV and an SVG plot.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract:
            "Seeded training simulations: App. B.12 (SDR regularisation), Sec. 3.2 drift along S_c, Sec. 3.3 Fourier "
            + "drift."
    )

    enum Experiment: String, ExpressibleByArgument, CaseIterable {
        case b12, drift, fourierDrift = "fourier-drift"
    }

    @Argument(help: "b12 | drift | fourier-drift") var experiment: Experiment
    @Option(parsing: .unconditional, help: "Independent seeds (default: 200).") var seeds: Int = 200
    @Option(parsing: .unconditional, help: "SGD steps (default: 30000 for b12, 5000 otherwise).") var steps: Int?
    @Option(parsing: .unconditional, help: "The run's seed.") var seed = SeedArgument(0)
    @Option(parsing: .unconditional, help: "b12: the SDR rates γ, comma-separated (default: 0,0.01,0.03,0.1).")
    var gammas: String?
    @Option(parsing: .unconditional, help: "Write the mean ± standard-error curves as CSV.") var csv: String?
    @Option(parsing: .unconditional, help: "Write an SVG plot.") var svg: String?
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        // drift splits the SGD seeds between its two starts: each half needs two seeds for a standard error.
        try require(seeds, atLeast: experiment == .drift ? 4 : 2, "--seeds")
        if let steps { try require(steps, atLeast: 1, "--steps") }
        try checked { () throws(SizeLimitError) in
            try limits.limit.count(seeds, of: "--seeds")
            try limits.limit.elements([seeds, steps ?? 30000], of: "the simulation [seeds, steps]")
        }
    }

    func run() throws {
        let (summary, table, plot) =
            switch experiment {
            case .b12: try b12()
            case .drift: drift()
            case .fourierDrift: fourierDrift()
            }
        emit(summary)
        if let csv {
            try table.write(toFile: csv, atomically: true, encoding: .utf8)
            emit("curves written to \(csv)")
        }
        if let svg {
            try plot.render().write(toFile: svg, atomically: true, encoding: .utf8)
            emit("plot written to \(svg)")
        }
    }

    static func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }

    // MARK: b12

    func b12() throws -> (String, String, SVGPlot) {
        var config = Training.B12Config()
        config.seeds = seeds
        config.seed = seed.value
        config.steps = steps ?? 30000
        if let gammas {
            do { config.gammas = try TextArguments.numbers(gammas, option: "--gammas", atLeast: 0) } catch {
                throw ValidationError(error.description)
            }
        } else {
            config.gammas = [0, 0.01, 0.03, 0.1]
        }
        // On a terminal: runs done out of γ × seeds (stderr).
        let showProgress = isatty(STDERR_FILENO) == 1
        let curves = Training.b12(config) { done, total in
            if showProgress && (done % 10 == 0 || done == total) {
                progressLine("simulating b12: \(done)/\(total) (γ, seed) runs")
            }
        }
        if showProgress { progressLine(nil) }
        var text =
            "App. B.12: d = \(config.d), \(config.seeds) seeds, \(config.steps) steps, λ = \(config.rate), σ = "
            + "\(config.sigma), S-generic truths; mean ± s.e. across seeds\n"
        text +=
            "γ        SDR start        SDR end          cos k̂₁ best (step)       cos k̂₁ end        cos k̂₂ end       "
            + " diverged\n"
        var csv = "gamma,step,sdr_mean,sdr_se,cos1_mean,cos1_se,cos2_mean,cos2_se,cos_mean,cos_se\n"
        var sdrPanel = SVGPlot.Panel(title: "SDR ρ(k₁, k₂) (eq. 8)", xLabel: "SGD iteration", yLabel: "SDR")
        var c1Panel = SVGPlot.Panel(
            title: "Absolute cosine distance of k̂₁ to k̂₁*", xLabel: "SGD iteration", yLabel: "1 − |cos|")
        var c2Panel = SVGPlot.Panel(
            title: "Absolute cosine distance of k̂₂ to k̂₂*", xLabel: "SGD iteration", yLabel: "1 − |cos|")
        var zoom = SVGPlot.Panel(
            title: "Mean cosine distance (k̂₁, k̂₂), after 500 "
                + "iterations", xLabel: "SGD iteration", yLabel: "1 − |cos|")
        for (k, c) in curves.enumerated() {
            let color = SVGPlot.palette[k % SVGPlot.palette.count]
            let xs = c.steps.map(Double.init)
            let sdr = Training.meanCurve(c.sdr.map { $0.filter(\.isFinite) })
            let c1 = Training.meanCurve(c.cosine1.map { $0.filter(\.isFinite) })
            let c2 = Training.meanCurve(c.cosine2.map { $0.filter(\.isFinite) })
            let cm = Training.meanCurve(c.cosine.map { $0.filter(\.isFinite) })
            for j in 0..<xs.count {
                csv +=
                    "\(c.gamma),\(c.steps[j]),\(sdr[j].mean),\(sdr[j].standardError),"
                    + "\(c1[j].mean),\(c1[j].standardError),\(c2[j].mean),\(c2[j].standardError),"
                    + "\(cm[j].mean),\(cm[j].standardError)\n"
            }
            let name = "γ = \(c.gamma)"
            func series(_ s: [TrainingStatistics.Summary], from: Int = 0) -> SVGPlot.Series {
                SVGPlot.Series(
                    name: name, color: color, xs: Array(xs[from...]), ys: s[from...].map(\.mean),
                    lower: s[from...].map { $0.mean - $0.standardError },
                    upper: s[from...].map { $0.mean + $0.standardError })
            }
            sdrPanel.series.append(series(sdr)); c1Panel.series.append(series(c1)); c2Panel.series.append(series(c2))
            zoom.series.append(series(cm, from: c.steps.firstIndex { $0 >= 500 } ?? 0))
            let best = (0..<c1.count).min { c1[$0].mean < c1[$1].mean } ?? 0
            let last = xs.count - 1
            let diverged = c.sdr[last].filter { !$0.isFinite }.count
            text +=
                "\(c.gamma.description.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                + "\(Self.f(sdr[0].mean)) ± \(Self.f(sdr[0].standardError))  \(Self.f(sdr[last].mean)) ± "
                + "\(Self.f(sdr[last].standardError))  "
                + "\(Self.f(c1[best].mean)) ± \(Self.f(c1[best].standardError)) (\(c.steps[best]))  ".padding(
                    toLength: 26, withPad: " ", startingAt: 0)
                + "\(Self.f(c1[last].mean)) ± \(Self.f(c1[last].standardError))  \(Self.f(c2[last].mean)) ± "
                + "\(Self.f(c2[last].standardError))  \(diverged)\n"
        }
        zoom.legendAtBottom = true
        sdrPanel.series.append(
            SVGPlot.Series(name: nil, color: "#000", xs: [0, Double(config.steps)], ys: [1, 1], width: 1, dash: "5,4"))
        let plot = SVGPlot(
            title: "App. B.12 — SGD with and without SDR regularisation (d = 5)",
            subtitle:
                "\(config.seeds) seeds, λ = \(config.rate), σ = \(config.sigma); lines: mean across seeds, bands: ± "
                + "standard error; dashed: SDR = 1 (S-genericity)",
            panels: [sdrPanel, zoom, c1Panel, c2Panel])
        return (text, csv, plot)
    }

    // MARK: drift (Sec. 3.2, Fig. 3a)

    func drift() -> (String, String, SVGPlot) {
        var config = Training.DriftConfig()
        config.seeds = seeds
        config.seed = seed.value
        config.steps = steps ?? 5000
        // On a terminal: which run is going (stderr).
        let showProgress = isatty(STDERR_FILENO) == 1
        if showProgress { progressLine("simulating drift: SGD, \(config.seeds) seeds × \(config.steps) steps…") }
        let sgd = Training.drift(config, algorithm: .sgd)
        var asgdConfig = config
        asgdConfig.starts = [(1, 1)]
        if showProgress { progressLine("simulating drift: ASGD, \(config.seeds) seeds × \(config.steps) steps…") }
        let asgd = Training.drift(asgdConfig, algorithm: .asgd)
        if showProgress { progressLine(nil) }
        let c = config.c0
        var csv = "run,step,mean_log_a_over_b,se,mean_a,mean_b,mean_ab\n"
        var text =
            "Sec. 3.2: ℓ = |C − ab|², C ~ N(\(c), \(config.sigma)²), λ = \(config.rate), \(config.steps) steps, "
            + "\(config.seeds) seeds; mean ± s.e. of log(a/b)\n"
        var ratioPanel = SVGPlot.Panel(
            title: "log(a/b) along the run (0 = the point (√c, √c))", xLabel: "iteration", yLabel: "log(a / b)")
        let groups: [(String, Training.DriftRun, [Int], String)] = [
            ("SGD from (3, 1/3)", sgd, Array(stride(from: 0, to: config.seeds, by: 2)), "#1b9e77"),
            ("SGD from (1/3, 3)", sgd, Array(stride(from: 1, to: config.seeds, by: 2)), "#66a61e"),
            ("ASGD from (1, 1)", asgd, Array(0..<config.seeds), "#3b5bdb"),
        ]
        for (name, run, members, color) in groups {
            let xs = run.steps.map(Double.init)
            var ys: [TrainingStatistics.Summary] = []
            for j in 0..<xs.count {
                let lr = members.map { log(run.a[$0][j] / run.b[$0][j]) }.filter(\.isFinite)
                let s = TrainingStatistics.summary(lr)
                ys.append(s)
                let ma = members.map { run.a[$0][j] }.reduce(0, +) / Double(members.count)
                let mb = members.map { run.b[$0][j] }.reduce(0, +) / Double(members.count)
                let mab = members.map { run.a[$0][j] * run.b[$0][j] }.reduce(0, +) / Double(members.count)
                csv += "\(name),\(run.steps[j]),\(s.mean),\(s.standardError),\(ma),\(mb),\(mab)\n"
            }
            ratioPanel.series.append(
                SVGPlot.Series(
                    name: name, color: color, xs: xs, ys: ys.map(\.mean),
                    lower: ys.map { $0.mean - $0.standardError }, upper: ys.map { $0.mean + $0.standardError }))
            let last = xs.count - 1
            text += "\(name): \(Self.f(ys[0].mean)) → \(Self.f(ys[last].mean)) ± \(Self.f(ys[last].standardError))\n"
        }
        // The (a, b) plane.
        var plane = SVGPlot.Panel(
            title: "Trajectories in the (a, b) plane, c = \(c)", xLabel: "a", yLabel: "b",
            xRange: 0...3.6, yRange: 0...3.6)
        let hyper = stride(from: 0.05, through: 3.6, by: 0.01).map { $0 }
        plane.series.append(
            SVGPlot.Series(name: "S_c: ab = c", color: "#222", xs: hyper, ys: hyper.map { c / $0 }, width: 2.2))
        plane.series.append(
            SVGPlot.Series(name: "a = b", color: "#999", xs: [0, 3.6], ys: [0, 3.6], width: 1, dash: "4,4"))
        var first = true
        for (a0, b0) in [(0.15, 2.6), (2.6, 0.15), (0.15, 0.3), (3.0, 3.3), (2.2, 3.4), (0.5, 0.12), (3.4, 1.5)] {
            let path = Training.ctgd(a0: a0, b0: b0, c: c, until: 20)
            plane.series.append(
                SVGPlot.Series(
                    name: first ? "CTGD (Prop. 8)" : nil, color: "#d62728",
                    xs: path.samples.map { $0.y[0] }, ys: path.samples.map { $0.y[1] }, width: 2))
            plane.markers.append(SVGPlot.Marker(x: a0, y: b0, color: "#d62728"))
            first = false
        }
        for (run, seedIndex, color, name) in [
            (sgd, 0, "#1b9e77", "SGD sample paths"), (sgd, 1, "#1b9e77", nil), (asgd, 0, "#3b5bdb", "ASGD sample path"),
        ] as [(Training.DriftRun, Int, String, String?)] {
            plane.series.append(
                SVGPlot.Series(
                    name: name, color: color, xs: run.a[seedIndex], ys: run.b[seedIndex], width: 1.4, opacity: 0.9))
            plane.markers.append(SVGPlot.Marker(x: run.a[seedIndex][0], y: run.b[seedIndex][0], color: color))
        }
        plane.markers.append(
            SVGPlot.Marker(x: c.squareRoot(), y: c.squareRoot(), color: "#000", radius: 3, label: "(√c, √c)"))
        let plot = SVGPlot(
            title: "Sec. 3.2 — drift of over-parameterised solutions along S_c",
            subtitle:
                "CTGD keeps a² − b² (red); SGD drifts to (√c, √c) (green); ASGD (Algorithm 2) drifts along S_c (blue); "
                + "\(config.seeds) seeds, λ = \(config.rate), σ = \(config.sigma)",
            panels: [plane, ratioPanel])
        return (text, csv, plot)
    }

    // MARK: fourier-drift (Sec. 3.3, Fig. 3b)

    func fourierDrift() -> (String, String, SVGPlot) {
        var config = Training.FourierDriftConfig()
        config.seeds = seeds
        config.seed = seed.value
        config.steps = steps ?? 5000
        let showProgress = isatty(STDERR_FILENO) == 1
        if showProgress { progressLine("simulating fourier-drift: \(config.seeds) seeds × \(config.steps) steps…") }
        let run = Training.fourierDrift(config)
        if showProgress { progressLine(nil) }
        let xs = run.steps.map(Double.init)
        var csv = "step,balance_mean,balance_se\n"
        var summaries: [TrainingStatistics.Summary] = []
        for j in 0..<xs.count {
            let s = TrainingStatistics.summary(
                (0..<config.seeds).map { run.balance(seed: $0, checkpoint: j) }.filter(\.isFinite))
            summaries.append(s)
            csv += "\(run.steps[j]),\(s.mean),\(s.standardError)\n"
        }
        let balance = SVGPlot.Panel(
            title: "Imbalance ⟨|log(|k̂₁|² / |k̂₂|²)|⟩ across seeds", xLabel: "SGD iteration",
            yLabel: "mean over frequencies",
            series: [
                SVGPlot.Series(
                    name: "mean ± s.e.", color: "#7570b3", xs: xs, ys: summaries.map(\.mean),
                    lower: summaries.map { $0.mean - $0.standardError },
                    upper: summaries.map { $0.mean + $0.standardError })
            ])
        var plane = SVGPlot.Panel(
            title: "Seed 0: (|k̂₁(u)|, |k̂₂(u)|) per frequency", xLabel: "|k̂₁(u)|", yLabel: "|k̂₂(u)|")
        let d = config.d
        let m1 = run.modulus1[0], m2 = run.modulus2[0]
        var top = 0.0
        for u in 0...(d / 2) { for j in 0..<xs.count { top = max(top, m1[j][u], m2[j][u]) } }
        top *= 1.05
        plane.xRange = 0...top; plane.yRange = 0...top
        plane.series.append(
            SVGPlot.Series(name: "|k̂₁| = |k̂₂|", color: "#999", xs: [0, top], ys: [0, top], width: 1, dash: "4,4"))
        for u in 0...(d / 2) {
            let color = SVGPlot.palette[u % SVGPlot.palette.count]
            let target = run.target[0][u]
            let hx = stride(from: max(1e-3, target / top), through: top, by: top / 300).map { $0 }
            plane.series.append(
                SVGPlot.Series(
                    name: nil, color: color, xs: hx, ys: hx.map { target / $0 }, width: 1, dash: "2,3", opacity: 0.7))
            plane.series.append(
                SVGPlot.Series(
                    name: "u = \(u)", color: color, xs: (0..<xs.count).map { m1[$0][u] },
                    ys: (0..<xs.count).map { m2[$0][u] }, width: 1.6))
            plane.markers.append(SVGPlot.Marker(x: m1[0][u], y: m2[0][u], color: color))
        }
        let last = xs.count - 1
        let text =
            "Sec. 3.3: Model 1 (d = \(d)), Z a Dirac, SGD on Re/Im of k̂₁, k̂₂, λ = \(config.rate), σ = "
            + "\(config.sigma), \(config.steps) steps, \(config.seeds) seeds, start (\(config.imbalance)k₁*, "
            + "k₂*/\(config.imbalance))\nimbalance ⟨|log(|k̂₁|²/|k̂₂|²)|⟩: \(Self.f(summaries[0].mean)) → "
            + "\(Self.f(summaries[last].mean)) ± \(Self.f(summaries[last].standardError))"
        let plot = SVGPlot(
            title: "Sec. 3.3 — SGD on Fourier coefficients drifts to |k̂₁|² = |k̂₂|²",
            subtitle:
                "dotted: the solution sets |k̂₁(u)||k̂₂(u)| = |ĉ*(u)|; dots: starts; \(config.seeds) seeds, λ = "
                + "\(config.rate), σ = \(config.sigma)",
            panels: [plane, balance])
        return (text, csv, plot)
    }
}
