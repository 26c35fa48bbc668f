import MechanismCommon
/// Errors raised while *generating* a case (as opposed to the property failing).
public enum GenerationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `Gen.filter` rejected `tries` candidates in a row; `label` names the generator.
    case filterTooStrict(label: String, tries: Int)
    /// The generator asked for more than `limit` choices (runaway recursion or huge collection).
    case overrun(limit: Int)

    public var description: String {
        switch self {
        case let .filterTooStrict(label, tries):
            "filter too strict: generator '\(label)' rejected \(tries) candidates in a row"
        case let .overrun(limit): "generator overrun: more than \(limit) choices"
        }
    }
}

/// Throw from a property (or a generator) to skip the current case without failing.
public struct Discard: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String = "discarded") { self.reason = reason }
    public var description: String { "discard: \(reason)" }
}

/// The single stream of decisions behind a test case. Every generator decision is a bounded
/// integer drawn here, and every draw is recorded, so a case *is* its `choices`.
///
/// Modes:
/// - random: draws come from a `SplitMix64`;
/// - replay: draws come from a given sequence. A value above the draw's bound is **clamped to the
///   bound**; past the end of the sequence every draw yields 0 (the simplest choice). The recorded
///   `choices` hold what was actually used, so they always replay to the same case.
/// - exhaustive: draws come from a prefix, then 0; each bound is capped at `valueCap` (used by
///   `Exhaustive`).
///
/// A draw with bound 0 has only one outcome: it returns 0 and records nothing.
public struct ChoiceSource: Sendable {
    enum Mode: Sendable { case random, replay, exhaustive }

    let mode: Mode
    var rng: SplitMix64
    let prefix: [UInt64]
    let valueCap: UInt64
    /// The size parameter (0...`maxSize`, conventionally 0...100); grows during a run.
    public internal(set) var size: Int
    /// Maximum number of recorded choices before `GenerationError.overrun`.
    public let maxChoices: Int
    /// The choices drawn so far (this *is* the case).
    public private(set) var choices: [UInt64] = []
    /// The effective bound of each recorded draw (capped in exhaustive mode).
    public private(set) var bounds: [UInt64] = []
    /// Exhaustive mode: some draw's bound exceeded `valueCap`, so the enumeration covers a sub-domain.
    public private(set) var wasCapped = false
    /// Replay mode: some replayed value exceeded its bound and was clamped.
    public private(set) var wasClamped = false
    /// Replay mode: the generator read past the end of the sequence.
    public private(set) var ranPastEnd = false
    /// Shrink hints: collection elements and the choice holding their collection's length.
    public private(set) var elementSpans: [ElementSpan] = []

    /// A shrink hint: choices `start..<end` generate one element of a collection whose length
    /// was drawn at `countIndex`; deleting the span and lowering that choice by 1 removes the element.
    public struct ElementSpan: Sendable, Hashable {
        public let countIndex: Int
        public let start: Int
        public let end: Int
    }

    /// Records a shrink hint (see `ElementSpan`); `start` is `choices.count` before the element
    /// was generated. Ignored unless the span is non-empty and follows its count choice.
    public mutating func recordElement(countIndex: Int, start: Int) {
        guard countIndex >= 0, countIndex < start, start < choices.count else { return }
        elementSpans.append(ElementSpan(countIndex: countIndex, start: start, end: choices.count))
    }

    /// The conventional maximum size.
    public static let maxSize = 100
    public static let defaultMaxChoices = 10_000

    init(mode: Mode, rng: SplitMix64, prefix: [UInt64], valueCap: UInt64, size: Int, maxChoices: Int) {
        self.mode = mode
        self.rng = rng
        self.prefix = prefix
        self.valueCap = valueCap
        self.size = size
        self.maxChoices = maxChoices
        if mode == .random {
            // A case draws tens to hundreds of choices: start with room for them rather than growing by doubling.
            choices.reserveCapacity(min(256, maxChoices))
            bounds.reserveCapacity(min(256, maxChoices))
        }
    }

    /// Fresh random choices from `SplitMix64(seed:)`.
    public static func random(seed: UInt64, size: Int = maxSize, maxChoices: Int = defaultMaxChoices) -> ChoiceSource {
        ChoiceSource(
            mode: .random, rng: SplitMix64(seed: seed), prefix: [], valueCap: .max, size: size, maxChoices: maxChoices)
    }

    /// Replays `choices` (clamping out-of-bound values, 0 past the end).
    public static func replaying(_ choices: [UInt64], size: Int = maxSize, maxChoices: Int = defaultMaxChoices)
        -> ChoiceSource
    {
        ChoiceSource(
            mode: .replay, rng: SplitMix64(seed: 0), prefix: choices, valueCap: .max, size: size, maxChoices: maxChoices
        )
    }

    /// Follows `prefix`, then 0; every bound is capped at `valueCap`.
    public static func exhaustive(
        prefix: [UInt64], valueCap: UInt64, size: Int = maxSize, maxChoices: Int = defaultMaxChoices
    ) -> ChoiceSource {
        ChoiceSource(
            mode: .exhaustive, rng: SplitMix64(seed: 0), prefix: prefix, valueCap: valueCap, size: size,
            maxChoices: maxChoices)
    }

    /// Draws a choice in `0...bound`, uniformly when random.
    public mutating func draw(upTo bound: UInt64) throws(GenerationError) -> UInt64 {
        try draw(upTo: bound) { rng in rng.next(upTo: bound) }
    }

    /// Draws a choice in `0...bound`; when random, samples uniformly in `0...min(sampleUpTo, bound)`
    /// only (the recorded bound stays `bound`, so replay does not depend on `sampleUpTo`).
    public mutating func draw(upTo bound: UInt64, sampleUpTo: UInt64) throws(GenerationError) -> UInt64 {
        let limit = min(sampleUpTo, bound)
        return try draw(upTo: bound) { rng in rng.next(upTo: limit) }
    }

    /// An index in `0..<weights.count`, drawn in proportion to `weights` (positive, summing to `total`) when random;
    /// the recorded choice is the index, so it shrinks towards 0 (`Gen.weighted`).
    @inlinable
    public mutating func drawIndex(weights: [UInt64], total: UInt64) throws(GenerationError) -> Int {
        Int(
            try draw(upTo: UInt64(weights.count - 1)) { rng in
                var r = rng.next(upTo: total - 1)
                for (i, w) in weights.enumerated() {
                    if r < w { return UInt64(i) }
                    r -= w
                }
                return UInt64(weights.count - 1)
            })
    }

    /// The general draw: `sample` is used in random mode only and must return a value ≤ `bound`
    /// (larger values are clamped).
    public mutating func draw(upTo bound: UInt64, sample: (inout SplitMix64) -> UInt64) throws(GenerationError)
        -> UInt64
    {
        if bound == 0 { return 0 }
        if choices.count >= maxChoices { throw .overrun(limit: maxChoices) }
        let value: UInt64
        var effectiveBound = bound
        switch mode {
        case .random:
            value = min(sample(&rng), bound)
        case .replay:
            let index = choices.count
            if index < prefix.count {
                let raw = prefix[index]
                if raw > bound { wasClamped = true }
                value = min(raw, bound)
            } else {
                ranPastEnd = true
                value = 0
            }
        case .exhaustive:
            if bound > valueCap { wasCapped = true; effectiveBound = valueCap }
            let index = choices.count
            value = index < prefix.count ? min(prefix[index], effectiveBound) : 0
        }
        choices.append(value)
        bounds.append(effectiveBound)
        return value
    }
}
