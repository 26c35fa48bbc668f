import Foundation

/// Why the counterexample corpus could not be read or written; always names the file.
public enum CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not a valid corpus entry.
    case corrupted(path: String, reason: String)
    /// The file system refused (permissions, missing directory, …).
    case io(path: String, reason: String)

    public var path: String {
        switch self { case let .corrupted(path, _), let .io(path, _): path }
    }

    public var description: String {
        switch self {
        case let .corrupted(path, reason): "corrupted corpus file \(path): \(reason)"
        case let .io(path, reason): "corpus I/O error at \(path): \(reason)"
        }
    }
}

/// Counterexamples kept as JSON files, one per claim reading: `<claim>--<reading>.json`
/// (characters outside `A-Z a-z 0-9 . _ -` become `_`). Writes are atomic (temp file in the same
/// directory, then `rename`). `Property.check` replays a claim reading's entry before anything else.
public struct Corpus: Sendable, Equatable {
    public static let defaultDirectory = "Tests/Regression/Corpus"

    /// The directory holding the files (created on first save).
    public let directory: String

    public init(directory: String = Corpus.defaultDirectory) { self.directory = directory }

    /// One stored counterexample.
    public struct Entry: Sendable, Equatable, JSONRenderable {
        public var claim: String
        public var reading: String
        public var replay: Replay
        /// The rendered (shrunk) case.
        public var caseJSON: JSONValue
        public var shrinkSteps: Int

        public init(claim: String, reading: String, replay: Replay, caseJSON: JSONValue, shrinkSteps: Int) {
            self.claim = claim
            self.reading = reading
            self.replay = replay
            self.caseJSON = caseJSON
            self.shrinkSteps = shrinkSteps
        }

        public var choices: [UInt64] { replay.choices }

        /// `{"claim", "reading", "replay", "choices", "case", "shrinkSteps"}` in that order;
        /// choices above `Int.max` are decimal strings.
        public var json: JSONValue {
            .object(["claim": .string(claim), "reading": .string(reading), "replay": .string(replay.encoded),
                     "choices": .array(replay.choices.map(\.json)), "case": caseJSON, "shrinkSteps": .int(shrinkSteps)])
        }

        /// Reads an entry back; `reason` strings are for `CorpusError.corrupted`.
        init(json: JSONValue) throws(CorpusEntryError) {
            guard case .object = json else { throw CorpusEntryError("top level is not an object") }
            guard case let .string(claim)? = json["claim"] else { throw CorpusEntryError("missing string 'claim'") }
            guard case let .string(reading)? = json["reading"] else { throw CorpusEntryError("missing string 'reading'") }
            guard case let .string(replayText)? = json["replay"] else { throw CorpusEntryError("missing string 'replay'") }
            let replay: Replay
            do { replay = try Replay(parsing: replayText) } catch { throw CorpusEntryError(error.description) }
            guard case let .array(items)? = json["choices"] else { throw CorpusEntryError("missing array 'choices'") }
            var choices: [UInt64] = []
            for item in items {
                switch item {
                case let .int(i) where i >= 0: choices.append(UInt64(i))
                case let .string(s) where UInt64(s) != nil: choices.append(UInt64(s)!)
                default: throw CorpusEntryError("'choices' must hold non-negative integers")
                }
            }
            guard choices == replay.choices else { throw CorpusEntryError("'choices' disagree with 'replay'") }
            guard let caseJSON = json["case"] else { throw CorpusEntryError("missing 'case'") }
            guard case let .int(steps)? = json["shrinkSteps"], steps >= 0 else {
                throw CorpusEntryError("missing non-negative integer 'shrinkSteps'")
            }
            self.init(claim: claim, reading: reading, replay: replay, caseJSON: caseJSON, shrinkSteps: steps)
        }
    }

    struct CorpusEntryError: Error { let reason: String; init(_ reason: String) { self.reason = reason } }

    /// `<claim>--<reading>.json`, sanitised.
    public static func fileName(claim: String, reading: String) -> String {
        func clean(_ s: String) -> String {
            String(s.unicodeScalars.map { c -> Character in
                c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-")
                    ? Character(c) : "_"
            })
        }
        return clean(claim) + "--" + clean(reading) + ".json"
    }

    public func path(claim: String, reading: String) -> String {
        (directory as NSString).appendingPathComponent(Corpus.fileName(claim: claim, reading: reading))
    }

    /// Writes (or replaces) the entry atomically.
    public func save(_ entry: Entry) throws(CorpusError) {
        try AtomicFile.write(entry.json.serialized(pretty: true) + "\n",
                             to: path(claim: entry.claim, reading: entry.reading))
    }

    /// The entry for a claim reading, or nil if there is none.
    public func load(claim: String, reading: String) throws(CorpusError) -> Entry? {
        let file = path(claim: claim, reading: reading)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let entry = try Corpus.read(file)
        guard entry.claim == claim, entry.reading == reading else {
            throw .corrupted(path: file, reason: "claim/reading '\(entry.claim)'/'\(entry.reading)' do not match the file")
        }
        return entry
    }

    /// Every entry in the directory (sorted by file name; temp and hidden files skipped).
    public func loadAll() throws(CorpusError) -> [Entry] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: directory) else { return [] }
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: directory) } catch { throw .io(path: directory, reason: "\(error)") }
        var entries: [Entry] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = (directory as NSString).appendingPathComponent(name)
            let entry = try Corpus.read(file)
            guard Corpus.fileName(claim: entry.claim, reading: entry.reading) == name else {
                throw .corrupted(path: file, reason: "claim/reading do not match the file name")
            }
            entries.append(entry)
        }
        return entries
    }

    /// Deletes the entry for a claim reading, if any.
    public func remove(claim: String, reading: String) throws(CorpusError) {
        let file = path(claim: claim, reading: reading)
        guard FileManager.default.fileExists(atPath: file) else { return }
        do { try FileManager.default.removeItem(atPath: file) } catch { throw .io(path: file, reason: "\(error)") }
    }

    static func read(_ file: String) throws(CorpusError) -> Entry {
        guard let data = FileManager.default.contents(atPath: file) else { throw .io(path: file, reason: "cannot read") }
        guard let text = String(validating: data, as: UTF8.self) else { throw .corrupted(path: file, reason: "not UTF-8") }
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch { throw .corrupted(path: file, reason: error.description) }
        do { return try Entry(json: json) } catch { throw .corrupted(path: file, reason: error.reason) }
    }
}

/// Atomic file writes: a temporary file in the same directory, then rename(2), so a reader (or a
/// killed run) never sees a partial file.
public enum AtomicFile {
    public static func write(_ text: String, to final: String) throws(CorpusError) {
        let fm = FileManager.default
        let directory = (final as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            catch { throw .io(path: directory, reason: "\(error)") }
        }
        let temp = (directory.isEmpty ? "." : directory) + "/." + (final as NSString).lastPathComponent + ".tmp-\(UUID().uuidString)"
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
