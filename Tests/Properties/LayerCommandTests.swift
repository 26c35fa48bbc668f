import Foundation
import Oracle
import Testing

/// `oracle layer` through the built executable: a result for every pair (an undefined one is null, an empty
/// cell and a counted line with its reason; `--strict` alone turns it into exit status 1), and PyTorch's
/// ConvTranspose2d layout (`--layout torch`, the ambiguity of Cin = Cout said in the output).
@Suite(.enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
struct LayerCommandTests {
    /// Writes `{"shape", "data"}` to `name` in `directory`.
    static func write(_ shape: [Int], _ data: [Double], to directory: URL, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try JSONValue.object(["shape": .array(shape.map { .int($0) }), "data": .array(data.map { .number($0) })])
            .serialized().write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// count values (i·a mod b) − b/2 rounded down, i = 0, 1, …: small integers, not all equal.
    static func pattern(_ count: Int, _ a: Int, _ b: Int) -> [Double] {
        (0..<count).map { (i: Int) -> Double in Double((i * a) % b - b / 2) }
    }

    /// A 3-in, 2-out layer (k = 2, stride 2, maps 2×2) with filter W[1, 0] zero and input channel 2 dead.
    static func deadLayer(in directory: URL) throws -> (weights: String, activations: String) {
        var w: [Double] = Self.pattern(24, 7, 5)
        for k in 12..<16 { w[k] = 0 }  // W[1, 0]
        var x: [Double] = Self.pattern(24, 3, 7)
        for k in 8..<12 { x[k] = 0; x[k + 12] = 0 }  // X[b, 2] for b = 0, 1
        return (
            try write([2, 3, 2, 2], w, to: directory, "W.json"), try write([2, 3, 2, 2], x, to: directory, "X.json")
        )
    }

    @Test func anUndefinedPairIsNullEmptyAndCountedNotAnAbort() throws {
        let directory = try OracleBinary.temporaryDirectory("layer-dead")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (w, x) = try Self.deadLayer(in: directory)
        let csv = directory.appendingPathComponent("m.csv").path
        let json = try OracleBinary.oracle(["layer", "--weights", w, "--activations", x, "--stride", "2", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try JSONValue(parsing: json.stdout)
        guard case let .array(rows)? = document["sdr"], rows.count == 2, case let .array(row1) = rows[1],
            case let .array(row0) = rows[0]
        else {
            Issue.record("no [2, 3] matrix: \(json.stdout)")
            return
        }
        #expect(row0[2] == .null && row1[0] == .null && row1[2] == .null)
        if case .number = row0[0] {} else { Issue.record("pair (0, 0) should be defined: \(row0[0])") }
        #expect(document["definedPairs"] == .int(3) && document["undefinedPairs"] == .int(3))
        guard case let .array(undefined)? = document["undefined"] else {
            Issue.record("no undefined list")
            return
        }
        #expect(
            undefined.map { [$0["out"], $0["in"], $0["cause"]] } == [
                [.int(0), .int(2), .string("activation")], [.int(1), .int(0), .string("filter")],
                [.int(1), .int(2), .string("activation")],
            ])
        let text = try OracleBinary.oracle(["layer", "--weights", w, "--activations", x, "--stride", "2", "--csv", csv])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("6 channel pairs, 3 defined, 3 undefined"), "\(text.stdout)")
        #expect(text.stdout.contains("2 pairs (·, 2): activation channel 2"), "\(text.stdout)")
        #expect(
            text.stdout.contains("pair (1, 0): the filter of output channel 1, input channel 0 has no power"),
            "\(text.stdout)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && lines[1].hasSuffix(",") && lines[2].hasPrefix("1,,") && lines[2].hasSuffix(","))
        let strict = try OracleBinary.oracle(["layer", "--weights", w, "--activations", x, "--stride", "2", "--strict"])
        #expect(strict.status == 1 && strict.stdout.contains("--strict: 3 undefined pairs"), "\(strict.stdout)")
        let fine = try OracleBinary.oracle(["layer", "--random", "--map", "8", "--stride", "2", "--strict"])
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    /// `--exact` certifies every pair against eq. (24) in rationals, under each convention: all certified, the worst
    /// error and the time in the JSON, and the summary in the text.
    @Test(arguments: [[], ["--all-frequencies"], ["--native-grid"]])
    func exactCertifiesEveryPair(convention: [String]) throws {
        let base = ["layer", "--random", "--cin", "3", "--cout", "2", "--batch", "3", "--kernel", "3", "--stride", "2"]
        let run = try OracleBinary.oracle(base + ["--map", "8", "--exact", "--json"] + convention)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONValue(parsing: run.stdout)
        #expect(json["exact"]?["pairs"] == .int(6) && json["exact"]?["certified"] == .int(6))
        #expect(json["exact"]?["worst"]?["relativeError"] != nil)
        let text = try OracleBinary.oracle(base + ["--map", "8", "--exact"] + convention)
        #expect(text.stdout.contains("exact: 6 of 6 pairs certified"), "\(text.stdout)")
    }

    @Test func torchLayoutIsReadAndTheAmbiguityIsSaid() throws {
        let directory = try OracleBinary.temporaryDirectory("layer-layout")
        defer { try? FileManager.default.removeItem(at: directory) }
        // ConvTranspose2d(3, 2): the weight is [Cin = 3, Cout = 2, 2, 2]; activations [B, 3, 2, 2].
        let torch = Self.pattern(24, 5, 7)
        let w = try Self.write([3, 2, 2, 2], torch, to: directory, "Wt.json")
        let x = try Self.write([2, 3, 2, 2], Self.pattern(24, 3, 7), to: directory, "X.json")
        let wrong = try OracleBinary.oracle(["layer", "--weights", w, "--activations", x, "--stride", "2"])
        #expect(wrong.status == 2 && wrong.stderr.contains("give --layout torch"), "\(wrong.stderr)")
        let read = try OracleBinary.oracle(
            ["layer", "--weights", w, "--activations", x, "--stride", "2", "--layout", "torch", "--json"])
        #expect(read.status == 0, "\(read.stderr)")
        // The same numbers as the weights transposed by hand into [Cout, Cin, h, w].
        let outIn = WeightLayout.torch.outInWeights(DoubleArray(shape: [3, 2, 2, 2], values: torch))
        let v = try Self.write(outIn.shape, outIn.values, to: directory, "W.json")
        let direct = try OracleBinary.oracle(["layer", "--weights", v, "--activations", x, "--stride", "2", "--json"])
        let a = try JSONValue(parsing: read.stdout), b = try JSONValue(parsing: direct.stdout)
        #expect(a["sdr"] == b["sdr"] && a["layout"] == .string("torch") && a["layoutAmbiguous"] == .bool(false))
        // Cin = Cout: either layout fits; the output says which was assumed.
        let square = try Self.write([3, 3, 2, 2], Self.pattern(36, 5, 7), to: directory, "S.json")
        let note = try OracleBinary.oracle(["layer", "--weights", square, "--activations", x, "--stride", "2"])
        #expect(note.stdout.contains("Cin = Cout = 3") && note.stdout.contains("give --layout torch"), "\(note.stdout)")
        let asTorch = try OracleBinary.oracle(
            ["layer", "--weights", square, "--activations", x, "--stride", "2", "--layout", "torch", "--json"])
        #expect(try JSONValue(parsing: asTorch.stdout)["layoutAmbiguous"] == .bool(true))
    }
}
