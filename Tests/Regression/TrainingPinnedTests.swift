import Testing
import Fast

/// Pinned numbers of the training simulations (Sources/Fast/Training) for fixed seeds, as exact Double bit
/// patterns: every step uses only IEEE-754 basic operations, so these are the same on every platform.
@Suite struct TrainingPinnedTests {
    static func hex(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16) }

    static func values() -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        var rng = FastRandom(seed: 2021)
        out["uniform"] = (0..<3).map { _ in rng.uniform() }
        out["normal"] = (0..<3).map { _ in rng.normal() }
        var drift = Training.DriftConfig()
        drift.seeds = 2; drift.steps = 1000; drift.seed = 42
        let sgd = Training.drift(drift, algorithm: .sgd), asgd = Training.drift(drift, algorithm: .asgd)
        out["sgd"] = [sgd.a[0].last!, sgd.b[0].last!, sgd.a[1].last!, sgd.b[1].last!]
        out["asgd"] = [asgd.a[0].last!, asgd.b[0].last!, asgd.a[1].last!, asgd.b[1].last!]
        var b12 = Training.B12Config()
        b12.seeds = 2; b12.steps = 500; b12.checkpoints = 5; b12.seed = 7
        let curves = Training.b12(b12)
        out["b12"] = curves.flatMap { [$0.sdr.last![0], $0.cosine1.last![1], $0.cosine2.last![0]] }
        var fourier = Training.FourierDriftConfig()
        fourier.seeds = 1; fourier.steps = 500; fourier.seed = 5
        let f = Training.fourierDrift(fourier)
        out["fourier"] = f.modulus1[0].last! + f.modulus2[0].last!
        let ctgd = Training.ctgd(a0: 0.5, b0: 2.5, c: 1, until: 10)
        out["ctgd"] = ctgd.y + [Double(ctgd.accepted), Double(ctgd.rejected)]
        return out
    }

    static let pinned: [String: [String]] = [
        "asgd": ["0x4003a8be9cf03fac", "0x3fd8bce412f81f98", "0x3fd20a1a95f4021c", "0x400d1e48e3e539ac"],
        "b12": [
            "0x3ff3c50e301f4beb", "0x3faae0dae255b960", "0x3fc8bbe53e69c31c", "0x3ff14fd5551563b4",
            "0x3fabd9901f1e7160", "0x3fc98d9bfb81d374", "0x3ff051243dfa11ea", "0x3fb02f80ecd386a8",
            "0x3fca448694b5d980",
        ],
        "ctgd": ["0x3fd9c814e6a08632", "0x4003dbf12434329f", "0x4061400000000000", "0x3ff0000000000000"],
        "fourier": [
            "0x3ffdcb1725a47b41", "0x3fd07e89899dc327", "0x4003978c3102a841", "0x4003978c3102a841",
            "0x3fd07e89899dc327", "0x3ff3689906aaa268", "0x3facff6af66fded4", "0x3fdab2b33b5a82d7",
            "0x3fdab2b33b5a82d7", "0x3facff6af66fded4",
        ],
        "normal": ["0xbfc85f6a1b01b33b", "0xbfea92fa484c3942", "0xbf9cef96122fd9c3"],
        "sgd": ["0x4003d245f790a10f", "0x3fd881ca8766ddc4", "0x3fdd02ef37bb186c", "0x40032d3e6d25ba72"],
        "uniform": ["0x3fd0ac3b00583288", "0x3fefb1b902f2dc70", "0x3fe08c8cc1bdd051"],
    ]

    @Test func trainingPinnedBitPatterns() {
        let values = Self.values()
        for key in values.keys.sorted() {
            let got = values[key]!.map(Self.hex)
            if let expected = Self.pinned[key] {
                #expect(got == expected, "\(key): \(got) (values \(values[key]!))")
            } else {
                Issue.record("unpinned \(key): \(got) = \(values[key]!)")
            }
        }
    }
}
