import Foundation
import PropertyEngine
import Testing

/// A corpus with a cache (`.oracle-cache/corpus`): the committed layer is only read, the cache stands in front of it
/// and takes every write, and `promote` moves the cache in — a committed entry replaced only by a strictly smaller
/// counterexample.
@Suite struct CorpusCacheTests {
    static func entry(_ key: String, _ choices: [UInt64], note: String = "") -> Corpus.Entry {
        Corpus.Entry(
            key: Corpus.Key(key), annotations: note.isEmpty ? [] : [.init("note", note)],
            replay: Replay(seed: 0, size: 3, choices: choices), caseJSON: .array(choices.map { .string("\($0)") }),
            shrinkSteps: 1)
    }

    static func files(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func writesGoToTheCacheAndItStandsInFront() throws {
        let dir = EngineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let committed = Corpus(directory: dir + "/committed")
        try committed.save(Self.entry("a", [5, 5]))
        let layered = Corpus(directory: dir + "/committed", cache: dir + "/cache")
        #expect(try layered.load(Corpus.Key("a")) == Self.entry("a", [5, 5]))
        // The same counterexample under another seed writes nothing anywhere.
        var again = Self.entry("a", [5, 5])
        again.replay = Replay(seed: 9, size: 3, choices: [5, 5])
        #expect(try layered.record(again) == false)
        #expect(Self.files(dir + "/cache") == [])
        // A smaller one and a new one go to the cache; the committed file is untouched and the cache is read first.
        try layered.record(Self.entry("a", [5, 1]))
        try layered.record(Self.entry("b", [2]))
        #expect(Self.files(dir + "/committed") == ["a.json"])
        #expect(try committed.load(Corpus.Key("a")) == Self.entry("a", [5, 5]))
        #expect(Self.files(dir + "/cache") == ["a.json", "b.json"])
        #expect(try layered.load(Corpus.Key("a")) == Self.entry("a", [5, 1]))
        #expect(try layered.loadAll().map(\.key.rawValue) == ["a", "b"])
    }

    @Test func promoteAddsReplacesOnlyWithSmallerAndEmptiesTheCache() throws {
        let dir = EngineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let committed = Corpus(directory: dir + "/committed")
        for e in [Self.entry("smaller", [4, 4]), Self.entry("larger", [1]), Self.entry("forced", [1])] {
            try committed.save(e)
        }
        let layered = Corpus(directory: dir + "/committed", cache: dir + "/cache")
        for e in [Self.entry("smaller", [4, 2]), Self.entry("larger", [0, 0]), Self.entry("new", [3])] {
            try layered.save(e)
        }
        let done = try layered.promote()
        #expect(done.map { "\($0.key) \($0.promotion)" } == ["larger kept", "new added", "smaller replaced"])
        #expect(try committed.load(Corpus.Key("smaller")) == Self.entry("smaller", [4, 2]))
        #expect(try committed.load(Corpus.Key("larger")) == Self.entry("larger", [1]))
        #expect(try committed.load(Corpus.Key("new")) == Self.entry("new", [3]))
        #expect(Self.files(dir + "/cache") == [])
        // --replacing: a committed case that no longer fails gives way to the new one even when it is not smaller.
        try layered.save(Self.entry("forced", [7, 7]))
        #expect(try layered.promote(replacing: true).map(\.promotion) == [.replaced])
        #expect(try committed.load(Corpus.Key("forced")) == Self.entry("forced", [7, 7]))
        // Without a cache there is nothing to promote.
        #expect(try committed.promote().isEmpty)
    }
}
