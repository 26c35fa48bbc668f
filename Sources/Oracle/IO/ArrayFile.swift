import Foundation
import MechanismCommon

/// Why an array file could not be read: the file is named, and so is what was wrong and what is valid.
public struct ArrayFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A dense array of Doubles in C (row-major) order with its shape, read from a NumPy `.npy` file or a
/// JSON file — how a researcher hands the oracle a layer's weights `[Cout, Cin, h, w]` and a batch of
/// activations `[B, Cin, m, m′]` (e.g. `np.save("W.npy", layer.weight.detach().numpy())`).
public struct DoubleArray: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    /// Reads `.npy` (format 1.0–3.0; little-endian `f8`, `f4`, `i8`, `i4`, `i2`, `i1`, `u1`; C order) or `.json`
    /// (`{"shape": [..], "data": [flat numbers]}`, or nested arrays of numbers) by the file's extension.
    /// Every shape is checked against `limit` (overflow-safe) before its values are decoded.
    public static func read(_ path: String, limit: SizeLimit = .default) throws(ArrayFileError) -> DoubleArray {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArrayFileError(path: path, reason: "cannot be read (no such file, or no permission)")
        }
        let bytes = [UInt8](data)
        if path.lowercased().hasSuffix(".json") { return try fromJSON(bytes, path: path, limit: limit) }
        if path.lowercased().hasSuffix(".npy") { return try fromNumpy(bytes, path: path, limit: limit) }
        throw ArrayFileError(
            path: path,
            reason:
                "unknown format: name a .npy file (numpy.save) or a .json file ({\"shape\": [...], \"data\": [...]})")
    }

    // MARK: NumPy .npy

    /// The `.npy` format: magic `\x93NUMPY`, version, header length (2 bytes in 1.0, 4 in 2.0/3.0),
    /// a Python dict literal with `descr`, `fortran_order` and `shape`, then the raw data.
    public static func fromNumpy(_ bytes: [UInt8], path: String, limit: SizeLimit = .default) throws(ArrayFileError)
        -> DoubleArray
    {
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
        if header.range(of: "'fortran_order': True") != nil {
            throw fail("Fortran-ordered arrays are not supported: save a C-ordered array (numpy.ascontiguousarray)")
        }
        guard let shape = pythonTuple(after: "'shape'", in: header) else {
            throw fail("the .npy header has no readable 'shape'")
        }
        let count: Int
        do { count = try limit.elements(shape, of: "the array") } catch { throw fail(error.description) }
        let width: Int
        let decode: (UnsafeRawBufferPointer, Int) -> Double
        switch descr {
        case "<f8", "f8":
            width = 8;
            decode = { Double(bitPattern: $0.loadUnaligned(fromByteOffset: $1 * 8, as: UInt64.self).littleEndian) }
        case "<f4", "f4":
            width = 4;
            decode = {
                Double(Float(bitPattern: $0.loadUnaligned(fromByteOffset: $1 * 4, as: UInt32.self).littleEndian))
            }
        case "<i8", "i8":
            width = 8;
            decode = { Double(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 8, as: Int64.self))) }
        case "<i4", "i4":
            width = 4;
            decode = { Double(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 4, as: Int32.self))) }
        case "<i2", "i2":
            width = 2;
            decode = { Double(Int16(littleEndian: $0.loadUnaligned(fromByteOffset: $1 * 2, as: Int16.self))) }
        case "|i1", "i1": width = 1; decode = { Double(Int8(bitPattern: $0[$1])) }
        case "|u1", "u1": width = 1; decode = { Double($0[$1]) }
        default:
            throw fail("dtype '\(descr)' is not supported: use little-endian float64, float32 or a signed integer type")
        }
        let start = headerStart + headerLength
        // count ≤ limit, but the limit may be as large as Int.max (--max-elements): the byte count can overflow.
        let (needed, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, bytes.count - start == needed else {
            let size = overflow ? "more than \(Int.max)" : "\(needed)"
            throw fail(
                "shape \(shape) of dtype '\(descr)' needs \(size) data bytes, "
                    + "the file has \(bytes.count - start)")
        }
        let values = bytes[start...].withUnsafeBytes { raw in (0..<count).map { decode(raw, $0) } }
        return DoubleArray(shape: shape, values: values)
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
