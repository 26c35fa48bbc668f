import MechanismCommon

/// The phases of a run, as building blocks: `Property.check` runs corpus replay, the exhaustive pass
/// (`Exhaustive`), the random cases and shrinking in that order; a fuzzer that keeps going after a
/// failure reuses the random phase and the shrink phase.
public enum RunPhase: String, Sendable, Codable {
    /// An explicit replay string.
    case replay
    /// The corpus entry of the property.
    case corpus
    /// The bounded-exhaustive pass.
    case exhaustive
    /// The random cases.
    case random
}

/// The random phase: the case slots j = 0..<cases this shard owns, each with its size and its stream
/// of draws. Case j depends only on (seed, j), so shards together run exactly the unsharded cases.
public struct RandomPhase: Sequence, Sendable {
    public let cases: Int
    public let seed: UInt64
    public let shard: Shard
    public let maxChoices: Int

    public init(cases: Int, seed: UInt64, shard: Shard = .whole, maxChoices: Int = ChoiceSource.defaultMaxChoices) {
        self.cases = Swift.max(0, cases)
        self.seed = seed
        self.shard = shard
        self.maxChoices = maxChoices
    }

    /// One random case: index j, its size parameter (growing with j: small first) and its seed.
    public struct Slot: Sendable, Equatable {
        public let index: Int
        public let size: Int
        /// `Shard.caseSeed(seed, j)`; draw r of the case is seeded by output r + 1 of `SplitMix64(seed: caseSeed)`.
        public let caseSeed: UInt64
        public let maxChoices: Int

        /// The case's draws: the first, then one replacement for each discarded draw, at most
        /// `Shard.attemptsPerCase` in all.
        public var draws: some Sequence<ChoiceSource> {
            var stream = SplitMix64(seed: caseSeed)
            let (size, maxChoices) = (size, maxChoices)
            return (0..<Shard.attemptsPerCase).lazy.map { _ in
                ChoiceSource.random(seed: stream.next(), size: size, maxChoices: maxChoices)
            }
        }
    }

    public func makeIterator() -> AnyIterator<Slot> {
        var j = shard.index
        let (cases, seed, shard, maxChoices) = (cases, seed, shard, maxChoices)
        return AnyIterator {
            guard j < cases else { return nil }
            // Saturating: past Int.max there is no case left (a shard count near Int.max must not trap).
            defer { j = j.addingReportingOverflow(shard.count).overflow ? Int.max : j + shard.count }
            return Slot(
                index: j, size: Shard.caseSize(j, of: cases), caseSeed: Shard.caseSeed(seed, j), maxChoices: maxChoices)
        }
    }
}

/// The shrink phase: from a failing choice sequence towards the shortlex-smallest one that still fails
/// in the same way. `evaluate` regenerates a candidate from its source and returns the failure's
/// payload, or nil when the candidate does not fail (or fails differently).
public enum ShrinkPhase {
    public struct Result<Payload> {
        public var choices: [UInt64]
        public var payload: Payload
        /// Successful steps and candidates evaluated.
        public var steps: Int
        public var attempts: Int
    }

    public static func shrink<Payload>(
        choices: [UInt64], payload: Payload, size: Int, limits: ShrinkLimits,
        maxChoices: Int = ChoiceSource.defaultMaxChoices,
        evaluate: (inout ChoiceSource) -> Payload?
    ) -> Result<Payload> {
        // The span hints of the original case.
        var original = ChoiceSource.replaying(choices, size: size, maxChoices: maxChoices)
        _ = evaluate(&original)
        let initial = ShrinkCandidate(choices: choices, spans: original.elementSpans, payload: payload)
        return withoutActuallyEscaping(evaluate) { evaluate in
            var shrinker = Shrinker<Payload>(initial: initial, limits: limits) { candidate in
                var source = ChoiceSource.replaying(candidate, size: size, maxChoices: maxChoices)
                guard let payload = evaluate(&source) else { return nil }
                return ShrinkCandidate(choices: source.choices, spans: source.elementSpans, payload: payload)
            }
            shrinker.run()
            return Result(
                choices: shrinker.best.choices, payload: shrinker.best.payload, steps: shrinker.steps,
                attempts: shrinker.attempts)
        }
    }
}
