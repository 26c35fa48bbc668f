import ArgumentParser
import MechanismCommon
import Fast
import Foundation
import Oracle

/// `oracle layer`: the SDR of every (input channel, output channel) pair of a conv-transpose layer
/// (Sec. 4, Fig. 5; eq. 24), with its histogram, from weights and activations saved by numpy/PyTorch
/// or generated with SplitMix64 like `oracle bench layer`.
struct LayerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layer",
        abstract:
            "Strided SDRs (eq. 24) of every channel pair of a conv-transpose layer, their histogram, and an SVG of it "
            + "(Fig. 5).",
        discussion: """
            Give --weights W (shape [Cout, Cin, h, w]; [Cin, Cout, h, w], PyTorch's ConvTranspose2d layout, with \
            --layout torch) and --activations X (shape [B, Cin, n/s, n/s]) as .npy files (numpy.save; float16, \
            bfloat16, float32, float64, bool or any integer type, either byte order, C or Fortran order) or .json \
            files ({"shape": [...], "data": [...]} or nested arrays), or --random to generate them with SplitMix64 \
            exactly as `oracle bench layer` does. A pair whose SDR is 0/0 (a zero filter, a dead activation \
            channel) is reported as undefined with its reason (null in --json, an empty cell in --csv). \
            With --exact every value is certified against the exact eq. (24) of its pair (float data are dyadic \
            rationals): the worst relative error, and the pairs beyond their budget 8·(⌈log₂N⌉ + 1)·u·(κ + 1). \
            Exit status: 0 (with --strict: 0 when every pair is defined, 1 when some pair is undefined; with \
            --exact: 1 when some pair fails certification), 2 on usage or input errors.
            """)

    @Option(parsing: .unconditional, help: "Weights [Cout, Cin, h, w], or [Cin, Cout, h, w] with --layout torch.")
    var weights: String?
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "The weights' layout: out-in ([Cout, Cin, h, w], the default) or torch ([Cin, Cout, h, w], as PyTorch "
                    + "stores an nn.ConvTranspose2d weight).")
    ) var layout: WeightLayout = .outIn
    @Flag(help: "Read 2-byte integer .npy files as bfloat16 bit patterns (t.view(torch.int16).numpy()).")
    var rawBfloat16 = false
    @Flag(help: "Exit with status 1 when some channel pair's SDR is undefined (default: 0, the pair reported).")
    var strict = false
    @Option(parsing: .unconditional, help: "Activations [B, Cin, n/s, n/s] (.npy or .json).") var activations: String?
    @Flag(help: "Generate W then X with SplitMix64 (entries in [−1, 1)) from --seed and the sizes below.") var random =
        false
    @Option(parsing: .unconditional, help: "Stride s, the up-sampling factor of the layer.") var stride: Int
    @Option(parsing: .unconditional, help: "Output map size n (default s·(n/s) from the activations).") var map: Int?
    @Option(parsing: .unconditional, help: "--random: input channels.") var cin: Int = 16
    @Option(parsing: .unconditional, help: "--random: output channels.") var cout: Int = 8
    @Option(parsing: .unconditional, help: "--random: batch size B.") var batch: Int = 16
    @Option(parsing: .unconditional, help: "--random: kernel size h (h × h).") var kernel: Int = 5
    @Option(parsing: .unconditional, help: "--random: SplitMix64 stream seed.") var seed = SeedArgument(0)
    @Flag(help: "Average over all frequencies, zero included (default: the paper's non-zero frequencies).")
    var allFrequencies = false
    @Flag(
        help:
            ArgumentHelp(
                "Average the activation power on the native n/s grid, as eq. (24) is printed "
                    + "(default: on the up-sampled grid).")
    ) var nativeGrid = false
    @Option(
        parsing: .unconditional, help: "Histogram bin edges, comma-separated and increasing (default 0, 0.1, …, 3).")
    var bins: String?
    @Option(parsing: .unconditional, help: "Write the [Cout, Cin] SDR matrix as CSV.") var csv: String?
    @Option(parsing: .unconditional, help: "Write the histogram as an SVG plot.") var svg: String?
    @Flag(
        help:
            ArgumentHelp(
                "Certify every SDR against the exact value of its pair (eq. 24 in rationals) within its error "
                    + "budget; progress on standard error.")
    ) var exact = false
    @Flag(help: "Print JSON: the matrix, the histogram and a summary.") var json = false
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        try require(stride, atLeast: 1, "--stride")
        if let map { try require(map, atLeast: 1, "--map") }
        if random {
            guard weights == nil, activations == nil else {
                throw ValidationError("give either --random or --weights/--activations, not both")
            }
            guard layout == .outIn, !rawBfloat16 else {
                throw ValidationError(
                    "--layout and --raw-bfloat16 describe --weights/--activations files, not --random")
            }
            for (value, flag) in [(cin, "--cin"), (cout, "--cout"), (batch, "--batch"), (kernel, "--kernel")] {
                try require(value, atLeast: 1, flag)
            }
            guard let map else { throw ValidationError("--random needs --map n (the output map size)") }
            guard map % stride == 0 else {
                throw ValidationError("the stride \(stride) does not divide --map \(map): eq. (24) needs maps of n/s")
            }
            let m = map / stride
            try checked { () throws(SizeLimitError) in
                try limits.limit.elements([cout, cin, kernel, kernel], of: "the weights [Cout, Cin, h, h]")
                try limits.limit.elements([batch, cin, m, m], of: "the activations [B, Cin, n/s, n/s]")
            }
        } else if weights == nil || activations == nil {
            throw ValidationError("give --weights FILE and --activations FILE (.npy or .json), or --random with --map")
        }
    }

    func run() throws {
        let w: DoubleArray, x: DoubleArray
        if random {
            let n = map!
            let inputs = BenchCommand.layerInputs(
                seed: seed.value, cin: cin, cout: cout, batch: batch, map: n, stride: stride, kernel: kernel)
            w = DoubleArray(shape: [cout, cin, kernel, kernel], values: inputs.weights)
            x = DoubleArray(shape: [batch, cin, n / stride, n / stride], values: inputs.activations)
        } else {
            let options = DoubleArray.ReadOptions(rawBFloat16: rawBfloat16)
            let file: DoubleArray
            do {
                (file, x) = (
                    try DoubleArray.read(weights!, limit: limits.limit, options: options),
                    try DoubleArray.read(activations!, limit: limits.limit, options: options)
                )
            } catch { throw ValidationError("\(error)") }
            try Self.checkLayout(file.shape, activations: x.shape, layout: layout)
            w = layout.outInWeights(file)
        }
        var edges: [Double]?
        if let bins {
            do { edges = try TextArguments.numbers(bins, option: "--bins") } catch {
                throw ValidationError(error.description)
            }
        }
        let result: LayerSDR
        do {
            result = try SDREstimators.layer(
                weights: w.values, weightShape: w.shape, activations: x.values, activationShape: x.shape,
                stride: stride, map: map, averaging: allFrequencies ? .all : .nonZero,
                grid: nativeGrid ? .native : .upsampled, bins: edges)
        } catch { throw ValidationError("\(error)") }
        let certificate = exact ? try certify(w, x, result) : nil

        let defined = result.defined.sorted()
        let mean: Double? = defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
        let median: Double? =
            defined.isEmpty
            ? nil
            : defined.count % 2 == 1
                ? defined[defined.count / 2] : (defined[defined.count / 2 - 1] + defined[defined.count / 2]) / 2
        let above = defined.filter { $0 > 1 }.count
        let averaging = allFrequencies ? "all" : "nonzero", grid = nativeGrid ? "native" : "upsampled"
        let ambiguous = !random && WeightLayout.isAmbiguous(w.shape)
        func fixed(_ v: Double?, _ digits: Int) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "—" }

        if json {
            let matrix = JSONValue.array(
                (0..<result.outChannels).map { o in
                    .array(
                        (0..<result.inChannels).map { c in result.value(out: o, in: c).map(JSONValue.number) ?? .null })
                })
            let undefined = JSONValue.array(
                result.undefined.map {
                    .object([
                        "out": .int($0.out), "in": .int($0.in), "cause": .string($0.cause.rawValue),
                        "reason": .string($0.reason),
                    ])
                })
            emit(
                JSONValue.object([
                    "weights": .array(w.shape.map { .int($0) }), "activations": .array(x.shape.map { .int($0) }),
                    "layout": .string(random ? WeightLayout.outIn.rawValue : layout.rawValue),
                    "layoutAmbiguous": .bool(ambiguous),
                    "stride": .int(stride), "averaging": .string(averaging), "grid": .string(grid),
                    "sdr": matrix, "definedPairs": .int(defined.count), "undefinedPairs": .int(result.undefined.count),
                    "undefined": undefined, "binEdges": .array(result.binEdges.map { .number($0) }),
                    "histogram": .array(result.histogram.map { .int($0) }),
                    "underflow": .int(result.underflow), "overflow": .int(result.overflow),
                    "mean": mean.map(JSONValue.number) ?? .null, "median": median.map(JSONValue.number) ?? .null,
                    "aboveOne": .int(above), "exact": certificate?.json ?? .null,
                ]).serialized(pretty: true))
        } else {
            emit(
                "layer: weights \(w.shape) [Cout, Cin, h, w], activations \(x.shape), stride \(stride); ⟨·⟩ over "
                    + "\(averaging == "all" ? "all" : "non-zero") frequencies, activation power on the \(grid) grid"
            )
            if ambiguous { emit(Self.ambiguityNote(channels: w.shape[0], layout: layout)) }
            let share = 100 * Double(above) / Double(max(1, defined.count))
            emit(
                "\(result.sdr.count) channel pairs"
                    + (result.undefined.isEmpty
                        ? "" : ", \(defined.count) defined, \(result.undefined.count) undefined")
                    + ": mean SDR \(fixed(mean, 4)), median \(fixed(median, 4)), \(above) above 1 "
                    + "(\(String(format: "%.1f", share)) %)"
            )
            if !result.undefined.isEmpty { emit(Self.undefinedSummary(result)) }
            emit(Self.textHistogram(result))
            if let certificate { emit(Self.certificateSummary(certificate)) }
        }
        if let csv {
            var text = "out\\in," + (0..<result.inChannels).map(String.init).joined(separator: ",") + "\n"
            for o in 0..<result.outChannels {
                text +=
                    "\(o),"
                    + (0..<result.inChannels).map { result.value(out: o, in: $0).map { "\($0)" } ?? "" }
                    .joined(separator: ",") + "\n"
            }
            try writeReport(text, to: csv)
            if !json { emit("matrix written to \(csv)") }
        }
        if let svg {
            let undefinedNote = result.undefined.isEmpty ? "" : "; \(result.undefined.count) undefined pairs not shown"
            try writeReport(
                Self.plot(
                    result, title: "SDR of \(result.sdr.count) channel pairs (weights \(w.shape), stride \(stride))",
                    subtitle:
                        "mean \(fixed(mean, 3)), median \(fixed(median, 3)); ⟨·⟩ over "
                        + "\(averaging) frequencies, \(grid) grid" + undefinedNote
                ).render(),
                to: svg)
            if !json { emit("histogram written to \(svg)") }
        }
        if let certificate, !certificate.failures.isEmpty { throw ExitCode(1) }
        if strict && !result.undefined.isEmpty {
            if !json { emit("--strict: \(result.undefined.count) undefined pairs, exit status 1") }
            throw ExitCode(1)
        }
    }

    /// `--exact`: Fast's matrix certified pair by pair, with progress on a terminal.
    func certify(_ w: DoubleArray, _ x: DoubleArray, _ result: LayerSDR) throws -> LayerCertificate {
        let showProgress = isatty(STDERR_FILENO) == 1
        do {
            return try LayerCertificate.certify(
                weights: w.values, weightShape: w.shape, activations: x.values, activationShape: x.shape,
                stride: stride,
                convention: SDRConvention(
                    averaging: allFrequencies ? .all : .nonZero, grid: nativeGrid ? .native : .upsampled),
                fast: result,
                progress: { done in
                    if showProgress { progressLine("certifying: output channel \(done)/\(result.outChannels)") }
                })
        } catch { throw ValidationError("--exact: \(error)") }
    }

    static func short(_ x: Double) -> String { x.isFinite ? String(format: "%.3g", x) : "\(x)" }

    static func certificateSummary(_ c: LayerCertificate) -> String {
        var lines = [
            "exact: \(c.pairs.count - c.failures.count) of \(c.pairs.count) pairs certified against eq. (24) in "
                + "rationals (\(String(format: "%.2f", c.seconds)) s); budget 8·(⌈log₂N⌉ + 1)·u·(κ + 1)"
        ]
        if let p = c.worst, let e = p.relativeError {
            lines.append(
                "  worst relative error \(e) at (out \(p.out), in \(p.in)): κ = \(Self.short(p.conditionNumber)), "
                    + "budget \(p.budget), \(Self.short(e / p.budget)) budgets")
        }
        if let p = c.furthest, let e = p.relativeError {
            lines.append(
                "  furthest in budgets: \(Self.short(e / p.budget)) at (out \(p.out), in \(p.in))")
        }
        for p in c.failures.prefix(10) { lines.append("  ✗ (out \(p.out), in \(p.in)): \(p.failure!)") }
        if c.failures.count > 10 { lines.append("  … and \(c.failures.count - 10) more") }
        return lines.joined(separator: "\n")
    }

    /// The weights' channel axes against the activations': a layout that cannot match is an error, and when the
    /// other layout would match, the error says so.
    static func checkLayout(_ file: [Int], activations: [Int], layout: WeightLayout) throws {
        guard file.count == 4, activations.count == 4 else { return }  // the estimator names the shape error
        let cin = layout == .outIn ? file[1] : file[0]
        guard cin != activations[1] else { return }
        let other: WeightLayout = layout == .outIn ? .torch : .outIn
        let otherCin = other == .outIn ? file[1] : file[0]
        var message =
            "weights \(file) read as \(layout.axes) (--layout \(layout.rawValue)) have Cin = \(cin), but the "
            + "activations \(activations) have \(activations[1]) channels"
        if otherCin == activations[1] {
            message += "; read as \(other.axes) they match: give --layout \(other.rawValue)"
            if other == .torch { message += " (PyTorch stores an nn.ConvTranspose2d weight as [Cin, Cout, h, w])" }
        }
        throw ValidationError(message)
    }

    /// Says that Cin = Cout leaves the layout to the user, and which one was assumed.
    static func ambiguityNote(channels: Int, layout: WeightLayout) -> String {
        "note: Cin = Cout = \(channels), so the weights' shape cannot tell the layouts apart; read as \(layout.axes) "
            + "(--layout \(layout.rawValue))"
            + (layout == .outIn
                ? ". A PyTorch nn.ConvTranspose2d weight is [Cin, Cout, h, w]: for one, give --layout torch"
                : ", PyTorch's nn.ConvTranspose2d layout")
    }

    /// The undefined pairs, grouped: a dead activation channel once for its whole column, then each zero filter;
    /// at most `limit` lines (the rest are counted; --json lists them all).
    static func undefinedSummary(_ r: LayerSDR, limit: Int = 10) -> String {
        var lines: [String] = []
        var columns: [Int: [LayerSDR.UndefinedPair]] = [:]
        for pair in r.undefined where pair.cause == .activation { columns[pair.in, default: []].append(pair) }
        for c in columns.keys.sorted() {
            let pairs = columns[c]!
            lines.append("  \(pairs.count) pairs (·, \(c)): \(pairs[0].reason)")
        }
        for pair in r.undefined where pair.cause == .filter {
            lines.append("  pair (\(pair.out), \(pair.in)): \(pair.reason)")
        }
        let shown = lines.prefix(limit)
        let rest = lines.count - shown.count
        return "undefined (out, in) pairs, left out of the statistics and the histogram:\n"
            + shown.joined(separator: "\n") + (rest > 0 ? "\n  … \(rest) more lines (--json lists every pair)" : "")
    }

    /// One line a bin, with a bar of # proportional to its count.
    static func textHistogram(_ r: LayerSDR) -> String {
        let top = max(1, r.histogram.max() ?? 1)
        var lines: [String] = []
        if r.underflow > 0 { lines.append(String(format: "       < %6.3f  %6d", r.binEdges[0], r.underflow)) }
        // The bins from the first to the last non-empty one.
        let first = r.histogram.firstIndex { $0 > 0 } ?? 0, last = r.histogram.lastIndex { $0 > 0 } ?? -1
        for j in first..<(last + 1) {
            let count = r.histogram[j]
            let bar = String(repeating: "#", count: Int((Double(count) / Double(top) * 40).rounded(.up)))
            lines.append(String(format: "[%6.3f, %6.3f)  %6d  ", r.binEdges[j], r.binEdges[j + 1], count) + bar)
        }
        if r.overflow > 0 { lines.append(String(format: "      >= %6.3f  %6d", r.binEdges.last!, r.overflow)) }
        return lines.joined(separator: "\n")
    }

    /// The histogram as a filled step curve, with a dashed line at SDR = 1 (the S-generic value).
    static func plot(_ r: LayerSDR, title: String, subtitle: String) -> SVGPlot {
        var xs: [Double] = [], ys: [Double] = []
        for (j, count) in r.histogram.enumerated() {
            xs += [r.binEdges[j], r.binEdges[j + 1]]
            ys += [Double(count), Double(count)]
        }
        let top = Double(r.histogram.max() ?? 1)
        var bars = SVGPlot.Series(name: "channel pairs per bin", color: SVGPlot.palette[2], xs: xs, ys: ys)
        bars.lower = ys.map { _ in 0 }
        bars.upper = ys
        var generic = SVGPlot.Series(name: "SDR = 1 (generic)", color: "#d62728", xs: [1, 1], ys: [0, top * 1.05])
        generic.dash = "6,4"
        let panel = SVGPlot.Panel(
            title: "histogram of the strided SDR (eq. 24)", xLabel: "SDR", yLabel: "channel pairs",
            series: [bars, generic], xRange: r.binEdges.first!...r.binEdges.last!, yRange: 0...(max(1, top) * 1.1))
        return SVGPlot(title: title, subtitle: subtitle, panels: [panel], columns: 1, panelWidth: 720, panelHeight: 420)
    }
}

/// Writes a report file atomically (a killed run never leaves half a file).
func writeReport(_ text: String, to path: String) throws {
    do { try AtomicFile.write(text, to: path) } catch { throw ValidationError("cannot write \(path): \(error)") }
}
