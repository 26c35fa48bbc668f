import Foundation
import PropertyEngine

/// Where the committed counterexample corpus is: `Tests/Regression/Corpus` of this package, found from the
/// package rather than the working directory, so that `oracle check` run from anywhere reads the committed
/// entries and writes nothing into the directory it was started from.
///
/// The package is the nearest directory at or above the working directory, else at or above the running
/// executable (`.build/…/oracle` lies inside its package), whose `Package.swift` declares
/// `name: "MechanismOracle"` and which holds `Tests/Regression/Corpus`. When neither is found there is no
/// default corpus: `oracle check` reads and writes none unless `--corpus DIR` names one.
public enum CorpusLocation {
    /// The package's name, as its Package.swift declares it.
    public static let packageName = "MechanismOracle"

    /// The nearest directory at or above `start` (an absolute path) whose Package.swift declares this package.
    public static func packageRoot(from start: String) -> String? {
        var url = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let manifest = url.appendingPathComponent("Package.swift").path
            if let data = FileManager.default.contents(atPath: manifest),
                String(decoding: data, as: UTF8.self).contains("name: \"\(packageName)\"")
            {
                return url.path
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// The committed corpus directory of the package found from `workingDirectory`, else from `executable`
    /// (a path of the running binary); nil when neither lies in this package or its corpus directory is absent.
    public static func committedCorpus(workingDirectory: String, executable: String?) -> String? {
        for start in [workingDirectory] + (executable.map { [$0] } ?? []) {
            guard let root = packageRoot(from: start) else { continue }
            let directory = (root as NSString).appendingPathComponent(Corpus.defaultDirectory)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue {
                return directory
            }
        }
        return nil
    }

    /// Where an ordinary run writes new and changed counterexamples, in front of the committed corpus: the package's
    /// `.oracle-cache/corpus` (git-ignored, as Hypothesis keeps `.hypothesis/`); `oracle promote` moves them into
    /// the committed corpus.
    public static let cacheSubdirectory = ".oracle-cache/corpus"

    /// The cache directory of the package whose committed corpus is `committed`.
    public static func cache(forCommitted committed: String) -> String {
        var root = URL(fileURLWithPath: committed).standardizedFileURL
        for _ in Corpus.defaultDirectory.split(separator: "/") { root.deleteLastPathComponent() }
        return root.appendingPathComponent(cacheSubdirectory).path
    }

    /// `committedCorpus` for this process: its working directory and its executable (symbolic links resolved).
    public static func committedCorpus() -> String? {
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path
        return committedCorpus(
            workingDirectory: FileManager.default.currentDirectoryPath, executable: executable)
    }
}
