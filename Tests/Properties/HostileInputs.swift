import Foundation
import Oracle
import Reference

/// Generators of hostile inputs for the parser fuzzing (`ParserFuzzTests`): token soups, mutations of
/// valid inputs (insertions, replacements, deletions, truncations, duplications), boundary integers,
/// and builders of valid `.npy` files, replay strings, corpus entries and shard results to mutate.
enum Hostile {
    // MARK: Building blocks

    /// Integers at the edges of the machine's arithmetic (and a few small ones).
    static let integers: [Int] = [
        0, 1, -1, 2, 3, 7, 100, 101, 255, 256, 65_535, 65_536, Int(Int32.max), 4_294_967_295, 4_294_967_296,
        -4_294_967_296, 1 << 53, 1 << 60, 1 << 61, 1 << 62, Int.max - 1, Int.max, Int.min, Int.min + 1,
    ]

    /// The same integers, and the ones just past `Int`, as decimal text.
    static let integerTexts: [String] =
        integers.map(String.init)
        + [
            "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
            "99999999999999999999999999", "00", "007", "-0", "+0", "+5",
        ]

    /// Text made of `tokens`: up to `max` of them, joined.
    static func text(_ tokens: [String], max: Int) -> Gen<String> {
        Gen.array(of: Gen.element(of: tokens), count: 0...max).map { $0.joined() }
    }

    /// An integer from `integers` or a small one.
    static let integer: Gen<Int> = Gen.oneOf(Gen.element(of: integers), Gen.int(in: -3...40))

    /// A run of `n` copies of one digit (huge numbers cost two choices).
    static let digitRun: Gen<String> = Gen.zip(Gen.int(in: 1...3000), Gen.element(of: Array("0123456789")))
        .map { String(repeating: $0.1, count: $0.0) }

    /// Decimal digits: small, long, or at an integer boundary.
    static let digits: Gen<String> = Gen.weighted(
        (4, Gen.int(in: 0...999).map(String.init)),
        (1, digitRun),
        (2, Gen.element(of: integerTexts.filter { $0.allSatisfy(\.isNumber) })))

    /// `items` with up to `maxMutations` edits, each inserting, replacing, deleting, truncating at or
    /// duplicating around a position; `insertion` gives the inserted material.
    static func mutated<E>(_ base: Gen<[E]>, insertion: Gen<[E]>, maxMutations: Int = 4) -> Gen<[E]> {
        Gen { source in
            var items = try base.run(&source)
            let edits = try Gen.int(in: 0...maxMutations).run(&source)
            for _ in 0..<edits {
                let operation = try Gen.int(in: 0...4).run(&source)
                let at = try Gen.int(in: 0...items.count).run(&source)
                switch operation {
                case 0: items.insert(contentsOf: try insertion.run(&source), at: at)
                case 1:
                    let piece = try insertion.run(&source)
                    items.replaceSubrange(at..<min(items.count, at + 1), with: piece)
                case 2:
                    let length = try Gen.int(in: 1...8).run(&source)
                    items.removeSubrange(at..<min(items.count, at + length))
                case 3: items.removeSubrange(at...)
                default:
                    let length = try Gen.int(in: 1...16).run(&source)
                    items.insert(contentsOf: Array(items[at..<min(items.count, at + length)]), at: at)
                }
            }
            return items
        }
    }

    /// A string with character-level mutations (`tokens` are inserted).
    static func mutated(_ base: Gen<String>, tokens: [String], maxMutations: Int = 4) -> Gen<String> {
        mutated(
            base.map { $0.map(String.init) }, insertion: Gen.element(of: tokens).map { [$0] },
            maxMutations: maxMutations
        ).map { $0.joined() }
    }

    /// Whitespace, controls, non-ASCII digits, combining marks, astral and private-use characters.
    static let oddCharacters = [
        " ", "\t", "\n", "\r\n", "\u{0}", "\u{7F}", "\u{A0}", "\u{2028}", "\u{FEFF}", "é",
        "e\u{301}", "١", "٣", "０", "９", "½", "²", "∞", "𝟙", "😀", "\u{E000}", "\u{10FFFF}",
    ]

    // MARK: Numbers and text arguments

    /// Characters of rationals, and their near misses.
    static let numberTokens =
        [
            "0", "1", "2", "5", "9", "-", "+", ".", "e", "E", "/", "x", "X", ",", "e-", "e+", "1e",
            "100000", "100001", "-100001", "nan", "NaN", "inf", "Infinity", "0x", "0x1p3", "_", "'",
        ]
        + oddCharacters + integerTexts

    /// A number as `Rational(parsing:)` may read it: sign, digits, fraction, exponent (each optional).
    static let decimalText: Gen<String> = Gen { source in
        let sign = try Gen.element(of: ["", "", "-", "+", "--", "+-"]).run(&source)
        let whole = try Gen.oneOf(Gen.constant(""), digits).run(&source)
        let fraction = try Gen.weighted(
            (2, Gen.constant("")), (2, digits.map { "." + $0 }),
            (1, Gen.constant("."))
        ).run(&source)
        let exponent = try Gen.weighted(
            (3, Gen.constant("")),
            (3, Gen.int(in: -40...40).map { "e\($0)" }),
            (
                2,
                Gen.element(of: [
                    "e100000", "E-100000", "e100001", "e-100001", "e+7", "E+", "e", "e1.5",
                    "e-9223372036854775808", "e9223372036854775807", "e-9223372036854775807",
                    "e18446744073709551616",
                ])
            ),
            (1, digits.map { "e-" + $0 })
        ).run(&source)
        return sign + whole + fraction + exponent
    }

    /// `p/q` with boundary or long numerators and denominators, and malformed variants.
    static let fractionText: Gen<String> = Gen.zip(
        Gen.element(of: ["", "-", "+"]), digits, Gen.element(of: ["/", "/-", "/+", "//", " / "]), digits
    ).map { $0.0 + $0.1 + $0.2 + $0.3 }

    /// Anything `Rational(parsing:)` might be handed.
    static let numberText: Gen<String> = Gen.weighted(
        (4, decimalText),
        (3, fractionText),
        (2, text(numberTokens, max: 12)),
        (3, mutated(Gen.oneOf(decimalText, fractionText), tokens: numberTokens)),
        (
            1,
            Gen.zip(Gen.element(of: oddCharacters), decimalText, Gen.element(of: oddCharacters))
                .map { $0.0 + $0.1 + $0.2 }
        ))

    /// Characters of kernel shapes (`D`, `DxD'`).
    static let shapeTokens =
        ["0", "1", "3", "5", "x", "X", "×", "xx", "-", "+", " ", "\t", ",", "*", "٣", "３"]
        + integerTexts

    /// A kernel shape: valid, boundary or mangled.
    static let shapeText: Gen<String> = Gen.weighted(
        (3, Gen.zip(Gen.int(in: 0...9), Gen.int(in: 0...9)).map { "\($0.0)x\($0.1)" }),
        (
            2,
            Gen.zip(
                Gen.element(of: integerTexts), Gen.element(of: ["x", "X", "", "x "]), Gen.element(of: integerTexts)
            )
            .map { $0.0 + $0.1 + $0.2 }
        ),
        (3, text(shapeTokens, max: 8)),
        (2, mutated(Gen.int(in: 1...20).map { "\($0)x\($0)" }, tokens: shapeTokens)))

    /// Characters of comma-separated Double lists (`--bins`, `--gammas`).
    static let doubleTokens = [
        "0", "1", "0.5", "-", "+", ".", "e", "E", "5", ",", ", ", " ", "\t", "nan", "-nan",
        "inf", "-infinity", "1e400", "-1e400", "1e-400", "4.9e-324", "0x1p3", "0x", "1_0", "１",
        "_",
    ]

    /// A comma-separated list of Doubles: valid (round-trips) or mangled.
    static let doublesText: Gen<String> = Gen.weighted(
        (
            2,
            Gen.array(of: Gen.int(in: -1000...1000).map { String(Double($0) / 8) }, count: 1...6)
                .map { $0.joined(separator: ",") }
        ),
        (3, text(doubleTokens, max: 12)),
        (2, mutated(Gen.constant("0,0.1,0.2,3"), tokens: doubleTokens)))

    /// Characters of seeds (decimal or 0x-hex).
    static let seedTokens = [
        "0", "1", "9", "a", "f", "F", "g", "0x", "0X", "x", "-", "+", " ", "_", "ffffffffffffffff",
        "10000000000000000", "18446744073709551615", "18446744073709551616", "٣",
    ]

    // MARK: Shards and replays

    /// `i/n` with boundary integers, and mangled variants.
    static let shardText: Gen<String> = Gen.weighted(
        (3, Gen.zip(integer, integer).map { "\($0.0)/\($0.1)" }),
        (2, Gen.zip(Gen.element(of: integerTexts), Gen.element(of: integerTexts)).map { "\($0.0)/\($0.1)" }),
        (2, text(["0", "1", "3", "/", "//", "-", "+", " ", "\n", "٣", "9223372036854775807", "4294967296"], max: 6)))

    /// A choice: small, at a power-of-two boundary, or anything.
    static let choice: Gen<UInt64> = Gen.weighted(
        (4, Gen.int(in: 0...300).map { UInt64($0) }),
        (2, Gen.int(in: 0...63).map { UInt64(1) << UInt64($0) }),
        (1, Gen.element(of: [UInt64.max, UInt64.max - 1, UInt64(Int.max), UInt64(Int.max) + 1])))

    /// A replay as the engine writes it (size 0…100, as every phase records it).
    static let replay: Gen<Replay> = Gen.zip(
        Gen.oneOf(Gen.int(in: 0...1000).map { UInt64($0) }, choice), Gen.int(in: 0...100),
        Gen.array(of: choice, count: 0...40)
    ).map { Replay(seed: $0.0, size: $0.1, choices: $0.2) }

    /// LEB128 varints that no encoder writes: overlong, too wide, unterminated.
    static let hostileVarints: [[UInt8]] = [
        [0x80, 0x00], [0x80, 0x80, 0x00], [0xFF, 0x00], [0x80], [0xFF, 0xFF],
        Array(repeating: 0xFF, count: 9) + [0x01], Array(repeating: 0xFF, count: 9) + [0x02],
        Array(repeating: 0xFF, count: 10) + [0x01], Array(repeating: 0x80, count: 20) + [0x01],
        Array(repeating: 0xFF, count: 9) + [0x7F],
    ]

    /// Unsigned LEB128, written here independently of the engine.
    static func leb128(_ values: [UInt64]) -> [UInt8] {
        var out: [UInt8] = []
        for var v in values {
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }
        return out
    }

    /// Unpadded base64url, written here independently of the engine.
    static func base64url(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = bytes[i..<min(bytes.count, i + 3)]
            var n = 0
            for (k, b) in chunk.enumerated() { n |= Int(b) << (16 - 8 * k) }
            for k in 0...chunk.count { out.append(alphabet[(n >> (18 - 6 * k)) & 63]) }
            i += 3
        }
        return out
    }

    static let replayTokens =
        [
            ".", "..", "v1", "v0", "v2", "V1", "v1.", "=", "==", "+", "/", "-", "_", "A", "AAAA",
            "gA", "_w", "__", "0", "9", "f", "F", "g", "ffffffffffffffff", "FFFFFFFFFFFFFFFF", "100",
            "101", "999999999", "1000000000", "9223372036854775807", "-1", "AA=", "gICAgICAgICAgAE",
        ]
        + oddCharacters

    /// A replay string: valid, with hostile fields, or mutated.
    static let replayText: Gen<String> = Gen.weighted(
        (3, replay.map(\.encoded)),
        (
            3,
            Gen { source in
                let seed = try Gen.weighted(
                    (3, replay.map { Property.hex($0.seed) }),
                    (1, text(["0", "f", "F", "g", "-", "x", " "], max: 18))
                ).run(&source)
                let size = try Gen.weighted(
                    (3, Gen.int(in: 0...100).map(String.init)), (2, Gen.element(of: integerTexts)),
                    (1, Gen.element(of: ["", "1e2", "0x10", " 5", "٣", "999999999", "1000000000"]))
                )
                .run(&source)
                var bytes = leb128(try Gen.array(of: choice, count: 0...6).run(&source))
                let hostile = try Gen.array(of: Gen.element(of: hostileVarints), count: 0...2).run(&source)
                for varint in hostile {
                    bytes.insert(contentsOf: varint, at: try Gen.int(in: 0...bytes.count).run(&source))
                }
                let version = try Gen.weighted((6, Gen.constant("v1")), (1, Gen.element(of: ["v2", "", "V1", "v1 "])))
                    .run(&source)
                return "\(version).\(seed).\(size).\(base64url(bytes))"
            }
        ),
        (3, mutated(replay.map(\.encoded), tokens: replayTokens)),
        (1, text(replayTokens, max: 10)))

    // MARK: .npy files

    /// A `.npy` file, the limit it is read with, and the values a correct reader returns (nil when the
    /// file is not valid or not within the limit).
    struct NumpyCase: Sendable, JSONRenderable {
        var bytes: [UInt8]
        var limit: Int
        var expected: [Double]?
        var json: JSONValue {
            .object([
                "bytes": .string(bytes.map { String(format: "%02x", $0) }.joined()), "limit": .int(limit),
                "expected": expected.map { .array($0.map(JSONValue.number)) } ?? .null,
            ])
        }
    }

    /// The dtypes the reader knows (the first `knownTypes`, with an encoder) and some it does not.
    static let numpyTypes: [(descr: String, width: Int)] = [
        ("<f8", 8), ("f8", 8), ("<f4", 4), ("f4", 4), ("<i8", 8), ("i8", 8), ("<i4", 4), ("i4", 4), ("<i2", 2),
        ("i2", 2), ("|i1", 1), ("i1", 1), ("|u1", 1), ("u1", 1), (">f8", 8), (">f4", 4), ("<f2", 2), (">f2", 2),
        ("<V2", 2), ("|V2", 2), (">i8", 8), (">i2", 2), ("<u2", 2), (">u4", 4), ("<u8", 8), ("|b1", 1), ("=f8", 8),
        ("<c16", 16), ("|O", 8), ("<U3", 12), ("", 8), ("<f8'", 8), ("<F8", 8), ("|f8", 8), ("<V4", 4), ("<f16", 16),
    ]
    static let knownTypes = 27

    /// The bytes of `value` in a known dtype, in its byte order (nil for the others).
    static func encode(_ value: Int, descr: String) -> [UInt8]? {
        let big = descr.hasPrefix(">")
        func bytes<T: FixedWidthInteger>(_ x: T) -> [UInt8] {
            withUnsafeBytes(of: big ? x.bigEndian : x.littleEndian, Array.init)
        }
        let body = descr.drop(while: { "<>|=".contains($0) })
        // '|' (no byte order) is for one-byte types and ml_dtypes' bfloat16 only.
        if descr.hasPrefix("|") && !["i1", "u1", "b1", "V2"].contains(body) { return nil }
        switch body {
        case "f8": return bytes(Double(value).bitPattern)
        case "f4": return bytes(Float(value).bitPattern)
        case "f2": return bytes(Float16(Float(value)).bitPattern)  // exact: |value| ≤ 100 < 2^11
        case "V2": return bytes(UInt16(Float(value).bitPattern >> 16))  // bfloat16, exact for |value| < 2^8
        case "i8": return bytes(Int64(value))
        case "i4": return bytes(Int32(value))
        case "i2": return bytes(Int16(value))
        case "i1": return bytes(Int8(value))
        case "u8": return bytes(UInt64(value & 0x7F))
        case "u4": return bytes(UInt32(value & 0x7F))
        case "u2": return bytes(UInt16(value & 0x7F))
        case "u1": return bytes(UInt8(value & 0x7F))
        case "b1": return bytes(UInt8(value & 1))
        default: return nil
        }
    }

    /// The value `encode(value, descr:)` stores.
    static func decoded(_ value: Int, descr: String) -> Double {
        if descr.hasSuffix("b1") { return Double(value & 1) }
        return descr.dropFirst(descr.count - 2).hasPrefix("u") ? Double(value & 0x7F) : Double(value)
    }

    /// Shape entries as text: small, at a boundary, or malformed.
    static let numpyDimension: Gen<String> = Gen.weighted(
        (6, Gen.int(in: 0...4).map(String.init)),
        (
            2,
            Gen.element(of: [
                "4294967296", "9223372036854775807", "9223372036854775808", "2305843009213693952",
                "4611686018427387904", "1152921504606846976", "-1", "-4294967296", "3L", "65536",
            ])
        ),
        (1, Gen.element(of: ["", " ", "(2", "2)", "((3,),)", "3.0", "1e3", "0x10", "٣", "None", "'3'"])))

    /// The shape tuple text: `(a, b, …)` as numpy writes it, or a malformed one.
    static let numpyShape: Gen<(text: String, dims: [Int]?)> = Gen { source in
        let parts = try Gen.array(of: numpyDimension, count: 0...4).run(&source)
        let style = try Gen.weighted((8, Gen.constant(0)), (1, Gen.int(in: 1...5))).run(&source)
        let joined = parts.joined(separator: ", ")
        let text: String
        switch style {
        case 0: text = "(" + joined + (parts.count == 1 ? ",)" : ")")
        case 1: text = "(" + parts.joined(separator: " ") + ")"
        case 2: text = "[" + joined + "]"
        case 3: text = joined
        case 4: text = "((" + joined + "),)"
        default: text = "(" + joined
        }
        let dims = parts.map { Int($0) }
        let plain = style == 0 && dims.allSatisfy { $0 != nil && $0! >= 0 && $0! <= 4 }
        return (text, plain ? dims.map { $0! } : nil)
    }

    /// A `.npy` file built field by field (version, header length, dict, data), then perhaps mutated byte by byte.
    static let numpy: Gen<NumpyCase> = Gen { source in
        let version = try Gen.weighted(
            (3, Gen.constant(UInt8(1))), (2, Gen.element(of: [UInt8(2), 3])),
            (1, Gen.element(of: [UInt8(0), 4, 255]))
        ).run(&source)
        let type = try Gen.weighted(
            (6, Gen.element(of: Array(numpyTypes.prefix(knownTypes)))),
            (1, Gen.element(of: numpyTypes))
        ).run(&source)
        let fortran = try Gen.weighted((6, Gen.constant("False")), (1, Gen.element(of: ["True", "0", "false", ""])))
            .run(&source)
        let shape = try numpyShape.run(&source)
        let keys = try Gen.weighted(
            (8, Gen.constant(["'descr'", "'fortran_order'", "'shape'"])),
            (
                1,
                Gen.element(of: [
                    ["'descr'", "'shape'"],
                    ["\"descr\"", "'fortran_order'", "'shape'"],
                    ["'descr'", "'fortran_order'", "'shapes'"],
                ])
            )
        ).run(&source)
        let fields = ["descr": "'\(type.descr)'", "fortran_order": fortran, "shape": shape.text, "shapes": shape.text]
        let header = "{" + keys.map { "\($0): \(fields[String($0.dropFirst().dropLast())] ?? "0"), " }.joined() + "}"
        let prefixLength = version == 1 ? 10 : 12
        let padding = (64 - (prefixLength + header.utf8.count + 1) % 64) % 64
        let headerBytes = Array((header + String(repeating: " ", count: padding) + "\n").utf8)
        // Data: the right values for a plain shape and a known dtype, else a few arbitrary bytes.
        var data: [UInt8] = []
        var values: [Double]?
        if let dims = shape.dims, let count = SizeLimit.product(dims), count <= 64,
            encode(0, descr: type.descr) != nil
        {
            let ints = try Gen.array(of: Gen.int(in: -100...100), count: count...count).run(&source)
            data = ints.flatMap { encode($0, descr: type.descr)! }
            values = ints.map { decoded($0, descr: type.descr) }
        } else {
            data = try Gen.array(of: Gen.int(in: 0...255).map { UInt8($0) }, count: 0...64).run(&source)
        }
        var lengthField = headerBytes.count
        if try Gen.weighted((6, Gen.constant(false)), (1, Gen.constant(true))).run(&source) {
            lengthField = try Gen.element(of: [
                0, 1, 0xFFFF, 0x8000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
                headerBytes.count + 1, headerBytes.count - 1,
            ]).run(&source)
        }
        let lengthBytes: [UInt8] = (0..<(version == 1 ? 2 : 4)).map { UInt8((lengthField >> (8 * $0)) & 0xFF) }
        var bytes = [0x93] + Array("NUMPY".utf8) + [version, 0] + lengthBytes + headerBytes + data
        let limit = try Gen.weighted((4, Gen.constant(64)), (1, Gen.element(of: [0, 1, 1 << 27, Int.max])))
            .run(&source)
        let valid =
            [UInt8(1), 2, 3].contains(version) && fortran == "False" && keys.contains("'descr'")
            && keys.contains("'shape'") && lengthField == headerBytes.count
        let clean = try mutated(Gen.constant(bytes), insertion: numpyInsertion, maxMutations: 3).run(&source)
        let mutatedFile = clean != bytes
        bytes = clean
        let fits = values.map { $0.count <= limit } ?? false
        return NumpyCase(bytes: bytes, limit: limit, expected: valid && fits && !mutatedFile ? values : nil)
    }

    /// What byte mutations of `.npy` files insert: single bytes, boundary bytes, header fragments.
    static let numpyInsertion: Gen<[UInt8]> = Gen.weighted(
        (3, Gen.int(in: 0...255).map { [UInt8($0)] }),
        (2, Gen.element(of: [[0x00], [0xFF], [0x7F], [0x80], [0xFF, 0xFF, 0xFF, 0xFF], [0x93], [0x0A]])),
        (
            2,
            Gen.element(of: [
                "(", ")", ",", "'", "L", "-", "4294967296", "9223372036854775807", "'shape': (",
                "'descr': '<f8'", "True", "\\", "\u{FFFD}", "é",
            ]).map { Array($0.utf8) }
        ))

    // MARK: JSON

    /// Characters of JSON text, and their near misses.
    static let jsonTokens = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\udc00", "\\u0000", "d800", "null", "true",
        "false", "nul", "0", "1", "-", "-0", "01", "1.", ".5", "1e", "1e999", "-1e999", "1E-400", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "NaN", "Infinity", " ", "\n", "\t", "\u{0}", "\u{1F}", "é",
        "\u{FFFD}", "😀", "\"a\"", "\"shape\"", "\"data\"",
    ]

    /// A JSON value: scalars (finite numbers), strings with escapes and odd characters, arrays and objects.
    static func jsonValue(depth: Int) -> Gen<JSONValue> {
        let scalars: [(weight: Int, gen: Gen<JSONValue>)] = [
            (2, Gen.constant(.null)), (2, Gen.bool.map(JSONValue.bool)), (4, integer.map(JSONValue.int)),
            (3, Gen.int(in: -1_000_000...1_000_000).map { .number(Double($0) / 64) }),
            (
                1,
                Gen.element(of: [1e300, -1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -0.0, 0.1])
                    .map(JSONValue.number)
            ),
            (
                4,
                text(
                    ["a", "b", "\"", "\\", "/", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "😀", "\u{2028}", "\u{FFFF}"],
                    max: 6
                ).map(JSONValue.string)
            ),
        ]
        guard depth > 0 else { return Gen.weighted(scalars) }
        let inner = jsonValue(depth: depth - 1)
        return Gen.weighted(
            scalars + [
                (3, Gen.array(of: inner, count: 0...4).map(JSONValue.array)),
                (
                    3,
                    Gen.array(of: Gen.zip(Gen.element(of: ["a", "b", "", "shape", "data", "a"]), inner), count: 0...4)
                        .map { .object($0.map { JSONValue.Member($0.0, $0.1) }) }
                ),
            ])
    }

    /// JSON text: serialized values, nesting far past any limit, token soups and mutated documents.
    static let jsonText: Gen<String> = Gen.weighted(
        (3, Gen.zip(jsonValue(depth: 3), Gen.bool).map { $0.0.serialized(pretty: $0.1) }),
        (
            2,
            Gen.zip(Gen.int(in: 0...20_000), Gen.element(of: ["[", "{\"a\":", "[{\"k\":"]), Gen.bool)
                .map { depth, open, close in
                    let closing = open == "[" ? "]" : open == "{\"a\":" ? "}" : "}]"
                    let tail = close ? String(repeating: closing, count: depth) : ""
                    return String(repeating: open, count: depth) + "1" + tail
                }
        ),
        (2, text(jsonTokens, max: 16)),
        (3, mutated(jsonValue(depth: 3).map { $0.serialized() }, tokens: jsonTokens)))

    /// A boundary or wrong-typed JSON value, to replace a node of a document with.
    static let hostileJSON: Gen<JSONValue> = Gen.weighted(
        (4, integer.map(JSONValue.int)),
        (
            3,
            Gen.element(of: [
                "0/9223372036854775807", "9223372036854775806/9223372036854775807", "1/2", "0/1", "3/2",
                "", "v1.0000000000000000.100.", "v1.0000000000000000.999999999.AA", "18446744073709551615",
                "18446744073709551616", "-1", "exhaustive", "random", "corpus", "replay", "generatedCases",
                "symbolicIdentity", "holds", "refuted", "skipped", "exact", "tested", "proved", "NaN",
            ])
            .map(JSONValue.string)
        ),
        (
            2,
            Gen.element(of: [
                JSONValue.null, .bool(true), .bool(false), .array([]), .object([]), .number(1e308),
                .number(-0.0), .number(0.5), .array([.int(Int.max), .int(Int.max)]),
                .array([.int(Int.max), .int(-1)]),
            ])
        ),
        (1, jsonValue(depth: 2)))

    /// The nodes of a document in pre-order (the root is 0).
    static func nodeCount(_ value: JSONValue) -> Int {
        switch value {
        case let .array(items): 1 + items.reduce(0) { $0 + nodeCount($1) }
        case let .object(members): 1 + members.reduce(0) { $0 + nodeCount($1.value) }
        default: 1
        }
    }

    /// `value` with node `target` (pre-order) replaced by `replacement`, or removed from its parent when
    /// `replacement` is nil.
    static func replacing(_ value: JSONValue, node target: Int, with replacement: JSONValue?) -> JSONValue {
        var counter = target
        func walk(_ v: JSONValue) -> JSONValue? {
            if counter == 0 { counter = -1; return replacement }
            counter -= 1
            switch v {
            case let .array(items): return .array(items.compactMap { counter < 0 ? $0 : walk($0) })
            case let .object(members):
                return .object(
                    members.compactMap { m in
                        if counter < 0 { return m }
                        return walk(m.value).map { JSONValue.Member(m.key, $0) }
                    })
            default: return v
            }
        }
        return walk(value) ?? .null
    }

    /// The documents of a campaign's shards, each claiming to be shard i of `count` shards (a count past the
    /// number of documents, up to `Int.max`), sometimes.
    static func recounted(_ documents: [JSONValue]) -> Gen<[JSONValue]> {
        Gen { source in
            let recount = try Gen.weighted((3, Gen.constant(false)), (1, Gen.constant(true))).run(&source)
            guard recount else { return documents }
            let count = try Gen.element(of: [documents.count + 1, 1 << 40, Int.max - 1, Int.max]).run(&source)
            return documents.enumerated().map { i, document in
                .object(document.objectMembers.map { $0.key == "shard" ? .init($0.key, .string("\(i)/\(count)")) : $0 })
            }
        }
    }

    /// Up to two of the documents, each with up to `maxEdits` nodes replaced or removed (often none, so that
    /// merges also get past the parsing).
    static func mutatedDocuments(_ documents: [JSONValue], maxEdits: Int = 3) -> Gen<[JSONValue]> {
        Gen { source in
            var documents = documents
            guard !documents.isEmpty else { return documents }
            for _ in 0..<(try Gen.int(in: 0...2).run(&source)) {
                let i = try Gen.int(in: 0...(documents.count - 1)).run(&source)
                documents[i] = try mutatedDocument(documents[i], maxEdits: maxEdits).run(&source)
            }
            return documents
        }
    }

    /// Up to `maxEdits` nodes of a document replaced by hostile values or removed.
    static func mutatedDocument(_ document: JSONValue, maxEdits: Int = 3) -> Gen<JSONValue> {
        Gen { source in
            var doc = document
            for _ in 0..<(try Gen.int(in: 0...maxEdits).run(&source)) {
                let node = try Gen.int(in: 0...(nodeCount(doc) - 1)).run(&source)
                let removal = try Gen.weighted((4, Gen.constant(false)), (1, Gen.constant(true))).run(&source)
                doc = replacing(doc, node: node, with: removal ? nil : try hostileJSON.run(&source))
            }
            return doc
        }
    }
}
