import ArgumentParser
import Foundation
import Oracle

/// `oracle promote`: the counterexamples an ordinary run left in the cache, moved into the committed corpus.
struct PromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract:
            "Move the counterexamples of .oracle-cache/corpus into the committed corpus (Tests/Regression/Corpus).",
        discussion: """
            `oracle check` reads the committed corpus and writes nothing into it: a new counterexample, or a strictly \
            smaller one for a committed entry, goes to the package's git-ignored .oracle-cache/corpus. This command \
            adds each cached entry whose key has none, replaces a committed entry only with a strictly smaller \
            counterexample (shortlex on its choices; --replacing replaces it anyway, e.g. when the committed case no \
            longer fails), and empties the cache. With --list it only says what it would do.
            """)

    @Option(parsing: .unconditional, help: "The committed corpus (default: this package's Tests/Regression/Corpus).")
    var corpus: String?
    @Option(parsing: .unconditional, help: "The cache (default: this package's .oracle-cache/corpus).") var cache:
        String?
    @Flag(help: "Replace committed entries with the cached ones even when not smaller.") var replacing = false
    @Flag(help: "Only list the cached entries and what would happen to each.") var list = false

    func run() throws {
        guard let committed = corpus ?? CorpusLocation.committedCorpus() else {
            throw ValidationError(
                "no committed corpus: run inside the \(CorpusLocation.packageName) package or give --corpus DIR")
        }
        let store = Corpus(directory: committed, cache: cache ?? CorpusLocation.cache(forCommitted: committed))
        do {
            if list {
                let pending = try Corpus(directory: store.cache!).loadAll()
                for entry in pending {
                    let existing = try store.committed.load(entry.key)
                    let what =
                        existing == nil
                        ? "add" : replacing || shortlexPrecedes(entry.choices, existing!.choices) ? "replace" : "keep"
                    emit("\(what) \(entry.key)")
                }
                emit("\(pending.count) cached counterexample(s) in \(store.cache!)")
                return
            }
            let done = try store.promote(replacing: replacing)
            for (key, promotion) in done { emit("\(promotion.rawValue) \(key)") }
            let changed = done.filter { $0.promotion != .kept }.count
            emit("\(changed) of \(done.count) cached counterexample(s) written to \(committed)")
        } catch {
            throw ValidationError(error.description)
        }
    }
}
