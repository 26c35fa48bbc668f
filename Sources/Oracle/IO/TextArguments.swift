import Reference

/// Why a short text argument of the command line could not be read: names the option, what was wrong
/// and what is valid.
public struct TextArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option, e.g. `--shape`.
    public let option: String
    public let reason: String

    public init(option: String, reason: String) {
        self.option = option
        self.reason = reason
    }

    public var description: String { "\(option): \(reason)" }
}

/// The parsers of the short text arguments of `oracle`: comma-separated rationals (`--k1 1,-3/4,0.125`),
/// a kernel shape (`--shape 5` or `--shape 3x5`), comma-separated numbers (`--bins`, `--gammas`) and a
/// seed (`--seed 42` or `--seed 0x2a`). None of them traps: every malformed text is a `TextArgumentError`.
public enum TextArguments {
    /// The most bits the entries of one rational list may hold together (numerators plus denominators),
    /// 2²⁴ (2 MiB): a command line of short entries like `1e100000` must not allocate gigabytes.
    public static let maxRationalListBits = 1 << 24

    /// Comma-separated rationals, each as `Rational(parsing:)` reads it (`12`, `-3/4`, `0.125`, `1e-3`);
    /// an empty entry is an error.
    public static func rationals(_ text: String, option: String) throws(TextArgumentError) -> [Rational] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var values: [Rational] = []
        var bits = 0
        for (i, part) in parts.enumerated() {
            let value: Rational
            do { value = try Rational(parsing: String(part)) } catch {
                throw TextArgumentError(option: option, reason: "entry \(i + 1): \(error.description)")
            }
            bits += value.numerator.bitWidth + value.denominator.bitWidth
            guard bits <= maxRationalListBits else {
                throw TextArgumentError(
                    option: option,
                    reason: "the entries up to \(i + 1) take more than "
                        + "\(maxRationalListBits) bits together (give fewer or shorter numbers)")
            }
            values.append(value)
        }
        return values
    }

    /// A kernel shape: `D` (one row of D entries) or `DxD'` (D rows of D′ entries, row-major), each side a
    /// decimal integer of at least 1 (`X` is accepted for `x`; blanks around a side are ignored).
    public static func kernelShape(_ text: String, option: String = "--shape")
        throws(TextArgumentError) -> (rows: Int, columns: Int)
    {
        let sides = text.split(omittingEmptySubsequences: false) { $0 == "x" || $0 == "X" }
        func fail(_ why: String) -> TextArgumentError {
            TextArgumentError(option: option, reason: "\(quoted(text)) is not D or DxD' (e.g. 5 or 3x5): \(why)")
        }
        guard sides.count <= 2 else { throw fail("more than two sides") }
        var values: [Int] = []
        for side in sides {
            let trimmed = side.trimmingBlanks
            guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw fail("\(quoted(String(side))) is not a decimal integer")
            }
            guard let n = Int(trimmed) else { throw fail("\(quoted(String(trimmed))) is too large") }
            guard n >= 1 else { throw fail("each side must be at least 1") }
            values.append(n)
        }
        return values.count == 1 ? (1, values[0]) : (values[0], values[1])
    }

    /// Comma-separated finite numbers as `Double(_:)` reads them (`0`, `0.5`, `-1e-3`); blanks around an
    /// entry are ignored; an empty entry, a non-finite value or one below `minimum` is an error.
    public static func numbers(_ text: String, option: String, atLeast minimum: Double? = nil)
        throws(TextArgumentError) -> [Double]
    {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var values: [Double] = []
        for (i, part) in parts.enumerated() {
            let trimmed = part.trimmingBlanks
            guard let x = Double(trimmed), x.isFinite else {
                throw TextArgumentError(
                    option: option,
                    reason: "entry \(i + 1), \(quoted(String(part))), is not a finite number")
            }
            if let minimum, !(x >= minimum) {
                throw TextArgumentError(option: option, reason: "entry \(i + 1), \(x), is below \(minimum)")
            }
            values.append(x)
        }
        return values
    }

    /// A 64-bit unsigned seed: decimal (`42`) or `0x`-hex (`0x2a`).
    public static func seed(_ text: String, option: String = "--seed") throws(TextArgumentError) -> UInt64 {
        let lower = text.lowercased()
        let hex = lower.hasPrefix("0x")
        let digits = hex ? lower.dropFirst(2) : Substring(lower)
        let valid = !digits.isEmpty && digits.allSatisfy { $0.isASCII && (hex ? $0.isHexDigit : $0.isNumber) }
        guard valid, let value = UInt64(digits, radix: hex ? 16 : 10) else {
            throw TextArgumentError(
                option: option,
                reason: "\(quoted(text)) is not a seed: give an integer in "
                    + "0…\(UInt64.max), decimal or 0x-hex")
        }
        return value
    }

    /// The text in quotes, cut to 60 characters so that an error about a huge argument stays short.
    static func quoted(_ text: String) -> String {
        text.count <= 60 ? "\"\(text)\"" : "\"\(text.prefix(60))…\" (\(text.utf8.count) bytes)"
    }
}

extension Substring {
    /// Without leading and trailing blanks (spaces and tabs).
    var trimmingBlanks: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
