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
        // With --corpus, the directory given is used (and created).
        let given = elsewhere.appendingPathComponent("mine").path
        let own = try OracleBinary.oracle(["check", "b4.parseval", "--seed", "7", "--corpus", given], in: elsewhere)
        #expect(own.status == 0, "\(own.stdout)\n\(own.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: given) == ["b4.parseval--printed-hat.json"])
    }
}
