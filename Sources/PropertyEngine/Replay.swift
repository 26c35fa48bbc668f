/// A copy-pastable handle on one test case: `v1.<seed hex>.<size>.<choices>` where `<seed hex>`
/// is the run's seed (16 lowercase hex digits), `<size>` the decimal size parameter the case was
/// generated at, and `<choices>` the choice sequence as unsigned LEB128 varints in unpadded
/// base64url (empty for no choices). Example: `v1.000000000000002a.37.AWQ`. Every phase of a run records
/// a size in 0…`ChoiceSource.maxSize`, so a replay string with a larger size is refused.
public struct Replay: Sendable, Hashable, CustomStringConvertible {
    public var seed: UInt64
    public var size: Int
    public var choices: [UInt64]

    public init(seed: UInt64, size: Int, choices: [UInt64]) {
        self.seed = seed
        self.size = size
        self.choices = choices
    }

    /// The replay string.
    public var encoded: String {
        let hex = String(seed, radix: 16)
        return "v1." + String(repeating: "0", count: 16 - hex.count) + hex + ".\(size)."
            + Replay.base64url(Replay.leb128(choices))
    }

    public var description: String { encoded }

    /// Parses a replay string (surrounding whitespace is ignored). Never traps.
    public init(parsing text: String) throws(ReplayError) {
        let trimmed = Replay.trimmed(text)
        let fields = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard let version = fields.first, version == "v1" else {
            throw .unsupportedVersion(String(fields.first ?? ""))
        }
        guard fields.count == 4 else { throw .wrongFieldCount(fields.count) }
        guard fields[1].count == 16, fields[1].allSatisfy(\.isHexDigit), let seed = UInt64(fields[1], radix: 16) else {
            throw .invalidSeed(String(fields[1]))
        }
        guard !fields[2].isEmpty, fields[2].count <= 9, fields[2].allSatisfy({ $0.isASCII && $0.isNumber }),
            let size = Int(fields[2]), size <= ChoiceSource.maxSize
        else { throw .invalidSize(String(fields[2])) }
        let bytes = try Replay.decodeBase64url(fields[3])
        self.init(seed: seed, size: size, choices: try Replay.decodeLEB128(bytes))
    }

    // MARK: Encoding helpers

    static func trimmed(_ text: String) -> Substring {
        var s = Substring(text)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }

    static func leb128(_ values: [UInt64]) -> [UInt8] {
        var out: [UInt8] = []
        for var v in values {
            repeat {
                var byte = UInt8(v & 0x7F)
                v >>= 7
                if v != 0 { byte |= 0x80 }
                out.append(byte)
            } while v != 0
        }
        return out
    }

    static func decodeLEB128(_ bytes: [UInt8]) throws(ReplayError) -> [UInt64] {
        var values: [UInt64] = []
        var i = 0
        while i < bytes.count {
            let start = i
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < bytes.count else { throw .invalidVarint(byteOffset: start) }
                let byte = bytes[i]
                i += 1
                let payload = UInt64(byte & 0x7F)
                if shift == 63 && payload > 1 { throw .invalidVarint(byteOffset: start) }
                value |= payload << shift
                if byte & 0x80 == 0 {
                    // Canonical form only: no redundant trailing zero groups.
                    if byte == 0 && i - start > 1 { throw .invalidVarint(byteOffset: start) }
                    break
                }
                shift += 7
                if shift > 63 { throw .invalidVarint(byteOffset: start) }
            }
            values.append(value)
        }
        return values
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64url(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [
                alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)],
                alphabet[Int(n & 63)],
            ]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeBase64url(_ text: Substring) throws(ReplayError) -> [UInt8] {
        var sextets: [UInt32] = []
        for (offset, c) in text.utf8.enumerated() {
            switch c {
            case 0x41...0x5A: sextets.append(UInt32(c - 0x41))
            case 0x61...0x7A: sextets.append(UInt32(c - 0x61 + 26))
            case 0x30...0x39: sextets.append(UInt32(c - 0x30 + 52))
            case UInt8(ascii: "-"): sextets.append(62)
            case UInt8(ascii: "_"): sextets.append(63)
            default: throw .invalidBase64(reason: "bad character at \(offset)")
            }
        }
        if sextets.count % 4 == 1 { throw .invalidBase64(reason: "impossible length \(sextets.count)") }
        var out: [UInt8] = []
        var i = 0
        while i + 4 <= sextets.count {
            let n = sextets[i] << 18 | sextets[i + 1] << 12 | sextets[i + 2] << 6 | sextets[i + 3]
            out += [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            i += 4
        }
        let rest = sextets.count - i
        if rest == 2 {
            guard sextets[i + 1] & 0x0F == 0 else { throw .invalidBase64(reason: "non-canonical tail") }
            out.append(UInt8((sextets[i] << 2 | sextets[i + 1] >> 4) & 0xFF))
        } else if rest == 3 {
            guard sextets[i + 2] & 0x03 == 0 else { throw .invalidBase64(reason: "non-canonical tail") }
            let n = sextets[i] << 18 | sextets[i + 1] << 12 | sextets[i + 2] << 6
            out += [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF)]
        }
        return out
    }
}

/// Why a replay string could not be parsed.
public enum ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedVersion(String)
    case wrongFieldCount(Int)
    case invalidSeed(String)
    case invalidSize(String)
    case invalidBase64(reason: String)
    case invalidVarint(byteOffset: Int)

    public var description: String {
        switch self {
        case let .unsupportedVersion(v): "replay string: unsupported version '\(v)' (expected v1)"
        case let .wrongFieldCount(n): "replay string: expected 4 dot-separated fields, found \(n)"
        case let .invalidSeed(s): "replay string: invalid seed '\(s)' (expected 16 hex digits)"
        case let .invalidSize(s): "replay string: invalid size '\(s)' (expected a decimal 0…\(ChoiceSource.maxSize))"
        case let .invalidBase64(reason): "replay string: invalid base64url choices (\(reason))"
        case let .invalidVarint(offset): "replay string: invalid LEB128 varint at byte \(offset)"
        }
    }
}
