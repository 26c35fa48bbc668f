import Testing
import Oracle

/// The committed counterexample corpus, replayed: each saved case must still refute its reading,
/// and every refuted printed reading must have its entry.
@Suite struct CorpusReplayTests {
    static let entries: [Corpus.Entry] = (try? Corpus().loadAll()) ?? []

    @Test func corpusLoads() throws {
        let entries = try Corpus().loadAll()
        #expect(!entries.isEmpty)
    }

    @Test(arguments: entries.map { "\($0.claim)/\($0.reading)" })
    func corpusEntryStillRefutes(label: String) throws {
        let entry = try #require(Self.entries.first { "\($0.claim)/\($0.reading)" == label })
        let reading = try #require(try ClaimRegistry.readings(for: [label]).first)
        let outcome = try reading.run(CheckOptions(seed: 0, replay: entry.replay.encoded))
        #expect(outcome.verdict == .refuted)
        #expect(outcome.counterexample?.case == entry.caseJSON)
    }

    @Test func everyRefutedReadingHasACorpusEntry() throws {
        let saved = Set(try Corpus().loadAll().map { "\($0.claim)/\($0.reading)" })
        for reading in ClaimRegistry.all where reading.expected == .refuted && reading.method == .generatedCases {
            #expect(saved.contains(reading.label), "\(reading.label) has no committed counterexample")
        }
    }
}
