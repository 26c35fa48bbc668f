/// The largest buffer a user's input may make the program allocate, checked before anything is
/// allocated, with overflow-safe products: a size that overflows `Int` is "more than Int.max", never a trap.
public struct SizeLimit: Sendable, Equatable {
    /// The most elements (Doubles, or entries of a count) one array may hold.
    public var maxElements: Int

    /// 2²⁷ elements: 1 GiB of Doubles per array.
    public static let defaultMaxElements = 1 << 27
    public static let `default` = SizeLimit(maxElements: defaultMaxElements)

    public init(maxElements: Int) { self.maxElements = maxElements }

    /// The product of `dimensions`, or nil when it overflows `Int` (or a dimension is negative).
    public static func product(_ dimensions: [Int]) -> Int? {
        var total = 1
        for n in dimensions {
            guard n >= 0 else { return nil }
            let (p, overflow) = total.multipliedReportingOverflow(by: n)
            if overflow { return nil }
            total = p
        }
        return total
    }

    /// The number of elements of an array of shape `dimensions`, named `what` in the error when it is
    /// above the limit or overflows.
    @discardableResult
    public func elements(_ dimensions: [Int], of what: String) throws(SizeLimitError) -> Int {
        guard let n = SizeLimit.product(dimensions), n <= maxElements else {
            throw SizeLimitError(
                what: what, dimensions: dimensions, elements: SizeLimit.product(dimensions),
                limit: maxElements)
        }
        return n
    }

    /// A count (cases, seeds, steps, repetitions) checked against the limit.
    @discardableResult
    public func count(_ n: Int, of what: String) throws(SizeLimitError) -> Int {
        try elements([n], of: what)
    }
}

/// A size above the stated limit: what it was, how big, and the limit (`--max-elements` raises it).
public struct SizeLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    public let what: String
    public let dimensions: [Int]
    /// nil when the product overflows `Int` (or a dimension is negative).
    public let elements: Int?
    public let limit: Int

    public var description: String {
        let shape = dimensions.count == 1 ? "\(dimensions[0])" : dimensions.map(String.init).joined(separator: " × ")
        let size = elements.map { "\($0) elements" } ?? "more elements than a 64-bit integer can count"
        if dimensions.count == 1, let n = elements {
            return "\(what) is \(n), above the limit of \(limit) (raise it with --max-elements)"
        }
        return
            "\(what) of shape \(shape) would hold \(size), above the limit of \(limit) (raise it with --max-elements)"
    }
}
