import MechanismCommon

/// A generator: a recipe that turns choices drawn from a `ChoiceSource` into a value.
/// Generators compose freely; shrinking and replay act on the choice sequence only, so they
/// work through `map`, `flatMap` and `filter` without per-type code.
public struct Gen<Value>: Sendable {
    @usableFromInline let body: @Sendable (inout ChoiceSource) throws -> Value

    @inlinable
    public init(_ body: @escaping @Sendable (inout ChoiceSource) throws -> Value) { self.body = body }

    /// Runs the generator against `source`.
    @inlinable
    public func run(_ source: inout ChoiceSource) throws -> Value { try body(&source) }

    /// Generates from `choices` (replay semantics: clamped, 0 past the end).
    @inlinable
    public func generate(replaying choices: [UInt64], size: Int = ChoiceSource.maxSize) throws -> Value {
        var source = ChoiceSource.replaying(choices, size: size)
        return try body(&source)
    }

    @inlinable
    public func map<T>(_ transform: @escaping @Sendable (Value) throws -> T) -> Gen<T> {
        Gen<T> { source in try transform(try self.body(&source)) }
    }

    /// Dependent generation: the second generator is chosen from the first value.
    @inlinable
    public func flatMap<T>(_ next: @escaping @Sendable (Value) throws -> Gen<T>) -> Gen<T> {
        Gen<T> { source in try next(try self.body(&source)).body(&source) }
    }

    /// Retries until `predicate` holds, at most `maxTries` times; then throws
    /// `GenerationError.filterTooStrict(label:tries:)`.
    @inlinable
    public func filter(
        _ label: String, maxTries: Int = 100,
        _ predicate: @escaping @Sendable (Value) -> Bool
    ) -> Gen<Value> {
        Gen { source in
            for _ in 0..<max(1, maxTries) {
                let value = try self.body(&source)
                if predicate(value) { return value }
            }
            throw GenerationError.filterTooStrict(label: label, tries: max(1, maxTries))
        }
    }

    /// Runs with a fixed size parameter.
    public func resized(_ size: Int) -> Gen<Value> {
        Gen { source in
            let saved = source.size
            source.size = size
            defer { source.size = saved }
            return try self.body(&source)
        }
    }

    /// Draws `count` values (see `Gen.array(of:count:)`).
    @inlinable
    public func array(count: ClosedRange<Int>) -> Gen<[Value]> { Gen<[Value]>.array(of: self, count: count) }
}

extension Gen {
    /// Always `value`; draws nothing.
    @inlinable
    public static func constant(_ value: Value) -> Gen<Value> where Value: Sendable { Gen { _ in value } }

    /// Reads the current size parameter (0...100, growing over a run).
    @inlinable
    public static func sized(_ make: @escaping @Sendable (Int) -> Gen<Value>) -> Gen<Value> {
        Gen { source in try make(source.size).body(&source) }
    }

    /// One of the generators, chosen uniformly; shrinks towards the first.
    @inlinable
    public static func oneOf(_ generators: [Gen<Value>]) -> Gen<Value> {
        precondition(!generators.isEmpty, "Gen.oneOf needs at least one generator")
        return Gen { source in
            let index = try source.draw(upTo: UInt64(generators.count - 1))
            return try generators[Int(index)].body(&source)
        }
    }

    @inlinable
    public static func oneOf(_ generators: Gen<Value>...) -> Gen<Value> { oneOf(generators) }

    /// One of the generators, chosen with the given positive weights (frequency);
    /// the recorded choice is the index, so it shrinks towards the first.
    @inlinable
    public static func weighted(_ choices: [(weight: Int, gen: Gen<Value>)]) -> Gen<Value> {
        precondition(!choices.isEmpty && choices.allSatisfy { $0.weight > 0 }, "Gen.weighted needs positive weights")
        let weights = choices.map { UInt64($0.weight) }
        let total = weights.reduce(0, +)
        let gens = choices.map { $0.gen }  // a closure: a key path into the generic tuple is built at run time
        return Gen { source in try gens[source.drawIndex(weights: weights, total: total)].body(&source) }
    }

    @inlinable
    public static func weighted(_ choices: (weight: Int, gen: Gen<Value>)...) -> Gen<Value> { weighted(choices) }

    /// One of `elements`; shrinks towards the first.
    @inlinable
    public static func element(of elements: [Value]) -> Gen<Value> where Value: Sendable {
        precondition(!elements.isEmpty, "Gen.element(of:) needs a non-empty array")
        return Gen { source in elements[Int(try source.draw(upTo: UInt64(elements.count - 1)))] }
    }

    /// An array whose length is drawn first (in `count`, shrinking towards the lower bound), then
    /// its elements. Random lengths are sampled from the lower part of the range in proportion to
    /// the size parameter, so small arrays come first; the recorded bound is the full range.
    @inlinable
    public static func array<Element>(of element: Gen<Element>, count: ClosedRange<Int>) -> Gen<[Element]>
    where Value == [Element] {
        precondition(count.lowerBound >= 0, "array count must be non-negative")
        let span = UInt64(count.upperBound - count.lowerBound)
        return Gen { source in
            let size = UInt64(max(0, min(source.size, ChoiceSource.maxSize)))
            let scaled = span / 100 * size + span % 100 * size / 100
            let countIndex = span == 0 ? -1 : source.choices.count
            let n = count.lowerBound + Int(try source.draw(upTo: span, sampleUpTo: scaled))
            var result: [Element] = []
            result.reserveCapacity(min(n, 1024))
            for _ in 0..<n {
                let start = source.choices.count
                result.append(try element.body(&source))
                source.recordElement(countIndex: countIndex, start: start)
            }
            return result
        }
    }

    @inlinable
    public static func zip<A, B>(_ a: Gen<A>, _ b: Gen<B>) -> Gen<(A, B)> where Value == (A, B) {
        Gen { source in (try a.body(&source), try b.body(&source)) }
    }

    @inlinable
    public static func zip<A, B, C>(_ a: Gen<A>, _ b: Gen<B>, _ c: Gen<C>) -> Gen<(A, B, C)> where Value == (A, B, C) {
        Gen { source in (try a.body(&source), try b.body(&source), try c.body(&source)) }
    }

    @inlinable
    public static func zip<A, B, C, D>(_ a: Gen<A>, _ b: Gen<B>, _ c: Gen<C>, _ d: Gen<D>) -> Gen<(A, B, C, D)>
    where Value == (A, B, C, D) {
        Gen { source in (try a.body(&source), try b.body(&source), try c.body(&source), try d.body(&source)) }
    }
}

extension Gen where Value == Int {
    /// An integer in `range`, uniform when random. Choice 0 is the value closest to 0 in the range;
    /// when the range straddles 0 choices alternate 0, 1, −1, 2, −2, … (then run on in the longer
    /// direction), so shrinking moves towards 0.
    @inlinable
    public static func int(in range: ClosedRange<Int>) -> Gen<Int> {
        let lo = range.lowerBound, hi = range.upperBound
        return Gen { source in try source.drawInt(in: lo, hi) }
    }

    /// The value that choice `c` (≤ hi − lo) denotes in `lo...hi` (see `int(in:)`).
    @inlinable
    public static func intValue(choice c: UInt64, lo: Int, hi: Int) -> Int {
        if lo >= 0 { return Int(bitPattern: UInt(bitPattern: lo) &+ UInt(c)) }
        if hi <= 0 { return Int(bitPattern: UInt(bitPattern: hi) &- UInt(c)) }
        let below = UInt64(lo.magnitude), above = UInt64(hi)
        let m = min(below, above)
        if c == 0 { return 0 }
        if c / 2 < m || (c / 2 == m && c % 2 == 0) {
            // Alternating zone: 1 → 1, 2 → −1, 3 → 2, 4 → −2, …
            return c % 2 == 1 ? Int(c / 2 + 1) : Int(bitPattern: 0 &- UInt(c / 2))
        }
        let magnitude = c - m
        return above > below ? Int(magnitude) : Int(bitPattern: 0 &- UInt(magnitude))
    }

    /// The choice that denotes `value` in `lo...hi` (inverse of `intValue`).
    @inlinable
    public static func intChoice(for value: Int, lo: Int, hi: Int) -> UInt64 {
        precondition(lo <= value && value <= hi)
        if lo >= 0 { return UInt64(UInt(bitPattern: value) &- UInt(bitPattern: lo)) }
        if hi <= 0 { return UInt64(UInt(bitPattern: hi) &- UInt(bitPattern: value)) }
        let below = UInt64(lo.magnitude), above = UInt64(hi)
        let m = min(below, above)
        let mag = UInt64(value.magnitude)
        if value == 0 { return 0 }
        if mag <= m { return value > 0 ? 2 * mag - 1 : 2 * mag }
        return mag + m
    }
}

extension Gen where Value == Bool {
    /// `false` (choice 0, the simpler) or `true`.
    @inlinable
    public static var bool: Gen<Bool> { Gen { source in try source.draw(upTo: 1) == 1 } }
}

extension ChoiceSource {
    /// The draw of `Gen.int(in: lo...hi)`, for generators written as one closure.
    @inlinable
    public mutating func drawInt(in lo: Int, _ hi: Int) throws(GenerationError) -> Int {
        let bound = UInt64(UInt(bitPattern: hi) &- UInt(bitPattern: lo))
        return Gen<Int>.intValue(choice: try draw(upTo: bound), lo: lo, hi: hi)
    }
}
