/// Everything that parameterises a run of the engine (`Property.check`, `propertyCheck`, a fuzzing
/// campaign): one value instead of a list of arguments repeated in every signature.
public struct RunConfiguration: Sendable, Equatable {
    /// The run's seed; nil derives one from the property's label (`Property.defaultSeed(for:)`).
    public var seed: UInt64?
    /// Random cases (case j at size `Shard.caseSize(j, of: cases)`: small cases first).
    public var cases: Int
    /// A bounded-exhaustive pass before the random cases (nil: none).
    public var exhaustive: ExhaustiveBudget?
    /// Where counterexamples are replayed from (first) and saved to (nil: no corpus).
    public var corpus: CorpusSlot?
    /// Run only the case of this replay string (no corpus, no shrinking).
    public var replay: String?
    public var shrinkLimits: ShrinkLimits
    /// The most choices one case may draw (`GenerationError.overrun` beyond).
    public var maxChoices: Int
    /// This machine's part of a campaign.
    public var shard: Shard

    public init(
        seed: UInt64? = nil, cases: Int = 100, exhaustive: ExhaustiveBudget? = nil, corpus: CorpusSlot? = nil,
        replay: String? = nil, shrinkLimits: ShrinkLimits = ShrinkLimits(),
        maxChoices: Int = ChoiceSource.defaultMaxChoices, shard: Shard = .whole
    ) {
        self.seed = seed
        self.cases = cases
        self.exhaustive = exhaustive
        self.corpus = corpus
        self.replay = replay
        self.shrinkLimits = shrinkLimits
        self.maxChoices = maxChoices
        self.shard = shard
    }
}

/// The size of a bounded-exhaustive pass: at most `sequences` choice sequences, each choice capped at
/// `valueCap` (SmallCheck-style).
public struct ExhaustiveBudget: Sendable, Equatable {
    public var sequences: Int
    public var valueCap: UInt64

    public init(sequences: Int, valueCap: UInt64 = 4) {
        self.sequences = sequences
        self.valueCap = valueCap
    }
}

/// One entry of a corpus: the directory and the opaque key of the property's file there. `annotations`
/// are written into the entry (before the engine's own members) for readers of the file; the engine
/// never interprets them.
public struct CorpusSlot: Sendable, Equatable {
    public var corpus: Corpus
    public var key: Corpus.Key
    public var annotations: [Corpus.Annotation]

    public init(corpus: Corpus, key: Corpus.Key, annotations: [Corpus.Annotation] = []) {
        self.corpus = corpus
        self.key = key
        self.annotations = annotations
    }
}
