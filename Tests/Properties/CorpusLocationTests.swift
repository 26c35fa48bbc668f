import Foundation
import Oracle
import PropertyEngine
import Testing

/// The committed corpus is found from the package, not the working directory, and a run elsewhere writes
/// nothing where it runs; replaying the committed entries under another seed leaves them as they are.
@Suite struct CorpusLocationTests {
    static let corpus = OracleBinary.root.appendingPathComponent("Tests/Regression/Corpus").path

    @Test func thePackageIsFoundFromAnySubdirectoryOrTheExecutable() throws {
        let root = OracleBinary.root.path
        #expect(CorpusLocation.packageRoot(from: root) == root)
        #expect(CorpusLocation.packageRoot(from: root + "/Sources/Oracle/IO") == root)
        #expect(
            CorpusLocation.committedCorpus(workingDirectory: root + "/docs", executable: nil) == Self.corpus)
        let elsewhere = try OracleBinary.temporaryDirectory("corpus-location")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        #expect(CorpusLocation.packageRoot(from: elsewhere.path) == nil)
        #expect(CorpusLocation.committedCorpus(workingDirectory: elsewhere.path, executable: nil) == nil)
        // From another directory, the executable's package (.build/…/oracle lies inside it).
        #expect(
            CorpusLocation.committedCorpus(
                workingDirectory: elsewhere.path, executable: root + "/.build/x86_64-unknown-linux-gnu/release")
                == Self.corpus)
        // A directory named like a package but another package's manifest is not this package.
        try "// swift-tools-version:6.0\nlet package = Package(name: \"Other\")\n".write(
            to: elsewhere.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        #expect(CorpusLocation.packageRoot(from: elsewhere.path) == nil)
    }

    /// `oracle promote` on a committed corpus and a cache of one's own: a new entry added, a larger one kept, the
    /// cache emptied; `--list` only says so.
    @Test(.enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
    func promoteMovesTheCacheIntoTheCommittedCorpus() throws {
        let dir = try OracleBinary.temporaryDirectory("corpus-promote")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (committedPath, cachePath) = (dir.appendingPathComponent("c").path, dir.appendingPathComponent("x").path)
        let committed = Corpus(directory: committedPath), cache = Corpus(directory: cachePath)
        func entry(_ key: String, _ choices: [UInt64]) -> Corpus.Entry {
            Corpus.Entry(
                key: Corpus.Key(key), replay: Replay(seed: 0, size: 1, choices: choices), caseJSON: .null,
                shrinkSteps: 0)
        }
        try committed.save(entry("kept", [1]))
        try cache.save(entry("kept", [2, 2]))
        try cache.save(entry("added", [0]))
        let listed = try OracleBinary.oracle(["promote", "--list", "--corpus", committedPath, "--cache", cachePath])
        #expect(listed.stdout.contains("add added") && listed.stdout.contains("keep kept"), "\(listed.stdout)")
        #expect(try cache.loadAll().count == 2)
        let promoted = try OracleBinary.oracle(["promote", "--corpus", committedPath, "--cache", cachePath])
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(try committed.loadAll().map(\.key.rawValue) == ["added", "kept"])
        #expect(try committed.load(Corpus.Key("kept")) == entry("kept", [1]))
        #expect(try cache.loadAll().isEmpty)
    }

    /// The committed corpus files, name → bytes.
    static func snapshot() throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus)
        return try Dictionary(
            uniqueKeysWithValues: names.map {
                ($0, try Data(contentsOf: URL(fileURLWithPath: corpus).appendingPathComponent($0)))
            })
    }

    /// `oracle check --seed 7` from another directory: the committed entries it replays stay byte for byte as
    /// they are (their replay strings carry seed 0's), and nothing is created in that directory.
    @Test(.enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
    func checkUnderAnotherSeedFromAnotherDirectoryWritesNothing() throws {
        let elsewhere = try OracleBinary.temporaryDirectory("corpus-elsewhere")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let before = try Self.snapshot()
        defer {
            // Should the corpus have moved, put the committed bytes back (the expectations below still fail).
            for (name, data) in before {
                let url = URL(fileURLWithPath: Self.corpus).appendingPathComponent(name)
                if (try? Data(contentsOf: url)) != data { try? data.write(to: url) }
            }
        }
        let result = try OracleBinary.oracle(
            ["check", "b4.parseval", "b4.dft-inverse", "eq12", "--seed", "7", "--cases", "20"], in: elsewhere)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("counterexample:"))
        #expect(try Self.snapshot() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path) == [])
        // The committed entries stood for these counterexamples: nothing went to the cache for them either.
        let cache = CorpusLocation.cache(forCommitted: Self.corpus)
        #expect(cache == OracleBinary.root.appendingPathComponent(".oracle-cache/corpus").path)
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        #expect(
            !cached.contains { $0.hasPrefix("b4.parseval") || $0.hasPrefix("b4.dft-inverse") || $0.hasPrefix("eq12") })
        // With --corpus, the directory given is used (and created).
        let given = elsewhere.appendingPathComponent("mine").path
        let own = try OracleBinary.oracle(["check", "b4.parseval", "--seed", "7", "--corpus", given], in: elsewhere)
        #expect(own.status == 0, "\(own.stdout)\n\(own.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: given) == ["b4.parseval--printed-hat.json"])
    }
}
