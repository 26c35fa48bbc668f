import Foundation
import MechanismCommon

/// Why an array file could not be read: the file is named, and so is what was wrong and what is valid.
public struct ArrayFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A dense array of Doubles in C (row-major) order with its shape, read from a NumPy `.npy` file or a
/// JSON file — how a researcher hands the oracle a layer's weights (`[Cout, Cin, h, w]`, or PyTorch's
/// ConvTranspose2d `[Cin, Cout, h, w]`) and a batch of activations `[B, Cin, m, m′]`
/// (e.g. `np.save("W.npy", layer.weight.detach().numpy())`).
public struct DoubleArray: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    /// Reads `.npy` (format 1.0–3.0; float16, bfloat16, float32, float64, bool and every signed and unsigned
    /// integer width, in either byte order and either memory order) or `.json` (`{"shape": [..], "data": [flat
    /// numbers]}`, or nested arrays of numbers) by the file's extension. Every value is read exactly: each of
    /// these types is a dyadic rational a float64 holds, and an integer beyond 2^53 that it cannot hold is an
    /// error, not a rounding. Every shape is checked against `limit` (overflow-safe) before its values are decoded.
    public static func read(_ path: String, limit: SizeLimit = .default, options: ReadOptions = ReadOptions())
        throws(ArrayFileError) -> DoubleArray
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArrayFileError(path: path, reason: "cannot be read (no such file, or no permission)")
        }
        let bytes = [UInt8](data)
        if path.lowercased().hasSuffix(".json") { return try fromJSON(bytes, path: path, limit: limit) }
        if path.lowercased().hasSuffix(".npy") {
            return try fromNumpy(bytes, path: path, limit: limit, options: options)
        }
        throw ArrayFileError(
            path: path,
            reason:
                "unknown format: name a .npy file (numpy.save) or a .json file ({\"shape\": [...], \"data\": [...]})")
    }

    // MARK: NumPy .npy

    /// The `.npy` format: magic `\x93NUMPY`, version, header length (2 bytes in 1.0, 4 in 2.0/3.0),
    /// a Python dict literal with `descr`, `fortran_order` and `shape`, then the raw data.
    public static func fromNumpy(
        _ bytes: [UInt8], path: String, limit: SizeLimit = .default, options: ReadOptions = ReadOptions()
    ) throws(ArrayFileError) -> DoubleArray {
        func fail(_ reason: String) -> ArrayFileError { ArrayFileError(path: path, reason: reason) }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("not a .npy file (missing the \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1: headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }; headerStart = 12
        default: throw fail(".npy format version \(major) is not supported (1, 2 and 3 are)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw fail(
                "truncated .npy header: it claims \(headerLength) bytes, "
                    + "the file has \(bytes.count - headerStart) after the prefix")
        }
        guard
            let header = String(
                bytes: bytes[headerStart..<(headerStart + headerLength)],
                encoding: major == 3 ? .utf8 : .isoLatin1)
        else {
            throw fail("the .npy header is not \(major == 3 ? "UTF-8" : "Latin-1") text")
        }
        guard let descr = pythonString(after: "'descr'", in: header) else {
            throw fail("the .npy header has no 'descr'")
        }
        let fortran: Bool
        switch pythonWord(after: "'fortran_order'", in: header) {
        case nil, "False"?: fortran = false
        case "True"?: fortran = true
        case let other?: throw fail("'fortran_order' is \(other), not True or False")
        }
        guard let shape = pythonTuple(after: "'shape'", in: header) else {
            throw fail("the .npy header has no readable 'shape'")
        }
        let count: Int
        do { count = try limit.elements(shape, of: "the array") } catch { throw fail(error.description) }
        guard let type = NumpyType(descr: descr, rawBFloat16: options.rawBFloat16) else {
            throw fail(
                "dtype '\(descr)' is not supported: use float16, bfloat16 ('<V2', as ml_dtypes saves it), float32, "
                    + "float64, bool, or a signed or unsigned integer of 1, 2, 4 or 8 bytes, in either byte order")
        }
        let start = headerStart + headerLength
        // count ≤ limit, but the limit may be as large as Int.max (--max-elements): the byte count can overflow.
        let (needed, overflow) = count.multipliedReportingOverflow(by: type.width)
        guard !overflow, bytes.count - start == needed else {
            let size = overflow ? "more than \(Int.max)" : "\(needed)"
            throw fail(
                "shape \(shape) of dtype '\(descr)' needs \(size) data bytes, "
                    + "the file has \(bytes.count - start)")
        }
        var values = [Double](repeating: 0, count: count)
        var inexact: (index: Int, value: String)?
        bytes[start...].withUnsafeBytes { raw in
            for i in 0..<count {
                var bits: UInt64 = 0
                for k in 0..<type.width {
                    let byte = UInt64(raw[i * type.width + (type.bigEndian ? k : type.width - 1 - k)])
                    bits = bits << 8 | byte
                }
                switch type.decode(bits) {
                case let .value(v): values[i] = v
                case let .inexact(text):
                    if inexact == nil { inexact = (i, text) }
                }
            }
        }
        if let inexact {
            throw fail(
                "item \(inexact.index) is \(inexact.value), which a float64 cannot hold exactly (beyond 2^53 it holds "
                    + "only integers of at most 53 significant bits): save the array as float64, or scale it down")
        }
        // Fortran order: the file holds the array column-major; the values are returned in C order.
        if fortran && shape.count > 1 { values = cOrder(fromFortran: values, shape: shape) }
        return DoubleArray(shape: shape, values: values)
    }

    /// How the reader decodes what is ambiguous in a file.
    public struct ReadOptions: Sendable, Equatable {
        /// 2-byte integer `.npy` files (`'<i2'`, `'<u2'`, either byte order) hold bfloat16 bit patterns — the
        /// raw form of a bfloat16 tensor, `t.view(torch.int16).numpy()` — rather than integers.
        public var rawBFloat16: Bool

        public init(rawBFloat16: Bool = false) { self.rawBFloat16 = rawBFloat16 }
    }

    /// A `.npy` element type: its width in bytes, byte order, and how its bits become a Double exactly.
    struct NumpyType {
        enum Kind { case float, bfloat, signed, unsigned, bool }
        enum Decoded { case value(Double), inexact(String) }
        let kind: Kind
        let width: Int
        let bigEndian: Bool

        /// `descr` as numpy writes it: a byte-order character (`<` little, `>` big, `|` not applicable, `=` the
        /// host's: little on every platform Swift runs this on), a kind and a width; `V2` is ml_dtypes' bfloat16.
        init?(descr: String, rawBFloat16: Bool) {
            var text = Substring(descr)
            var order: Character = "="
            if let first = text.first, "<>|=".contains(first) {
                order = first
                text = text.dropFirst()
            }
            guard let kindCharacter = text.first, let width = Int(text.dropFirst()), text.count >= 2 else { return nil }
            let kind: Kind
            switch (kindCharacter, width) {
            case ("f", 2), ("f", 4), ("f", 8): kind = .float
            case ("V", 2): kind = .bfloat
            case ("i", 2), ("u", 2): kind = rawBFloat16 ? .bfloat : (kindCharacter == "i" ? .signed : .unsigned)
            case ("i", 1), ("i", 4), ("i", 8): kind = .signed
            case ("u", 1), ("u", 4), ("u", 8): kind = .unsigned
            case ("b", 1): kind = .bool
            default: return nil
            }
            // A multi-byte type needs a byte order; '|' is numpy's mark for one-byte and void types.
            if order == "|" && width > 1 && kindCharacter != "V" { return nil }
            self.kind = kind
            self.width = width
            self.bigEndian = order == ">"
        }

        /// The element whose bits (in the type's width, most significant byte first) are `bits`.
        func decode(_ bits: UInt64) -> Decoded {
            switch kind {
            case .float:
                switch width {
                case 2: return .value(Self.half(UInt16(bits)))
                case 4: return .value(Double(Float(bitPattern: UInt32(bits))))
                default: return .value(Double(bitPattern: bits))
                }
            case .bfloat: return .value(Double(Float(bitPattern: UInt32(bits) << 16)))
            case .bool: return .value(bits == 0 ? 0 : 1)
            case .unsigned:
                return Double(exactly: bits).map(Decoded.value) ?? .inexact("\(bits)")
            case .signed:
                let shift = UInt64(64 - 8 * width)
                let value = Int64(bitPattern: bits << shift) >> Int64(shift)
                return Double(exactly: value).map(Decoded.value) ?? .inexact("\(value)")
            }
        }

        /// IEEE binary16 → Double, exactly (every half value, subnormals included, is a Double).
        static func half(_ h: UInt16) -> Double {
            let sign: Double = h & 0x8000 != 0 ? -1 : 1
            let exponent = Int((h >> 10) & 0x1F), mantissa = Double(h & 0x3FF)
            switch exponent {
            case 0: return sign * mantissa * 0x1p-24
            case 31: return mantissa == 0 ? sign * .infinity : .nan
            default: return sign * (1024 + mantissa) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
            }
        }
    }

    /// Values stored column-major (Fortran order) for `shape`, rearranged row-major (C order).
    static func cOrder(fromFortran values: [Double], shape: [Int]) -> [Double] {
        var out = [Double](repeating: 0, count: values.count)
        // Fortran strides: 1, d0, d0·d1, …; walk the C-order index with a counter.
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        var source = 0
        for target in 0..<values.count {
            out[target] = values[source]
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                source += strides[axis]
                if index[axis] < shape[axis] { break }
                source -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    /// The bare word after `key:` in a Python dict literal (`True`, `False`), up to a comma or brace.
    static func pythonWord(after key: String, in header: String) -> String? {
        guard let k = header.range(of: key) else { return nil }
        let rest = header[k.upperBound...].drop { $0 == ":" || $0 == " " }
        return String(rest.prefix { $0 != "," && $0 != "}" }).trimmingCharacters(in: .whitespaces)
    }

    /// The quoted string after `key:` in a Python dict literal.
    static func pythonString(after key: String, in header: String) -> String? {
        guard let k = header.range(of: key) else { return nil }
        let rest = header[k.upperBound...].drop { $0 == ":" || $0 == " " }
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        let body = rest.dropFirst()
        guard let end = body.firstIndex(of: quote) else { return nil }
        return String(body[..<end])
    }

    /// The tuple of integers after `key:` in a Python dict literal: `(3,)`, `(64, 32, 5, 5)`, `()`.
    static func pythonTuple(after key: String, in header: String) -> [Int]? {
        guard let k = header.range(of: key), let open = header[k.upperBound...].firstIndex(of: "("),
            let close = header[open...].firstIndex(of: ")")
        else { return nil }
        let items = header[header.index(after: open)..<close].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        .filter { !$0.isEmpty }
        var shape: [Int] = []
        for item in items {
            guard let n = Int(item.hasSuffix("L") ? String(item.dropLast()) : item), n >= 0 else { return nil }
            shape.append(n)
        }
        return shape
    }

    // MARK: JSON

    public static func fromJSON(_ bytes: [UInt8], path: String, limit: SizeLimit = .default) throws(ArrayFileError)
        -> DoubleArray
    {
        func fail(_ reason: String) -> ArrayFileError { ArrayFileError(path: path, reason: reason) }
        let value: JSONValue
        do { value = try JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) } catch { throw fail("\(error)") }
        if case .object = value {
            guard case let .array(shapeItems)? = value["shape"], case let .array(dataItems)? = value["data"] else {
                throw fail(
                    "a JSON object needs \"shape\" (an array of integers) and \"data\" (a flat array of numbers)")
            }
            var shape: [Int] = []
            for item in shapeItems {
                guard case let .int(n) = item, n >= 0 else { throw fail("\"shape\" must hold non-negative integers") }
                shape.append(n)
            }
            let count: Int
            do { count = try limit.elements(shape, of: "\"shape\"") } catch { throw fail(error.description) }
            guard dataItems.count == count else {
                throw fail("\"shape\" \(shape) needs \(count) numbers, \"data\" has \(dataItems.count)")
            }
            let values = try numbers(dataItems, path: path)
            return DoubleArray(shape: shape, values: values)
        }
        // Nested arrays: the shape is read off the nesting, which must be rectangular.
        var shape: [Int] = []
        var level = value
        while case let .array(items) = level {
            shape.append(items.count)
            guard let first = items.first else { break }
            level = first
        }
        do { try limit.elements(shape, of: "the nested array") } catch { throw fail(error.description) }
        var values: [Double] = []
        func flatten(_ v: JSONValue, depth: Int) throws(ArrayFileError) {
            if depth == shape.count {
                values += try numbers([v], path: path)
                return
            }
            guard case let .array(items) = v, items.count == shape[depth] else {
                throw fail("nested arrays are not rectangular (expected \(shape[depth]) items at depth \(depth))")
            }
            for item in items { try flatten(item, depth: depth + 1) }
        }
        try flatten(value, depth: 0)
        return DoubleArray(shape: shape, values: values)
    }

    static func numbers(_ items: [JSONValue], path: String) throws(ArrayFileError) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            switch item {
            case let .int(n): out.append(Double(n))
            case let .number(x): out.append(x)
            default:
                throw ArrayFileError(path: path, reason: "item \(i) is \(item.serialized().prefix(40)), not a number")
            }
        }
        return out
    }
}

/// How a conv-transpose layer's weights are laid out in a file.
public enum WeightLayout: String, Sendable, CaseIterable {
    /// `[Cout, Cin, h, w]`: output channel first (the oracle's own layout, and nn.Conv2d's).
    case outIn = "out-in"
    /// `[Cin, Cout, h, w]`: input channel first, as PyTorch stores an nn.ConvTranspose2d weight.
    case torch

    /// The layout's axes in words.
    public var axes: String { self == .outIn ? "[Cout, Cin, h, w]" : "[Cin, Cout, h, w]" }

    /// `weights` in this layout as `[Cout, Cin, h, w]` (the first two axes swapped for `.torch`).
    public func outInWeights(_ weights: DoubleArray) -> DoubleArray {
        guard self == .torch, weights.shape.count == 4 else { return weights }
        let (a, b, h, w) = (weights.shape[0], weights.shape[1], weights.shape[2], weights.shape[3])
        let block = h * w
        var values = [Double](repeating: 0, count: weights.values.count)
        for i in 0..<a {
            for j in 0..<b {
                let from = (i * b + j) * block, to = (j * a + i) * block
                for k in 0..<block { values[to + k] = weights.values[from + k] }
            }
        }
        return DoubleArray(shape: [b, a, h, w], values: values)
    }

    /// Whether a 4-axis weight shape reads the same way in both layouts' channel counts (Cin = Cout), so that
    /// nothing in the file tells the layouts apart.
    public static func isAmbiguous(_ shape: [Int]) -> Bool { shape.count == 4 && shape[0] == shape[1] }
}
