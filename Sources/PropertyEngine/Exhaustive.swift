/// What a bounded-exhaustive enumeration covered.
public struct ExhaustiveSummary: Sendable, Equatable, Codable, JSONRenderable {
    /// Choice sequences enumerated (each is one case, generated or not).
    public var sequences: Int
    /// Sequences that generated a value and were handed to the visitor.
    public var generated: Int
    /// Sequences the generator rejected (filter too strict, overrun, `Discard`).
    public var rejected: Int
    /// Every choice sequence (with each choice ≤ `valueCap`) was visited.
    public var complete: Bool
    /// Some draw's range was wider than `valueCap`, so the domain was cut down to choices ≤ `valueCap`.
    public var capped: Bool
    /// The cap on each choice value.
    public var valueCap: UInt64

    public var json: JSONValue {
        .object([
            "sequences": .int(sequences), "generated": .int(generated), "rejected": .int(rejected),
            "complete": .bool(complete), "capped": .bool(capped), "valueCap": valueCap.json,
        ])
    }
}

/// SmallCheck-style bounded-exhaustive enumeration over the choice tree.
public enum Exhaustive {
    /// Visits, depth first and in shortlex-like order, every choice sequence `gen` can consume with
    /// each choice capped at `valueCap`, up to `budget` sequences. `visit` returns `false` to stop
    /// early (the summary is then incomplete). `complete` means the whole capped tree was visited:
    /// a property that held on every case then holds on that finite domain (and on the whole
    /// generator's domain when `capped` is false).
    @discardableResult
    public static func enumerate<Value>(
        _ gen: Gen<Value>, budget: Int, valueCap: UInt64 = 4, size: Int = ChoiceSource.maxSize,
        maxChoices: Int = ChoiceSource.defaultMaxChoices,
        _ visit: (Value, _ choices: [UInt64]) throws -> Bool
    ) rethrows -> ExhaustiveSummary {
        try walk(budget: budget, valueCap: valueCap, size: size, maxChoices: maxChoices) { source in
            let value: Value
            do { value = try gen.run(&source) } catch { return .rejected }
            return try visit(value, source.choices) ? .next : .stop
        }
    }

    /// What one enumerated sequence did.
    enum Step { case next, stop, rejected }

    /// The odometer over the capped choice tree; `body` runs one case on the given source.
    static func walk(
        budget: Int, valueCap: UInt64, size: Int, maxChoices: Int,
        _ body: (inout ChoiceSource) throws -> Step
    ) rethrows -> ExhaustiveSummary {
        var summary = ExhaustiveSummary(
            sequences: 0, generated: 0, rejected: 0, complete: false,
            capped: false, valueCap: valueCap)
        var prefix: [UInt64] = []
        while summary.sequences < budget {
            var source = ChoiceSource.exhaustive(prefix: prefix, valueCap: valueCap, size: size, maxChoices: maxChoices)
            summary.sequences += 1
            let step = try body(&source)
            if source.wasCapped { summary.capped = true }
            switch step {
            case .rejected: summary.rejected += 1
            case .next: summary.generated += 1
            case .stop: summary.generated += 1; return summary
            }
            // Odometer step: bump the last choice still below its (capped) bound, drop what follows.
            let choices = source.choices, bounds = source.bounds
            guard let i = choices.indices.last(where: { choices[$0] < bounds[$0] }) else {
                summary.complete = true
                return summary
            }
            prefix = Array(choices[..<i]) + [choices[i] + 1]
        }
        return summary
    }
}
