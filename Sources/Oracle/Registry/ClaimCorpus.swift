/// The corpus as the registry uses it: one entry per claim reading, under the key `<id>--<reading>`,
/// annotated with the claim and the reading so that a reader of the file knows what it refutes.
extension Corpus.Key {
    public static func claim(_ id: String, reading: String) -> Corpus.Key { Corpus.Key("\(id)--\(reading)") }
}

extension CorpusSlot {
    static func claim(_ corpus: Corpus, id: String, reading: String) -> CorpusSlot {
        CorpusSlot(
            corpus: corpus, key: .claim(id, reading: reading),
            annotations: [.init("claim", id), .init("reading", reading)])
    }
}

extension Corpus.Entry {
    /// An entry for a claim reading.
    public init(claim: String, reading: String, replay: Replay, caseJSON: JSONValue, shrinkSteps: Int) {
        self.init(
            key: .claim(claim, reading: reading), annotations: [.init("claim", claim), .init("reading", reading)],
            replay: replay, caseJSON: caseJSON, shrinkSteps: shrinkSteps)
    }

    /// The claim id and reading the entry refutes ("" when the entry was not written by the registry).
    public var claim: String { annotation("claim") ?? "" }
    public var reading: String { annotation("reading") ?? "" }
}

extension Corpus {
    /// The entry of a claim reading; a file whose annotations name another reading is corrupted.
    public func load(claim: String, reading: String) throws(CorpusError) -> Entry? {
        guard let entry = try load(.claim(claim, reading: reading)) else { return nil }
        guard entry.claim == claim, entry.reading == reading else {
            throw .corrupted(
                path: path(entry.key),
                reason: "claim/reading '\(entry.claim)'/'\(entry.reading)' do not match the file")
        }
        return entry
    }

    public func path(claim: String, reading: String) -> String { path(.claim(claim, reading: reading)) }

    public func remove(claim: String, reading: String) throws(CorpusError) {
        try remove(.claim(claim, reading: reading))
    }
}
