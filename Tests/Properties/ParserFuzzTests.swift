import Foundation
import MechanismCommon
@testable import Oracle
import OracleTesting
import Reference
import Testing

/// No input crashes the program: every parser of untrusted text or bytes, fuzzed with the project's own
/// engine (`Property.check` over the generators of `Hostile`). Each property reads "parsing returns a
/// value or throws a typed error naming the problem; it never traps", and, where cheap, a round trip
/// ("a parsed value re-encodes to text that parses to the same value"). A trap (overflow, index out of
/// range, precondition), a stack overflow or a runaway allocation kills the test process: that is the
/// failure signal. `ORACLE_PARSER_FUZZ_TRACE=1` prints each input to stderr before it is parsed, so the
/// last line before a crash is the crashing input; `ORACLE_REPLAY` replays one case.
///
/// Inputs: `ORACLE_PARSER_FUZZ_CASES` in all (default 10,000: about 5 s in a debug build on 2 cores; the full
/// run is `ORACLE_PARSER_FUZZ_CASES=100000 swift test --filter ParserFuzzTests`), shared per mille (`shares`):
/// `Rational(parsing:)` 100 + 50 (machine integers and fractions), `TextArguments` (rational lists, kernel
/// shapes, number lists, seeds) 100, `Shard(parsing:)` 50, `Replay(parsing:)` 100 + 50 (round trip), `.npy`
/// 150, JSON array files 100, `JSONValue(parsing:)` 75 + 25 (round trip), corpus files 50, merging
/// `oracle check --json` 75 and `oracle fuzz --json` 50, estimator answer lines 25. `ORACLE_PARSER_FUZZ_SEED`
/// varies the seeds (default: each property's label). The regressions at the end pin every crash found.
@Suite struct ParserFuzzTests {
    // MARK: Budget

    static let environment = ProcessInfo.processInfo.environment
    static let totalCases = environment["ORACLE_PARSER_FUZZ_CASES"].flatMap { Int($0) }.map { max(0, $0) } ?? 10_000
    static let seed = environment["ORACLE_PARSER_FUZZ_SEED"].flatMap { try? TextArguments.seed($0) }
    static let trace = environment["ORACLE_PARSER_FUZZ_TRACE"].map { !$0.isEmpty && $0 != "0" } ?? false
    static let verbose = environment["ORACLE_PARSER_FUZZ_CASES"] != nil

    /// Each property's share of the inputs, per mille (they add up to 1000).
    static let shares: [String: Int] = [
        "rational": 100, "rational-values": 50, "text-arguments": 100, "shard": 50, "replay": 100,
        "replay-round-trip": 50, "npy": 150, "json-array": 100, "json": 75, "json-round-trip": 25, "corpus": 50,
        "check-merge": 75, "fuzz-merge": 50, "estimator-answer": 25,
    ]

    /// How a run of one parser went: inputs tried, parsed, rejected with a typed error.
    final class Tally: @unchecked Sendable {
        var parsed = 0, rejected = 0
        func record(_ ok: Bool) { if ok { parsed += 1 } else { rejected += 1 } }
    }

    /// Runs `property` on `cases` inputs of `gen`; the property answers whether the input parsed
    /// (true), was refused with a typed error (false), or broke a round trip (throws `RoundTripFailure`).
    static func fuzz<Value>(
        _ gen: Gen<Value>, _ name: String, render: (Value) -> JSONValue,
        rejects: Bool = true, sourceLocation: SourceLocation = #_sourceLocation,
        _ parse: (Value) throws -> Bool
    ) throws {
        let cases = max(1, Int((Double(totalCases) * Double(shares[name, default: 10]) / 1000).rounded()))
        let tally = Tally()
        var configuration = RunConfiguration(seed: seed.map { $0 ^ Property.defaultSeed(for: name) }, cases: cases)
        configuration.replay = currentReplay()
        let label = "parser-fuzz." + name
        let report = try Property.check(gen, label: label, configuration: configuration, render: render) { value in
            if trace { FileHandle.standardError.write(Data("\(label): \(render(value).serialized())\n".utf8)) }
            tally.record(try parse(value))
            return true
        }
        #expect(report.holds, "\(issueText(report) ?? "")", sourceLocation: sourceLocation)
        if verbose {
            print("\(label): \(report.randomCases) inputs, \(tally.parsed) parsed, \(tally.rejected) rejected")
        }
        // Both outcomes must occur on a real run, or the generator misses half of the parser.
        if configuration.replay == nil && cases >= 200 {
            #expect(
                tally.parsed > 0 && (tally.rejected > 0) == rejects,
                "\(name): \(tally.parsed) parsed, \(tally.rejected) rejected", sourceLocation: sourceLocation)
        }
    }

    /// A parsed value that does not survive its round trip.
    struct RoundTripFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A refusal must be a typed error that says what was wrong.
    static func named(_ error: any Error) throws -> Bool {
        guard !"\(error)".isEmpty else {
            throw RoundTripFailure("refused without a description: \(error)")
        }
        return false
    }

    static func renderString(_ s: String) -> JSONValue { .string(s) }
}

extension JSONValue {
    /// The members of an object (none for other values).
    var objectMembers: [JSONValue.Member] { if case let .object(members) = self { members } else { [] } }
}

extension ParserFuzzTests {

    // MARK: Numbers and text arguments

    @Test func rationalParsing() throws {
        try Self.fuzz(Hostile.numberText, "rational", render: Self.renderString) { text in
            let r: Rational
            do { r = try Rational(parsing: text) } catch { return try Self.named(error) }
            guard (try? Rational(parsing: r.description)) == r else { throw RoundTripFailure("\(r) does not re-parse") }
            return true
        }
    }

    /// Integers and fractions of machine integers parse to their value (a negative denominator is refused).
    @Test func rationalParsingOfMachineIntegers() throws {
        let gen = Gen.zip(Hostile.integer, Hostile.integer)
        try Self.fuzz(gen, "rational-values", render: { .array([.int($0.0), .int($0.1)]) }) { p, q in
            guard try Rational(parsing: String(p)) == Rational(p) else { throw RoundTripFailure("\(p)") }
            let fraction: Rational
            do { fraction = try Rational(parsing: "\(p)/\(q)") } catch {
                guard q <= 0 else { throw RoundTripFailure("\(p)/\(q) refused: \(error)") }
                return try Self.named(error)
            }
            guard q > 0, fraction == (try Rational(BigInt(p), BigInt(q))) else { throw RoundTripFailure("\(p)/\(q)") }
            return true
        }
    }

    /// What a text argument parsed to.
    enum TextArgument {
        case rationals([Rational]), shape(rows: Int, columns: Int), numbers([Double]), seed(UInt64)
    }

    @Test func textArguments() throws {
        let list = Gen.weighted(
            (3, Gen.array(of: Hostile.numberText, count: 0...5).map { $0.joined(separator: ",") }),
            (1, Hostile.text(Hostile.numberTokens, max: 10)))
        let seedText = Gen.zip(Hostile.choice, Gen.bool).map { $0.1 ? String($0.0) : "0x" + String($0.0, radix: 16) }
        let gen = Gen.weighted(
            (3, list.map { (0, $0) }), (3, Hostile.shapeText.map { (1, $0) }), (2, Hostile.doublesText.map { (2, $0) }),
            (2, Hostile.text(Hostile.seedTokens, max: 5).map { (3, $0) }), (1, seedText.map { (3, $0) }))
        try Self.fuzz(gen, "text-arguments", render: { .array([.int($0.0), .string($0.1)]) }) {
            kind, text in
            let parsed: TextArgument
            do {
                switch kind {
                case 0: parsed = .rationals(try TextArguments.rationals(text, option: "--k1"))
                case 1:
                    let shape = try TextArguments.kernelShape(text)
                    parsed = .shape(rows: shape.rows, columns: shape.columns)
                case 2: parsed = .numbers(try TextArguments.numbers(text, option: "--bins"))
                default: parsed = .seed(try TextArguments.seed(text))
                }
            } catch { return try Self.named(error) }
            switch parsed {
            case let .rationals(values):
                let again = values.map(\.description).joined(separator: ",")
                guard values.count == text.split(separator: ",", omittingEmptySubsequences: false).count,
                    try TextArguments.rationals(again, option: "--k1") == values
                else { throw RoundTripFailure("entries \(values)") }
            case let .shape(rows, columns):
                guard rows >= 1, columns >= 1,
                    try TextArguments.kernelShape("\(rows)x\(columns)") == (rows, columns)
                else {
                    throw RoundTripFailure("shape \(rows)x\(columns)")
                }
            case let .numbers(values):
                let again = values.map(\.description).joined(separator: ",")
                guard values.allSatisfy(\.isFinite), try TextArguments.numbers(again, option: "--bins") == values
                else { throw RoundTripFailure("numbers \(values)") }
            case let .seed(seed):
                guard try TextArguments.seed(String(seed)) == seed,
                    try TextArguments.seed("0X" + String(seed, radix: 16, uppercase: true)) == seed
                else {
                    throw RoundTripFailure("seed \(seed)")
                }
            }
            return true
        }
    }

    /// `i/n` and what a run does with the parsed shard (its slots and its share of the cases).
    @Test func shardParsing() throws {
        let gen = Gen.zip(Hostile.shardText, Gen.element(of: [0, 1, 2, 100, 1 << 40, Int.max]))
        try Self.fuzz(gen, "shard", render: { .array([.string($0.0), .int($0.1)]) }) { text, cases in
            let shard: Shard
            do { shard = try Shard(parsing: text) } catch { return try Self.named(error) }
            guard shard.index >= 0, shard.index < shard.count, try Shard(parsing: shard.description) == shard else {
                throw RoundTripFailure("shard \(shard)")
            }
            for limit in [0, 1, shard.index, cases, Int.max] {
                let owned = shard.owned(below: limit)
                guard owned >= 0, owned <= max(0, limit) else {
                    throw RoundTripFailure("owned(below: \(limit)) = \(owned)")
                }
            }
            let slots = Array(RandomPhase(cases: cases, seed: 1, shard: shard).prefix(3))
            guard slots.allSatisfy({ $0.index < cases && shard.owns($0.index) && (0...100).contains($0.size) }),
                slots.count == min(3, shard.owned(below: cases))
            else { throw RoundTripFailure("slots \(slots)") }
            return true
        }
    }

    // MARK: Replays

    @Test func replayParsing() throws {
        try Self.fuzz(Hostile.replayText, "replay", render: Self.renderString) { text in
            let replay: Replay
            do { replay = try Replay(parsing: text) } catch { return try Self.named(error) }
            guard try Replay(parsing: replay.encoded) == replay, (0...ChoiceSource.maxSize).contains(replay.size) else {
                throw RoundTripFailure("\(replay.encoded)")
            }
            return true
        }
    }

    /// Every replay the engine writes parses back to itself.
    @Test func replayRoundTrip() throws {
        try Self.fuzz(Hostile.replay, "replay-round-trip", render: { .string($0.encoded) }, rejects: false) { replay in
            guard try Replay(parsing: replay.encoded) == replay,
                Hostile.base64url(Hostile.leb128(replay.choices))
                    == replay.encoded.split(
                        separator: ".",
                        omittingEmptySubsequences: false)[3]
            else { throw RoundTripFailure(replay.encoded) }
            return true
        }
    }

    // MARK: Array files

    @Test func numpyFiles() throws {
        try Self.fuzz(Hostile.numpy, "npy", render: { $0.json }) { c in
            let array: DoubleArray
            do {
                array = try DoubleArray.fromNumpy(c.bytes, path: "fuzz.npy", limit: SizeLimit(maxElements: c.limit))
            } catch {
                if c.expected != nil { throw RoundTripFailure("a valid file refused: \(error)") }
                return try Self.named(error)
            }
            guard let n = SizeLimit.product(array.shape), n == array.values.count, n <= c.limit else {
                throw RoundTripFailure("shape \(array.shape) with \(array.values.count) values")
            }
            if let expected = c.expected, expected != array.values { throw RoundTripFailure("values \(array.values)") }
            return true
        }
    }

    /// Rectangular nested arrays, `{"shape", "data"}` objects, ragged and deep nestings, mutated text.
    static let jsonArrayText: Gen<(text: String, expected: DoubleArray?, limit: Int)> = Gen { source in
        let limit = try Gen.weighted((4, Gen.constant(64)), (1, Gen.element(of: [0, 1, 1 << 27, Int.max]))).run(&source)
        switch try Gen.int(in: 0...4).run(&source) {
        case 0:
            // Nested: a shape of up to 4 axes of up to 4, then the values in C order.
            let shape = try Gen.array(of: Gen.int(in: 0...4), count: 0...4).run(&source)
            let count = shape.reduce(1, *)
            let values = try Gen.array(of: Gen.int(in: -4000...4000).map { Double($0) / 16 }, count: count...count)
                .run(&source)
            var offset = 0
            func nest(_ axis: Int) -> JSONValue {
                if axis == shape.count { defer { offset += 1 }; return .number(values[offset]) }
                return .array((0..<shape[axis]).map { _ in nest(axis + 1) })
            }
            let document = nest(0)
            // The reader sees the nesting down to the first empty array.
            let seen = shape.firstIndex(of: 0).map { Array(shape[...$0]) } ?? shape
            let expected = DoubleArray(shape: seen, values: values)
            return (document.serialized(), count <= limit ? expected : nil, limit)
        case 1:
            let dimension = Gen.weighted((4, Gen.int(in: 0...4).map(JSONValue.int)), (1, Hostile.hostileJSON))
            let item = Gen.weighted((6, Gen.int(in: -9...9).map(JSONValue.int)), (1, Hostile.hostileJSON))
            let shape = try Gen.array(of: dimension, count: 0...4).run(&source)
            let data = try Gen.array(of: item, count: 0...70).run(&source)
            return (JSONValue.object(["shape": .array(shape), "data": .array(data)]).serialized(), nil, limit)
        case 2:
            let depth = try Gen.weighted((3, Gen.int(in: 0...600)), (1, Gen.int(in: 0...100_000))).run(&source)
            let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
            let expected = depth < 500 ? DoubleArray(shape: Array(repeating: 1, count: depth), values: [1]) : nil
            return (text, limit >= 1 ? expected : nil, limit)
        case 3:
            return (
                try Hostile.mutated(
                    Hostile.jsonValue(depth: 3).map { $0.serialized() },
                    tokens: Hostile.jsonTokens
                ).run(&source), nil, limit
            )
        default:
            let base = "{\"shape\": [2, 3], \"data\": [1, 2, 3, 4, 5, 6]}"
            return (try Hostile.mutated(Gen.constant(base), tokens: Hostile.jsonTokens).run(&source), nil, limit)
        }
    }

    @Test func jsonArrayFiles() throws {
        try Self.fuzz(Self.jsonArrayText, "json-array", render: { .array([.string($0.text), .int($0.limit)]) }) {
            c in
            let array: DoubleArray
            let limit = SizeLimit(maxElements: c.limit)
            do { array = try DoubleArray.fromJSON(Array(c.text.utf8), path: "fuzz.json", limit: limit) } catch {
                if c.expected != nil { throw RoundTripFailure("a valid file refused: \(error)") }
                return try Self.named(error)
            }
            guard let n = SizeLimit.product(array.shape), n == array.values.count, n <= c.limit else {
                throw RoundTripFailure("shape \(array.shape) with \(array.values.count) values")
            }
            if let expected = c.expected, expected != array {
                throw RoundTripFailure("read \(array.shape) \(array.values.prefix(8))")
            }
            return true
        }
    }

    // MARK: JSON

    /// Whether every number in `value` is finite (non-finite ones print as strings, so do not round-trip).
    static func allFinite(_ value: JSONValue) -> Bool {
        switch value {
        case let .number(x): x.isFinite
        case let .array(items): items.allSatisfy(allFinite)
        case let .object(members): members.allSatisfy { allFinite($0.value) }
        default: true
        }
    }

    @Test func jsonValueParsing() throws {
        try Self.fuzz(Hostile.jsonText, "json", render: Self.renderString) { text in
            let value: JSONValue
            do { value = try JSONValue(parsing: text) } catch { return try Self.named(error) }
            if Self.allFinite(value) {
                guard try JSONValue(parsing: value.serialized()) == value,
                    try JSONValue(parsing: value.serialized(pretty: true)) == value
                else {
                    throw RoundTripFailure(value.serialized())
                }
            }
            return true
        }
    }

    /// Values the engine writes (finite numbers, any strings) parse back to themselves.
    @Test func jsonRoundTrip() throws {
        try Self.fuzz(Hostile.jsonValue(depth: 4), "json-round-trip", render: { $0 }, rejects: false) { value in
            guard try JSONValue(parsing: value.serialized()) == value,
                try JSONValue(parsing: value.serialized(pretty: true)) == value
            else {
                throw RoundTripFailure(value.serialized())
            }
            return true
        }
    }

    // MARK: Corpus files

    /// A corpus entry as JSON (valid, then perhaps mutated node by node or character by character) and the
    /// name of its file.
    static let corpusFile: Gen<(name: String, text: String, entry: Corpus.Entry?)> = Gen { source in
        let key = Corpus.Key(
            try Hostile.text(["a", "b", ".", "-", "_", "/", " ", "é", "..", "x"], max: 6).run(&source))
        let annotations = try Gen.array(
            of: Gen.zip(
                Gen.element(of: ["claim", "reading", "note", "replay", "case"]),
                Hostile.text(["a", "\"", "\n", "é"], max: 3)), count: 0...2
        )
        .run(&source).map { Corpus.Annotation($0.0, $0.1) }
        .filter { !["replay", "choices", "case", "shrinkSteps"].contains($0.name) }
        let entry = Corpus.Entry(
            key: key, annotations: annotations, replay: try Hostile.replay.run(&source),
            caseJSON: try Hostile.jsonValue(depth: 2).run(&source),
            shrinkSteps: try Gen.int(in: 0...50).run(&source))
        let name = try Gen.weighted(
            (6, Gen.constant(key.fileName)),
            (
                1,
                Gen.element(of: [
                    "..json", ".hidden.json", "a b.json", "x.json.tmp", "é.json",
                    ".json", "-.json", "a.JSON",
                ])
            )
        ).run(&source)
        let valid = ParserFuzzTests.allFinite(entry.json) ? entry.json : .null
        let document = try Hostile.mutatedDocument(valid).run(&source)
        let text = try Gen.weighted(
            (5, Gen.constant(document.serialized(pretty: true))),
            (
                2,
                Hostile.mutated(
                    Gen.constant(document.serialized()),
                    tokens: Hostile.jsonTokens)
            ),
            (1, Hostile.jsonText)
        ).run(&source)
        let intact =
            name == key.fileName && !name.hasPrefix(".") && document == entry.json
            && text == document.serialized(pretty: true)
        return (name, text, intact ? entry : nil)
    }

    @Test func corpusFiles() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parser-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let corpus = Corpus(directory: directory)
        try Self.fuzz(Self.corpusFile, "corpus", render: { .array([.string($0.name), .string($0.text)]) }) {
            file in
            let path = (directory as NSString).appendingPathComponent(file.name)
            defer { try? FileManager.default.removeItem(atPath: path) }
            guard FileManager.default.createFile(atPath: path, contents: Data(file.text.utf8)) else { return false }
            let key = Corpus.Key(String(file.name.dropLast(5)))
            do {
                let all = try corpus.loadAll()
                let one = try corpus.load(key)
                if let expected = file.entry, all != [expected] || one != expected {
                    throw RoundTripFailure("entry read back as \(all.map(\.json))")
                }
                return true
            } catch let error as CorpusError {
                if file.entry != nil { throw RoundTripFailure("a valid entry refused: \(error)") }
                return try Self.named(error)
            }
        }
    }

    // MARK: Merging shard results

    /// A `ShardLog` as a shard of a run writes it.
    static let shardLog: Gen<ShardLog> = Gen { source in
        let count = try Gen.int(in: 1...4).run(&source)
        var log = ShardLog(shard: try Shard(index: try Gen.int(in: 0...(count - 1)).run(&source), count: count))
        log.corpusCases = try Gen.int(in: 0...1).run(&source)
        log.corpusDiscarded = try Gen.int(in: 0...1).run(&source)
        if try Gen.bool.run(&source) {
            log.exhaustive = try ExhaustiveSummary(
                json: .object([
                    "sequences": .int(try Gen.int(in: 0...50).run(&source)), "generated": .int(3), "rejected": .int(1),
                    "complete": .bool(try Gen.bool.run(&source)), "capped": .bool(false), "valueCap": .int(4),
                ]))
            log.exhaustiveDiscards = Set(try Gen.array(of: Gen.int(in: 0...50), count: 0...3).run(&source)).sorted()
        }
        log.randomCases = try Gen.oneOf(Gen.constant(nil), Gen.int(in: 0...200).map { Optional($0) }).run(&source)
        let discards = try Gen.array(of: Gen.zip(Gen.int(in: 0...200), Gen.int(in: 1...10)), count: 0...3).run(&source)
        let byIndex = Dictionary(discards, uniquingKeysWith: { first, _ in first })
        let pairs = byIndex.keys.sorted().map { JSONValue.array([.int($0), .int(byIndex[$0, default: 1])]) }
        log = try ShardLog(
            json: .object(
                log.json.objectMembers.map {
                    $0.key == "randomDiscards" ? .init($0.key, .array(pairs)) : $0
                }))
        if try Gen.bool.run(&source) {
            log.failure = CasePosition(
                phase: try Gen.element(of: [.corpus, .exhaustive, .random]).run(&source),
                index: try Gen.int(in: 0...200).run(&source))
        }
        log.generated = try Gen.int(in: 0...200).run(&source)
        return log
    }

    /// The JSON of `oracle check --shard i/n --json` for each shard of a campaign: readings decided on
    /// generated cases (with their logs), decided here, or skipped.
    static let checkRuns: Gen<[JSONValue]> = Gen { source in
        let n = try Gen.int(in: 1...4).run(&source)
        let readings = try Gen.int(in: 1...3).run(&source)
        let cases = try Gen.oneOf(Gen.constant(nil), Gen.int(in: 1...300).map { Optional($0) }).run(&source)
        var documents: [JSONValue] = []
        for i in 0..<n {
            var outcomes: [ReadingOutcome] = []
            for r in 0..<readings {
                var log = try shardLog.run(&source)
                log.shard = try Shard(index: i, count: n)
                let whole: ShardRecord = i == 0 ? .decidedHere(.symbolicIdentity) : .skipped(.symbolicIdentity)
                let record = try Gen<ShardRecord>.weighted((4, .constant(.cases(log))), (1, .constant(whole)))
                    .run(&source)
                let replay = try Hostile.replay.run(&source)
                let counterexample =
                    log.failure == nil
                    ? nil
                    : PropertyReport.Counterexample(
                        replay: replay.encoded, choices: replay.choices, case: .int(r), originalCase: .int(r),
                        originalReplay: "", shrinkSteps: 1, shrinkAttempts: 1, message: "property returned false",
                        phase: log.failure?.phase ?? .random)
                outcomes.append(
                    ReadingOutcome(
                        id: "c\(r)", reading: "printed", kind: .exact,
                        verdict: counterexample == nil ? .holds : .refuted, evidence: .tested,
                        expected: .holds, cases: 10, counterexample: counterexample, note: "n",
                        shard: n == 1 ? nil : record))
            }
            let shard = try Shard(index: i, count: n)
            documents.append(CheckRun(seed: 7, shard: shard, cases: cases, outcomes: outcomes).json)
        }
        // Mutate some of the shards' documents; sometimes drop or repeat one.
        documents = try Hostile.recounted(documents).run(&source)
        documents = try Hostile.mutatedDocuments(documents).run(&source)
        switch try Gen.weighted((6, Gen.constant(0)), (1, Gen.int(in: 1...2))).run(&source) {
        case 1: documents.removeLast()
        case 2: documents.append(documents[0])
        default: break
        }
        return documents
    }

    @Test func checkMerging() throws {
        try Self.fuzz(Self.checkRuns, "check-merge", render: JSONValue.array) { documents in
            do {
                let runs = try documents.map { try CheckRun(json: $0) }
                let merged = try CheckRun.merge(runs)
                _ = (merged.json.serialized(), merged.corpusEntries)
                return true
            } catch let error as CampaignError { return try Self.named(error) }
        }
    }

    /// The JSON of `oracle fuzz --shard i/n --json` for each shard of a campaign, mutated.
    static let fuzzReports: Gen<[JSONValue]> = Gen { source in
        let n = try Gen.int(in: 1...4).run(&source)
        var documents: [JSONValue] = []
        for i in 0..<n {
            let findings = try Gen.array(
                of: Gen.zip(
                    Gen.element(of: FindingKind.allCases), Gen.int(in: 0...100),
                    Gen.int(in: 1...5)), count: 0...3
            ).run(&source)
                .map {
                    FuzzFinding(
                        kind: $0.0, message: "m", caseIndex: $0.1, replay: "", shrunk: .null,
                        original: .null, shrinkSteps: 0, exact: "1", answer: "2", occurrences: $0.2)
                }
            let errors = try Gen.array(of: Gen.int(in: 0...1000).map { Double($0) / 1e6 }, count: 0...5).run(&source)
            var report = FuzzReport(
                estimator: "e", task: .sdr1d, seed: 3, shard: try Shard(index: i, count: n),
                cases: try Gen.int(in: 0...100).run(&source), errors: errors,
                worst: errors.max().map { ($0, 1, .null) }, findings: findings, undefinedCases: 1,
                seconds: 0.5)
            report.requestedCases = 100
            documents.append(report.json)
        }
        documents = try Hostile.mutatedDocuments(documents).run(&source)
        if try Gen.weighted((6, Gen.constant(false)), (1, Gen.constant(true))).run(&source) { documents.removeLast() }
        return try Hostile.recounted(documents).run(&source)
    }

    @Test func fuzzMerging() throws {
        try Self.fuzz(Self.fuzzReports, "fuzz-merge", render: JSONValue.array) { documents in
            let merged: JSONValue
            do { merged = try FuzzCampaign.merge(documents) } catch { return try Self.named(error) }
            _ = FuzzCampaign.summary(merged)
            return true
        }
    }

    // MARK: Estimator answers

    /// One line of an external estimator's stdout.
    static let answerLine: Gen<String> = Gen.weighted(
        (
            3,
            Gen.zip(Hostile.integer, Hostile.jsonValue(depth: 3)).map {
                JSONValue.object(["id": .int($0.0), "value": $0.1]).serialized()
            }
        ),
        (
            2,
            Gen.zip(Gen.int(in: 0...600), Gen.element(of: ["NaN", "Infinity", "-Infinity", "1", "null"])).map {
                let (open, close) = (String(repeating: "[", count: $0.0), String(repeating: "]", count: $0.0))
                return "{\"id\": 1, \"value\": " + open + $0.1 + close + "}"
            }
        ),
        (
            3,
            Hostile.mutated(
                Gen.constant("{\"id\": 1, \"value\": [[1, NaN], [Infinity, -Infinity]]}"),
                tokens: Hostile.jsonTokens + ["NaN", "-Infinity", "Infinity", "\"error\": \"x\""])
        ),
        (1, Hostile.jsonText))

    @Test func estimatorAnswers() throws {
        try Self.fuzz(Self.answerLine, "estimator-answer", render: Self.renderString) { line in
            do { _ = try ExternalEstimator.parse(line); return true } catch { return try Self.named(error) }
        }
    }
}

// MARK: - Regressions: every crash the fuzzing found, as a concrete input

extension ParserFuzzTests {
    /// The typed error `body` throws (nil when it returns).
    static func thrown<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
        do { try body(); return nil } catch { return error as? E }
    }

    @Test func sharesAddUpToOneThousand() {
        #expect(Self.shares.values.reduce(0, +) == 1000)
    }

    /// `abs(Int.min)` trapped on the exponent −2⁶³.
    @Test func rationalExponentOfIntMin() throws {
        for text in [
            "+-9223372036854775807e-9223372036854775808", "1e-9223372036854775808", "1e9223372036854775807",
            "1e99999999999999999999", "1e100001", "-2.5E-100001",
        ] {
            let error = Self.thrown(ReferenceError.self) { _ = try Rational(parsing: text) }
            guard case .exponentOutOfRange? = error else {
                Issue.record("\(text): \(String(describing: error))")
                continue
            }
        }
        #expect(try Rational(parsing: "1e100000") == Rational(try BigInt(10).power(100_000)))
        #expect(try Rational(parsing: "-25e-1") == (try Rational(-5, 2)))
        if case .malformedNumber? = Self.thrown(ReferenceError.self, { _ = try Rational(parsing: "1e+-3") }) {
        } else {
            Issue.record("1e+-3: expected malformedNumber")
        }
    }

    /// `owned(below: Int.max)` overflowed in `limit − index + count − 1`.
    @Test func shardShareOfIntMax() throws {
        let shard = try Shard(parsing: "31/39")
        #expect(shard.owned(below: Int.max) == (Int.max - 31 - 1) / 39 + 1)
        #expect(try Shard(parsing: "0/9223372036854775807").owned(below: Int.max) == 1)
        // Unchanged on ordinary sizes: ⌈(limit − index) / count⌉.
        for count in 1...5 {
            for index in 0..<count {
                for limit in 0...20 {
                    let shard = try Shard(index: index, count: count)
                    #expect(shard.owned(below: limit) == (0..<limit).filter { $0 % count == index }.count)
                }
            }
        }
    }

    /// The random phase's index overflowed stepping by a shard count near Int.max (`--shard 16/9223372036854775807`).
    @Test func randomPhaseOfAHugeShardCount() throws {
        let slots = Array(RandomPhase(cases: 1 << 40, seed: 1, shard: try Shard(parsing: "16/9223372036854775807")))
        #expect(slots.map(\.index) == [16])
    }

    /// `Shard.caseSize` overflowed in `100 · j` for j past Int.max / 100.
    @Test func caseSizeOfAHugeIndex() throws {
        let shard = try Shard(parsing: "40/2305843009213693952")
        let slots = Array(RandomPhase(cases: Int.max, seed: 1, shard: shard).prefix(3))
        #expect(slots.map(\.index) == [40, 40 + (1 << 61), 40 + (1 << 62)])
        #expect(slots.map(\.size) == [0, 25, 50])
        // Unchanged on ordinary sizes: ⌊100 j / (cases − 1)⌋, capped at 100.
        for cases in [0, 1, 2, 3, 7, 100, 301] {
            for j in 0..<max(1, cases) {
                #expect(Shard.caseSize(j, of: cases) == (cases <= 1 ? 0 : min(100, 100 * j / (cases - 1))))
            }
        }
    }

    /// Merging looped over every index below the shard count (`0/9223372036854775806`: a hang).
    @Test func mergeOfAShardOfAHugeCampaign() throws {
        let shard = try Shard(parsing: "0/9223372036854775806")
        var report = FuzzReport(
            estimator: "e", task: .sdr1d, seed: 3, shard: shard, cases: 1, errors: [], worst: nil,
            findings: [], undefinedCases: 0, seconds: 0)
        report.requestedCases = 100
        #expect(throws: CampaignError.missingShards(Array(1...10), of: Int.max - 1)) {
            try FuzzCampaign.merge([report.json])
        }
        let run = CheckRun(seed: 1, shard: try Shard(parsing: "0/9223372036854775807"), outcomes: [])
        #expect(throws: CampaignError.missingShards(Array(1...10), of: Int.max)) {
            try CheckRun.merge([try CheckRun(json: run.json)])
        }
        #expect(CampaignError.missingShards(Array(1...10), of: Int.max).description.contains("(the first 10)"))
    }

    /// The shards' case counts and occurrences overflowed when summed.
    @Test func fuzzMergeOfHugeCounts() throws {
        func report(_ i: Int, cases: Int, occurrences: Int) throws -> JSONValue {
            let finding = FuzzFinding(
                kind: .crash, message: "m", caseIndex: i, replay: "", shrunk: .null,
                original: .null, shrinkSteps: 0, exact: "1", answer: "2",
                occurrences: occurrences)
            var r = FuzzReport(
                estimator: "e", task: .sdr1d, seed: 3, shard: try Shard(index: i, count: 2),
                cases: cases, errors: [], worst: nil, findings: [finding], undefinedCases: 0,
                seconds: 0)
            r.requestedCases = 100
            return r.json
        }
        for (cases, occurrences) in [(Int.max, 1), (1, Int.max)] {
            let error = Self.thrown(CampaignError.self) {
                _ = try FuzzCampaign.merge([
                    try report(0, cases: cases, occurrences: occurrences),
                    try report(1, cases: cases, occurrences: occurrences),
                ])
            }
            #expect(error?.description.contains("add up to more than") == true)
        }
        #expect(throws: CampaignError.self) { try FuzzCampaign.merge([try report(0, cases: -1, occurrences: 1)]) }
    }

    /// `ShardLog.merge` overflowed on a failure at index Int.max and on summed counts; logs are now checked
    /// when read, and the merge saturates on hand-made ones.
    @Test func shardLogsOfHugeCounts() throws {
        var a = ShardLog(shard: try Shard(index: 0, count: 2)), b = ShardLog(shard: try Shard(index: 1, count: 2))
        a.exhaustive = try ExhaustiveSummary(
            json: .object([
                "sequences": .int(Int.max), "generated": .int(0),
                "rejected": .int(0), "complete": .bool(false), "capped": .bool(false), "valueCap": .int(4),
            ]))
        b.exhaustive = a.exhaustive
        a.failure = CasePosition(phase: .exhaustive, index: Int.max)
        a.generated = Int.max
        b.generated = Int.max
        let merged = ShardLog.merge([a, b])
        #expect(merged.generated == Int.max && merged.winner == 0)
        #expect(ShardLog.merge([]).casesRun == 0)
        // Read back: corpus counts are 0 or 1, discards increase, a random case has 1…10 discarded draws.
        for (key, value) in [
            ("corpusCases", JSONValue.int(5)), ("generated", .int(-1)),
            ("randomDiscards", .array([.array([.int(3), .int(11)])])),
            ("exhaustiveDiscards", .array([.int(2), .int(2)])),
            ("failure", .object(["phase": .string("random"), "index": .int(-1)])),
        ] {
            let json = JSONValue.object(a.json.objectMembers.map { $0.key == key ? .init(key, value) : $0 })
            #expect(throws: CampaignError.self, "\(key)") { try ShardLog(json: json) }
        }
        #expect(try ShardLog(json: a.json) == a)
    }

    /// The data size of a `.npy` shape overflowed in `count · width` when the limit is Int.max.
    @Test func numpyDataSizeOverflow() throws {
        let header = "{'descr': '<i8', 'fortran_order': False, 'shape': (4611686018427387904, ), }"
        let padded = header + String(repeating: " ", count: (64 - (12 + header.utf8.count + 1) % 64) % 64) + "\n"
        let length = padded.utf8.count
        let bytes =
            [0x93] + Array("NUMPY".utf8) + [2, 0] + (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) }
            + Array(padded.utf8)
        let error = Self.thrown(ArrayFileError.self) {
            _ = try DoubleArray.fromNumpy(bytes, path: "huge.npy", limit: SizeLimit(maxElements: .max))
        }
        #expect(error?.reason.contains("more than \(Int.max) data bytes") == true)
    }

    /// Replay sizes above 100 were accepted (no run writes them; generators read the size).
    @Test func replaySizeAboveTheMaximum() throws {
        #expect(throws: ReplayError.invalidSize("999999999")) { try Replay(parsing: "v1.0000000000000000.999999999.") }
        #expect(throws: ReplayError.invalidSize("101")) { try Replay(parsing: "v1.0000000000000000.101.AA") }
        #expect(throws: Never.self) { try Replay(parsing: "v1.0000000000000000.100.AA") }
    }

    /// Nesting is refused at depth 512 without exhausting the stack, and accepted below it.
    @Test func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.thrown(JSONParseError.self) { _ = try JSONValue(parsing: deep) }?.reason == "nesting too deep")
        let ok = String(repeating: "[", count: 511) + "1" + String(repeating: "]", count: 511)
        let array = try DoubleArray.fromJSON(Array(ok.utf8), path: "deep.json", limit: SizeLimit(maxElements: 1))
        #expect(array.shape.count == 511 && array.values == [1])
    }

    /// The CLI's `--shape` read `3x` as 3 and trapped on nothing, but accepted junk; lists of huge exponents
    /// are refused before they take gigabytes.
    @Test func textArgumentEdges() throws {
        for text in ["3x", "x3", "3xx5", "0x5", "-3", "99999999999999999999", "3x5x7", "", " ", "٣"] {
            #expect(throws: TextArgumentError.self, "\(text)") { try TextArguments.kernelShape(text) }
        }
        #expect(try TextArguments.kernelShape(" 3 X 5 ") == (3, 5))
        #expect(try TextArguments.kernelShape("7") == (1, 7))
        let huge = Array(repeating: "1e100000", count: 60).joined(separator: ",")
        #expect(
            Self.thrown(TextArgumentError.self) { _ = try TextArguments.rationals(huge, option: "--k1") }?
                .reason.contains("bits") == true)
        #expect(
            try TextArguments.rationals("1,-3/4,0.125,1e-3", option: "--k1")
                == [1, try Rational(-3, 4), try Rational(1, 8), try Rational(1, 1000)])
        for text in ["1,,2", "nan", "1e400", "0,inf", ""] {
            #expect(throws: TextArgumentError.self, "\(text)") { try TextArguments.numbers(text, option: "--bins") }
        }
        #expect(throws: TextArgumentError.self) { try TextArguments.numbers("0.1,-1", option: "--gammas", atLeast: 0) }
        #expect(try TextArguments.seed("0x2A") == 42)
        #expect(try TextArguments.seed("18446744073709551615") == .max)
        for text in ["18446744073709551616", "-1", "+1", "0x", "0x-1", "0x+f", " 1"] {
            #expect(throws: TextArgumentError.self, "\(text)") { try TextArguments.seed(text) }
        }
    }
}
