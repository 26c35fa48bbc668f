import ArgumentParser
import MechanismCommon
import Fast
import Foundation
import Oracle
import Reference

/// `oracle bench WORKLOAD`: timed workloads with inputs any peer can rebuild bit for bit from SplitMix64
/// (output j of stream `seed` is mix(seed + (j+1)·0x9E3779B97F4A7C15); a double in [−1,1) is
/// (z >> 11)·2⁻⁵³·2 − 1; an integer in [−r, r] is (z mod (2r+1)) − r). See bench/ for the peers.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Benchmark a workload (layer, layer-large, fft1d, exact-sdr) after an untimed warm-up (none for "
            + "layer-large); prints timings and a checksum.")

    enum Workload: String, ExpressibleByArgument, CaseIterable {
        case layer, layerLarge = "layer-large", fft1d, exactSDR = "exact-sdr"
    }

    @Argument(help: "layer | layer-large | fft1d | exact-sdr") var workload: Workload
    @Option(parsing: .unconditional, help: "SplitMix64 stream seed.") var seed = SeedArgument(0)
    @Option(name: .customLong("repeat"), parsing: .unconditional, help: "Timed repetitions.") var repetitions: Int = 5
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var limits: LimitOptions
    // layer
    @Option(parsing: .unconditional, help: "layer: input channels.") var cin: Int = 64
    @Option(parsing: .unconditional, help: "layer: output channels.") var cout: Int = 32
    @Option(parsing: .unconditional, help: "layer: batch size B.") var batch: Int = 64
    @Option(parsing: .unconditional, help: "layer: output map size n.") var map: Int = 16
    @Option(parsing: .unconditional, help: "layer: stride s (activations are n/s × n/s).") var stride: Int = 2
    @Option(parsing: .unconditional, help: "layer: kernel size h (h × h).") var kernel: Int = 5
    // fft1d / exact-sdr
    @Option(parsing: .unconditional, help: "fft1d / exact-sdr: length D.") var d: Int = 101
    @Option(
        name: [.customLong("count"), .customLong("pairs")], parsing: .unconditional,
        help: "fft1d: rows; exact-sdr: pairs (--pairs 1: a single pair).") var count: Int = 10_000
    @Flag(help: "fft1d: use the real-input transform (two rows per complex FFT) instead of the complex one.") var real =
        false

    func validate() throws {
        try require(repetitions, atLeast: 1, "--repeat")
        for (value, flag) in [
            (d, "--d"), (count, "--count"), (cin, "--cin"), (cout, "--cout"), (batch, "--batch"),
            (map, "--map"), (stride, "--stride"), (kernel, "--kernel"),
        ] {
            try require(value, atLeast: 1, flag)
        }
        let limit = limits.limit
        try checked { () throws(SizeLimitError) in
            try limit.count(repetitions, of: "--repeat")
            switch workload {
            case .layer:
                try limit.elements([cout, cin, kernel, kernel], of: "the weights [Cout, Cin, h, h]")
                try limit.elements([batch, cin, map / stride, map / stride], of: "the activations [B, Cin, n/s, n/s]")
            case .layerLarge:
                try limit.elements([cout, cin, kernel, kernel], of: "the weights [Cout, Cin, h, h]")
                try limit.elements([12, cin, map / stride, map / stride], of: "the activation statistics")
                try limit.count(batch, of: "--batch")
            case .fft1d: try limit.elements([count, d], of: "the batch [count, d]")
            case .exactSDR: try limit.elements([2, count, d], of: "the kernels [2·count, d]")
            }
        }
    }

    func run() throws {
        var extra: [String: JSONValue] = [:]
        // `seconds`: the time to report when the task times itself (layer-large leaves input generation out).
        let task: () throws -> (checksum: Double?, text: String?, seconds: Double?)
        let startRSS = Self.peakRSS()
        switch workload {
        case .layer:
            guard map % stride == 0 else { throw ValidationError("--stride \(stride) does not divide --map \(map)") }
            let m = map / stride
            let (w, x) = Self.layerInputs(
                seed: seed.value, cin: cin, cout: cout, batch: batch, map: map, stride: stride, kernel: kernel)
            extra = [
                "cin": .int(cin), "cout": .int(cout), "batch": .int(batch), "map": .int(map),
                "stride": .int(stride), "kernel": .int(kernel),
            ]
            let (cout, cin, batch, kernel, stride, map) = (cout, cin, batch, kernel, stride, map)
            task = {
                let result = try SDREstimators.layer(
                    weights: w, weightShape: [cout, cin, kernel, kernel], activations: x,
                    activationShape: [batch, cin, m, m], stride: stride, map: map)
                return (result.sdr.reduce(0, +), nil, nil)
            }
        case .layerLarge:
            guard map % stride == 0 else { throw ValidationError("--stride \(stride) does not divide --map \(map)") }
            extra = [
                "cin": .int(cin), "cout": .int(cout), "batch": .int(batch), "map": .int(map),
                "stride": .int(stride), "kernel": .int(kernel),
            ]
            let (cout, cin, batch, kernel, stride, map) = (cout, cin, batch, kernel, stride, map)
            task = {
                let (checksum, seconds) = try Self.streamedLayer(
                    seed: seed.value, cin: cin, cout: cout, batch: batch, map: map, stride: stride, kernel: kernel)
                return (checksum, nil, seconds)
            }
        case .fft1d:
            var rng = SplitMix64(seed: seed.value)
            let x = (0..<(count * d)).map { _ in Self.unitDouble(rng.next()) }
            extra = [
                "d": .int(d), "count": .int(count), "path": .string(real ? "real" : "complex"),
                "algorithm": .string(FFTPlanCache.shared.plan(d).algorithm),
            ]
            let (d, count, real) = (d, count, real)
            // Buffers reused across repetitions, as the FFTW peer reuses its aligned arrays.
            var re = [Double](repeating: 0, count: real ? count * (d / 2 + 1) : x.count), im = re
            task = {
                var total = 0.0
                if real {
                    try FFT.realForward(batch: x, rows: count, length: d, re: &re, im: &im)
                    let h = d / 2 + 1
                    for row in 0..<count {
                        for u in 0..<h {
                            let p = re[row * h + u] * re[row * h + u] + im[row * h + u] * im[row * h + u]
                            total += (u == 0 || (d % 2 == 0 && u == d / 2)) ? p : 2 * p
                        }
                    }
                } else {
                    re.withUnsafeMutableBufferPointer { r in
                        im.withUnsafeMutableBufferPointer { i in
                            _ = r.update(fromContentsOf: x)
                            i.update(repeating: 0)
                        }
                    }
                    try FFT.forward(batchRe: &re, batchIm: &im, rows: count, length: d)
                    for i in re.indices { total += re[i] * re[i] + im[i] * im[i] }
                }
                return (total, nil, nil)
            }
        case .exactSDR:
            var rng = SplitMix64(seed: seed.value)
            let (count, d) = (self.count, self.d)
            var kernels: [[Int]] = []
            for _ in 0..<(2 * count) { kernels.append((0..<d).map { _ in Self.integer(rng.next(), 100) }) }
            extra = ["d": .int(d), "count": .int(count)]
            task = {
                var lines: [String] = []
                lines.reserveCapacity(count)
                for j in 0..<count {
                    let rho = try SpectralDensityRatio.ratio(integer: kernels[2 * j], kernels[2 * j + 1], columns: d)
                    lines.append("\(rho.numerator)/\(rho.denominator)")
                }
                return (nil, lines.joined(separator: "\n"), nil)
            }
        }
        // An untimed warm-up, but for layer-large (its runs take seconds, and its peak memory is the point).
        var outcome: (checksum: Double?, text: String?, seconds: Double?) =
            workload == .layerLarge ? (nil, nil, nil) : try task()
        var times: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            outcome = try task()
            times.append(outcome.seconds ?? Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        times.sort()
        let median =
            times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        var fields: [JSONValue.Member] = [
            .init("workload", .string(workload.rawValue)), .init("median_s", .number(median)),
            .init("min_s", .number(times.first!)), .init("max_s", .number(times.last!)),
        ]
        if let c = outcome.checksum { fields.append(.init("checksum", .number(c))) }
        if let text = outcome.text {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            fields.append(.init("checksum", .string(SHA256.hex(Array(text.utf8)))))
            fields.append(.init("first", .string(String(lines.first ?? ""))))
        }
        fields += [
            .init("repeat", .int(repetitions)), .init("seed", .string(String(seed.value))),
            .init("impl", .string("swift")),
        ]
        fields += extra.sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, $0.value) }
        var exceeded: String?
        if workload == .layerLarge {
            let peak = Self.peakRSS(),
                bound =
                    startRSS
                    + Self.streamedLayerBound(
                        cin: cin, cout: cout, map: map / stride,
                        kernel: kernel)
            fields += [
                .init("peak_rss_mib", .number(Double(peak) / 1_048_576)),
                .init("bound_mib", .number(Double(bound) / 1_048_576)),
            ]
            if peak > bound {
                exceeded =
                    "layer-large: peak memory \(peak / 1_048_576) MiB exceeds its bound of \(bound / 1_048_576) MiB "
                    + "(the RSS at start + 8 bytes × (Cout·Cin·(h² + 1) + 16·Cin·m²) + 32 MiB)"
            }
        }
        if json {
            emit(JSONValue.object(fields).serialized())
        } else {
            let checksum = fields.first { $0.key == "checksum" }.map { $0.value.serialized() } ?? "-"
            emit(
                "\(workload.rawValue): median \(String(format: "%.6f", median)) s (min "
                    + "\(String(format: "%.6f", times.first!)), max \(String(format: "%.6f", times.last!)), "
                    + "\(repetitions) runs); checksum \(checksum)"
            )
        }
        if let exceeded {
            FileHandle.standardError.write(Data((exceeded + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// The layer workload's inputs: W [Cout, Cin, h, h] first, then X [B, Cin, n/s, n/s], C order, from one stream.
    static func layerInputs(seed: UInt64, cin: Int, cout: Int, batch: Int, map: Int, stride: Int, kernel: Int) -> (
        weights: [Double], activations: [Double]
    ) {
        let m = map / stride
        var rng = SplitMix64(seed: seed)
        let w = (0..<(cout * cin * kernel * kernel)).map { _ in unitDouble(rng.next()) }
        let x = (0..<(batch * cin * m * m)).map { _ in unitDouble(rng.next()) }
        return (w, x)
    }

    /// The layer workload's SDRs with the activations streamed: W as `layerInputs` draws it, then each map
    /// stack X[b] [Cin, n/s, n/s] drawn from the same stream in turn, added to the statistics and dropped — the
    /// checksum of `layer` on the same inputs, bit for bit. Returns it and the seconds spent outside generation.
    static func streamedLayer(
        seed: UInt64, cin: Int, cout: Int, batch: Int, map: Int, stride: Int, kernel: Int
    ) throws -> (checksum: Double, seconds: Double) {
        let m = map / stride
        var rng = SplitMix64(seed: seed)
        let w = (0..<(cout * cin * kernel * kernel)).map { _ in unitDouble(rng.next()) }
        var stack = [Double](repeating: 0, count: cin * m * m)
        var nanoseconds: UInt64 = 0
        func timed<T>(_ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { nanoseconds += DispatchTime.now().uptimeNanoseconds - start }
            return try body()
        }
        var statistics = try timed { try LayerActivationStatistics(channels: cin, rows: m, columns: m) }
        for _ in 0..<batch {
            for k in stack.indices { stack[k] = unitDouble(rng.next()) }
            try timed { try stack.withUnsafeBufferPointer { try statistics.add($0) } }
        }
        let result = try timed {
            try SDREstimators.layer(
                weights: w, weightShape: [cout, cin, kernel, kernel], statistics: &statistics, stride: stride,
                map: map)
        }
        return (result.sdr.reduce(0, +), Double(nanoseconds) * 1e-9)
    }

    /// The bound `layer-large` checks its peak memory against, in bytes beyond the RSS at its start: the weights
    /// and the matrix, 8·Cout·Cin·(h² + 1), and 8·16·Cin·m² for the streamed activations (one map stack drawn,
    /// 12·Cin·m² of `LayerActivationStatistics`, the spectra and autocorrelations of the layer), plus 32 MiB —
    /// linear in Cin·m², whatever the batch.
    static func streamedLayerBound(cin: Int, cout: Int, map m: Int, kernel: Int) -> Int {
        8 * (cout * cin * (kernel * kernel + 1) + 16 * cin * m * m) + 32 << 20
    }

    /// The peak resident set size of this process so far, in bytes (getrusage's ru_maxrss).
    static func peakRSS() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// (z >> 11)·2⁻⁵³·2 − 1 ∈ [−1, 1).
    static func unitDouble(_ z: UInt64) -> Double { Double(z >> 11) * 0x1p-53 * 2 - 1 }

    /// (z mod (2r+1)) − r ∈ [−r, r].
    static func integer(_ z: UInt64, _ r: Int) -> Int { Int(z % UInt64(2 * r + 1)) - r }
}

/// SHA-256 (FIPS 180-4), for the exact-sdr checksum.
enum SHA256 {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
        ]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for i in (0..<8).reversed() { data.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for t in 0..<16 {
                w[t] = (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(data[chunk + 4 * t + $1]) }
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h = [h[0] &+ a, h[1] &+ b, h[2] &+ c, h[3] &+ d, h[4] &+ e, h[5] &+ f, h[6] &+ g, h[7] &+ hh]
        }
        return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
    }

    static func hex(_ message: [UInt8]) -> String {
        hash(message).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }
}
