import Foundation

/// Why the counterexample corpus could not be read or written; always names the file.
public enum CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not a valid corpus entry.
    case corrupted(path: String, reason: String)
    /// The file system refused (permissions, missing directory, …).
    case io(path: String, reason: String)

    public var path: String {
        switch self {
        case let .corrupted(path, _), let .io(path, _): path
        }
    }

    public var description: String {
        switch self {
        case let .corrupted(path, reason): "corrupted corpus file \(path): \(reason)"
        case let .io(path, reason): "corpus I/O error at \(path): \(reason)"
        }
    }
}

/// Counterexamples kept as JSON files, one per property, named by an opaque key: `<key>.json`
/// (characters outside `A-Z a-z 0-9 . _ -` become `_`). Writes are atomic (temp file in the same
/// directory, then `rename`). `Property.check` replays a property's entry before anything else.
///
/// With a `cache` directory (as Hypothesis keeps `.hypothesis/`), `directory` is the committed corpus and is only
/// read: an entry of the cache stands in front of the committed one of its key, and every write goes to the cache.
/// `promote` moves the cache's entries into the committed corpus, replacing a committed one only with a strictly
/// smaller counterexample.
public struct Corpus: Sendable, Equatable {
    public static let defaultDirectory = "Tests/Regression/Corpus"

    /// The directory holding the files (created on first save); read-only when there is a cache.
    public let directory: String
    /// Where new and changed entries are written, in front of `directory` (nil: they go to `directory`).
    public let cache: String?

    public init(directory: String = Corpus.defaultDirectory, cache: String? = nil) {
        self.directory = directory
        self.cache = cache
    }

    /// The layer writes go to.
    var writable: Corpus { Corpus(directory: cache ?? directory) }
    /// The committed layer alone (the whole corpus without a cache).
    public var committed: Corpus { Corpus(directory: directory) }

    /// The opaque name of a property's entry; it is also the file's base name, so it is sanitised.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(_ text: String) {
            rawValue = String(
                text.unicodeScalars.map { c -> Character in
                    c.isASCII
                        && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-")
                        ? Character(c) : "_"
                })
        }

        public var fileName: String { rawValue + ".json" }
        public var description: String { rawValue }
    }

    /// A string member written into an entry for its readers (e.g. which claim it refutes).
    public struct Annotation: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One stored counterexample.
    public struct Entry: Sendable, Equatable, JSONRenderable {
        public var key: Key
        /// String members before the engine's own, in order.
        public var annotations: [Annotation]
        public var replay: Replay
        /// The rendered (shrunk) case.
        public var caseJSON: JSONValue
        public var shrinkSteps: Int

        public init(key: Key, annotations: [Annotation] = [], replay: Replay, caseJSON: JSONValue, shrinkSteps: Int) {
            self.key = key
            self.annotations = annotations
            self.replay = replay
            self.caseJSON = caseJSON
            self.shrinkSteps = shrinkSteps
        }

        public var choices: [UInt64] { replay.choices }

        /// The value of annotation `name`, if any.
        public func annotation(_ name: String) -> String? { annotations.first { $0.name == name }?.value }

        static let ownMembers: Set<String> = ["replay", "choices", "case", "shrinkSteps"]

        /// The annotations, then `{"replay", "choices", "case", "shrinkSteps"}` in that order;
        /// choices above `Int.max` are decimal strings.
        public var json: JSONValue {
            .object(
                annotations.map { .init($0.name, .string($0.value)) }
                    + [
                        .init("replay", .string(replay.encoded)), .init("choices", .array(replay.choices.map(\.json))),
                        .init("case", caseJSON), .init("shrinkSteps", .int(shrinkSteps)),
                    ])
        }

        /// Reads an entry back; `reason` strings are for `CorpusError.corrupted`.
        init(key: Key, json: JSONValue) throws(CorpusEntryError) {
            guard case let .object(members) = json else { throw CorpusEntryError("top level is not an object") }
            var annotations: [Annotation] = []
            for member in members where !Entry.ownMembers.contains(member.key) {
                guard case let .string(value) = member.value else {
                    throw CorpusEntryError("annotation '\(member.key)' is not a string")
                }
                annotations.append(Annotation(member.key, value))
            }
            guard case let .string(replayText)? = json["replay"] else {
                throw CorpusEntryError("missing string 'replay'")
            }
            let replay: Replay
            do { replay = try Replay(parsing: replayText) } catch { throw CorpusEntryError(error.description) }
            guard case let .array(items)? = json["choices"] else { throw CorpusEntryError("missing array 'choices'") }
            var choices: [UInt64] = []
            for item in items {
                let choice: UInt64? =
                    switch item {
                    case let .int(i) where i >= 0: UInt64(i)
                    case let .string(s): UInt64(s)
                    default: nil
                    }
                guard let choice else { throw CorpusEntryError("'choices' must hold non-negative integers") }
                choices.append(choice)
            }
            guard choices == replay.choices else { throw CorpusEntryError("'choices' disagree with 'replay'") }
            guard let caseJSON = json["case"] else { throw CorpusEntryError("missing 'case'") }
            guard case let .int(steps)? = json["shrinkSteps"], steps >= 0 else {
                throw CorpusEntryError("missing non-negative integer 'shrinkSteps'")
            }
            self.init(key: key, annotations: annotations, replay: replay, caseJSON: caseJSON, shrinkSteps: steps)
        }
    }

    struct CorpusEntryError: Error { let reason: String; init(_ reason: String) { self.reason = reason } }

    /// The file of `key` in the layer that writes.
    public func path(_ key: Key) -> String {
        ((cache ?? directory) as NSString).appendingPathComponent(key.fileName)
    }

    /// Writes (or replaces) the entry atomically, into the cache when there is one.
    public func save(_ entry: Entry) throws(CorpusError) {
        try AtomicFile.write(entry.json.serialized(pretty: true) + "\n", to: path(entry.key))
    }

    /// Records a run's counterexample: saves `entry` unless the stored entry of its key already stands for
    /// it. A stored entry does not depend on the seed of the run that replays it (its replay string's seed
    /// only names the run that found it; replaying reads the choices and the size): when the choices and the
    /// size are the same, the stored replay string and shrink count are kept, and the file is rewritten only
    /// if the case or the annotations it renders changed. Any other entry (a shortlex-smaller counterexample
    /// shrunk from the stored one, or a new one where the stored one no longer fails) replaces it. Returns
    /// whether the file was written.
    @discardableResult
    public func record(_ entry: Entry) throws(CorpusError) -> Bool {
        if let existing = try load(entry.key), existing.choices == entry.choices,
            existing.replay.size == entry.replay.size
        {
            var kept = entry
            kept.replay = existing.replay
            kept.shrinkSteps = existing.shrinkSteps
            if kept == existing { return false }
            try save(kept)
            return true
        }
        try save(entry)
        return true
    }

    /// The entry of `key` (the cache's in front of the committed one), or nil if there is none.
    public func load(_ key: Key) throws(CorpusError) -> Entry? {
        if cache != nil, let cached = try writable.load(key) { return cached }
        let file = (directory as NSString).appendingPathComponent(key.fileName)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        return try Corpus.read(file, key: key)
    }

    /// Every entry (sorted by file name; temp and hidden files skipped), the cache's in front of the committed ones.
    public func loadAll() throws(CorpusError) -> [Entry] {
        guard cache != nil else { return try committed.loadAllInDirectory() }
        var byKey: [String: Entry] = [:]
        for entry in try committed.loadAllInDirectory() + writable.loadAllInDirectory() {
            byKey[entry.key.rawValue] = entry
        }
        return byKey.keys.sorted().map { byKey[$0]! }
    }

    /// What `promote` did with one cache entry.
    public enum Promotion: String, Sendable, Equatable {
        /// No committed entry of its key: added.
        case added
        /// Strictly smaller (shortlex on its choices) than the committed entry: replaced it.
        case replaced
        /// The committed entry is as small or smaller: kept, the cache entry dropped (`replacing: true` forces).
        case kept
    }

    /// Moves every cache entry into the committed corpus — added where the key has none, replacing the committed
    /// entry only when strictly smaller (or always with `replacing`) — and deletes it from the cache. Returns what
    /// happened to each key, in key order. Nothing to do without a cache.
    @discardableResult
    public func promote(replacing: Bool = false) throws(CorpusError) -> [(key: Key, promotion: Promotion)] {
        guard cache != nil else { return [] }
        var out: [(key: Key, promotion: Promotion)] = []
        for entry in try writable.loadAllInDirectory() {
            let promotion: Promotion
            if let existing = try committed.load(entry.key) {
                promotion =
                    replacing || shortlexPrecedes(entry.choices, existing.choices) ? .replaced : .kept
            } else {
                promotion = .added
            }
            if promotion != .kept { try committed.save(entry) }
            try writable.remove(entry.key)
            out.append((entry.key, promotion))
        }
        return out
    }

    /// Every entry of `directory` alone.
    func loadAllInDirectory() throws(CorpusError) -> [Entry] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: directory) else { return [] }
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: directory) } catch {
            throw .io(path: directory, reason: "\(error)")
        }
        var entries: [Entry] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = (directory as NSString).appendingPathComponent(name)
            let key = Key(String(name.dropLast(5)))
            guard key.fileName == name else { throw .corrupted(path: file, reason: "not a corpus file name") }
            entries.append(try Corpus.read(file, key: key))
        }
        return entries
    }

    /// Deletes the entry of `key` from the layer that writes, if any.
    public func remove(_ key: Key) throws(CorpusError) {
        let file = path(key)
        guard FileManager.default.fileExists(atPath: file) else { return }
        do { try FileManager.default.removeItem(atPath: file) } catch { throw .io(path: file, reason: "\(error)") }
    }

    /// Saves each entry unless the corpus already holds one for its key that is shortlex-smaller or
    /// equal (when several entries share a key, the shortlex-smallest wins). Returns the entries written.
    @discardableResult
    public func merge(_ entries: [Entry]) throws(CorpusError) -> [Entry] {
        var best: [Key: Entry] = [:]
        var order: [Key] = []
        for e in entries {
            if let known = best[e.key] {
                if shortlexPrecedes(e.choices, known.choices) { best[e.key] = e }
            } else {
                best[e.key] = e
                order.append(e.key)
            }
        }
        var written: [Entry] = []
        for key in order {
            let e = best[key]!
            if let existing = try load(key), !shortlexPrecedes(e.choices, existing.choices) { continue }
            try save(e)
            written.append(e)
        }
        return written
    }

    static func read(_ file: String, key: Key) throws(CorpusError) -> Entry {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .io(path: file, reason: "cannot read")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .corrupted(path: file, reason: "not UTF-8")
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch { throw .corrupted(path: file, reason: error.description) }
        do { return try Entry(key: key, json: json) } catch { throw .corrupted(path: file, reason: error.reason) }
    }
}

/// Atomic file writes: a temporary file in the same directory, then rename(2), so a reader (or a
/// killed run) never sees a partial file.
public enum AtomicFile {
    public static func write(_ text: String, to final: String) throws(CorpusError) {
        let fm = FileManager.default
        let directory = (final as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw .io(path: directory, reason: "\(error)")
            }
        }
        let temp =
            (directory.isEmpty ? "." : directory) + "/." + (final as NSString).lastPathComponent
            + ".tmp-\(UUID().uuidString)"
        guard fm.createFile(atPath: temp, contents: Data(text.utf8)) else {
            throw .io(path: temp, reason: "cannot create temporary file")
        }
        if rename(temp, final) != 0 {
            let code = errno
            try? fm.removeItem(atPath: temp)
            throw .io(path: final, reason: "rename failed (errno \(code))")
        }
    }
}
