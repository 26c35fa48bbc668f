import Foundation
import MechanismCommon
import Oracle
import Testing

/// The `.npy` reader against files numpy wrote: every dtype (float16, bfloat16 in ml_dtypes' and the raw form,
/// float32/64, bool, every integer width signed and unsigned), both byte orders and both memory orders, read
/// exactly. The committed files of Tests/Fixtures/npy run everywhere; the full set is written by
/// Tests/Fixtures/npy/make_fixtures.py where python3 has numpy.
@Suite struct ArrayFileTests {
    static let fixtures = OracleBinary.root.appendingPathComponent("Tests/Fixtures/npy")

    /// Reads every file of `directory`'s expected.json and compares shape and values bit for bit.
    static func checkDirectory(_ directory: URL) throws -> Int {
        let table = try JSONValue(
            parsing: String(contentsOf: directory.appendingPathComponent("expected.json"), encoding: .utf8))
        guard case let .object(members) = table else {
            Issue.record("expected.json is not an object")
            return 0
        }
        for member in members {
            guard case let .array(shapeItems)? = member.value["shape"],
                case let .array(valueItems)? = member.value["values"],
                case let .bool(raw)? = member.value["rawBFloat16"]
            else {
                Issue.record("malformed entry \(member.key)")
                continue
            }
            let shape = shapeItems.compactMap { if case let .int(n) = $0 { n } else { nil } }
            let values = valueItems.compactMap { if case let .string(s) = $0 { Double(s) } else { nil } }
            let path = directory.appendingPathComponent(member.key + ".npy").path
            let array = try DoubleArray.read(path, options: DoubleArray.ReadOptions(rawBFloat16: raw))
            #expect(array.shape == shape, "\(member.key)")
            #expect(array.values.map(\.bitPattern) == values.map(\.bitPattern), "\(member.key)")
        }
        return members.count
    }

    @Test func committedFixturesReadExactly() throws {
        #expect(try Self.checkDirectory(Self.fixtures) >= 7)
    }

    @Test(.enabled(if: OracleBinary.python(has: "numpy"), "needs python3 with numpy to write the full set"))
    func everyDtypeByteOrderAndMemoryOrderNumpyWritesReadsExactly() throws {
        let directory = try OracleBinary.temporaryDirectory("npy-fixtures")
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = Self.fixtures.appendingPathComponent("make_fixtures.py").path
        let result = try OracleBinary.run("/usr/bin/env", ["python3", script, directory.path])
        try #require(result.status == 0, "\(result.stderr)")
        // 12 dtypes: 4 one-byte ones in one order, 8 in two; each in C and Fortran order; the bfloat16 forms.
        #expect(try Self.checkDirectory(directory) >= 2 * (4 + 2 * 8) + 3)
    }

    /// A `.npy` file built by hand: header dict, padded as numpy pads it, then `data`.
    static func npy(_ descr: String, fortran: String = "False", shape: String, data: [UInt8]) -> [UInt8] {
        let header = "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
        let padding = (64 - (10 + header.utf8.count + 1) % 64) % 64
        let text = Array((header + String(repeating: " ", count: padding) + "\n").utf8)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
    }

    @Test func halfAndBfloatDecodeEveryClassOfValue() throws {
        // float16: 1, the smallest subnormal 2^-24, the largest finite 65504, −0, +inf, a NaN; big-endian.
        let half = try DoubleArray.fromNumpy(
            Self.npy(">f2", shape: "(6,)", data: [0x3C, 0, 0, 1, 0x7B, 0xFF, 0x80, 0, 0x7C, 0, 0x7E, 0]), path: "h.npy")
        #expect(half.values.prefix(5).map(\.bitPattern) == [1, 0x1p-24, 65504, -0.0, .infinity].map(\.bitPattern))
        #expect(half.values[5].isNaN)
        // bfloat16 as ml_dtypes saves it ('<V2') and raw ('<u2' with the option): 1.5 and −2^-133.
        let bf: [UInt8] = [0xC0, 0x3F, 0x00, 0x80 | 0x00]
        let v2 = try DoubleArray.fromNumpy(Self.npy("<V2", shape: "(2,)", data: bf), path: "b.npy")
        #expect(v2.values == [1.5, -0.0])
        let raw = try DoubleArray.fromNumpy(
            Self.npy("<u2", shape: "(2,)", data: [0xC0, 0x3F, 0x01, 0x80]), path: "r.npy",
            options: .init(rawBFloat16: true))
        #expect(raw.values == [1.5, -0x1p-133])
        // Without the option the same file holds integers.
        let ints = try DoubleArray.fromNumpy(Self.npy("<u2", shape: "(2,)", data: [0xC0, 0x3F, 0x01, 0x80]), path: "u")
        #expect(ints.values == [16320, 32769])
    }

    @Test func fortranOrderIsConvertedToCOrder() throws {
        // [[0, 1, 2], [3, 4, 5]] stored column-major: 0 3 1 4 2 5.
        let f = try DoubleArray.fromNumpy(
            Self.npy("|u1", fortran: "True", shape: "(2, 3)", data: [0, 3, 1, 4, 2, 5]), path: "f.npy")
        #expect(f.shape == [2, 3] && f.values == [0, 1, 2, 3, 4, 5])
        // A [2, 2, 2] array: element (i, j, k) at i + 2j + 4k in the file.
        let file: [UInt8] = (0..<8).map { (f: Int) -> UInt8 in
            let i: Int = f % 2, j: Int = (f / 2) % 2, k: Int = f / 4
            return UInt8(4 * i + 2 * j + k)
        }
        let cube = try DoubleArray.fromNumpy(Self.npy("|i1", fortran: "True", shape: "(2, 2, 2)", data: file), path: "")
        #expect(cube.values == (0..<8).map(Double.init))
    }

    @Test func refusalsNameTheProblemAndWhatIsValid() throws {
        func error(_ bytes: [UInt8]) -> String {
            do {
                _ = try DoubleArray.fromNumpy(bytes, path: "x.npy")
                return "read"
            } catch { return error.description }
        }
        // 2^64 − 1 is not a float64: refused, not rounded.
        let big = error(Self.npy("<u8", shape: "(1,)", data: [UInt8](repeating: 0xFF, count: 8)))
        #expect(big.contains("18446744073709551615") && big.contains("exactly"), "\(big)")
        // 2^63 (a power of two) is.
        #expect(
            try DoubleArray.fromNumpy(Self.npy(">u8", shape: "(1,)", data: [0x80, 0, 0, 0, 0, 0, 0, 0]), path: "")
                .values == [0x1p63])
        let complex = error(Self.npy("<c16", shape: "(1,)", data: [UInt8](repeating: 0, count: 16)))
        #expect(complex.contains("'<c16' is not supported") && complex.contains("unsigned"), "\(complex)")
        #expect(!complex.contains("signed integer type"))
        let order = error(Self.npy("<f8", fortran: "maybe", shape: "(1,)", data: [UInt8](repeating: 0, count: 8)))
        #expect(order.contains("'fortran_order' is maybe"), "\(order)")
        let noOrder = error(Self.npy("|f8", shape: "(1,)", data: [UInt8](repeating: 0, count: 8)))
        #expect(noOrder.contains("not supported"), "\(noOrder)")
    }

    @Test func torchLayoutSwapsTheChannelAxes() {
        // [Cin = 2, Cout = 3, 1, 2]: W_torch[i, o, 0, k] = 100i + 10o + k.
        var values: [Double] = []
        for i in 0..<2 { for o in 0..<3 { for k in 0..<2 { values.append(Double(100 * i + 10 * o + k)) } } }
        let torch = DoubleArray(shape: [2, 3, 1, 2], values: values)
        let w = WeightLayout.torch.outInWeights(torch)
        #expect(w.shape == [3, 2, 1, 2])
        for o in 0..<3 {
            for i in 0..<2 { for k in 0..<2 { #expect(w.values[(o * 2 + i) * 2 + k] == Double(100 * i + 10 * o + k)) } }
        }
        #expect(WeightLayout.outIn.outInWeights(torch) == torch)
        #expect(WeightLayout.isAmbiguous([4, 4, 3, 3]) && !WeightLayout.isAmbiguous([4, 2, 3, 3]))
    }
}
