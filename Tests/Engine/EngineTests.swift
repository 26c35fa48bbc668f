import Foundation
import MechanismCommon
import OracleTesting
import PropertyEngine
import Testing

/// Self-tests of the property engine (Sources/PropertyEngine, Sources/OracleTesting), built without GMP.
@Suite struct EngineTests {
    static let naturals = Gen.array(of: Gen.int(in: 0...1000), count: 0...20)

    // MARK: PRNG and draws

    @Test func engineSplitMix64MatchesReference() {
        var rng = SplitMix64(seed: 0)
        #expect([rng.next(), rng.next(), rng.next()] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F])
        var vigna = SplitMix64(seed: 1234567)
        #expect([vigna.next(), vigna.next()] == [6457827717110365317, 3203168211198807973])
        #expect(SplitMix64.mix(0x9E3779B97F4A7C15) == 0xE220A8397B1DCDAF)
    }

    @Test func engineBoundedDrawIsUniformAndDeterministic() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        var counts = [Int](repeating: 0, count: 3)
        for _ in 0..<30_000 {
            let x = a.next(upTo: 2)
            #expect(x == b.next(upTo: 2))
            counts[Int(x)] += 1
        }
        // Each bucket ~10 000; a biased rule (e.g. x % 3 on a narrow range) or a stuck one fails.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 }, "\(counts)")
        #expect(a.next(upTo: 0) == 0)
    }

    @Test func engineIntMappingShrinksTowardsZeroAndIsBijective() throws {
        for (lo, hi) in [(-3, 5), (-5, 3), (2, 9), (-9, -2), (0, 0), (-1, 1)] {
            var seen = Set<Int>()
            for c in 0...UInt64(hi - lo) {
                let v = Gen.intValue(choice: c, lo: lo, hi: hi)
                #expect((lo...hi).contains(v))
                #expect(Gen.intChoice(for: v, lo: lo, hi: hi) == c)
                seen.insert(v)
            }
            #expect(seen.count == hi - lo + 1)
            #expect(Gen.intValue(choice: 0, lo: lo, hi: hi) == min(max(0, lo), hi))
        }
        #expect(Gen.intValue(choice: 1, lo: -3, hi: 5) == 1)
        #expect(Gen.intValue(choice: 2, lo: -3, hi: 5) == -1)
        #expect(Gen.intValue(choice: 7, lo: -3, hi: 5) == 4)
        #expect(Gen.intValue(choice: .max, lo: .min, hi: .max) == .min)
        #expect(Gen.intValue(choice: .max - 2, lo: .min, hi: .max) == .max)
        #expect(Gen.intValue(choice: .max - 1, lo: .min, hi: .max) == -.max)
        // Replay clamps above the bound; past the end yields the simplest choice.
        #expect(try Gen.int(in: 10...20).generate(replaying: [999]) == 20)
        #expect(try Gen.int(in: -5...5).generate(replaying: []) == 0)
    }

    @Test func engineSizeGrowsOverTheRun() throws {
        let sizes = LockedBox<[Int]>([])
        let report = try Property.check(
            Gen.sized { Gen.constant($0) }, label: "size", configuration: RunConfiguration(seed: 1, cases: 101)
        ) { size in
            sizes.mutate { $0.append(size) }
            return true
        }
        #expect(report.holds)
        #expect(sizes.value == Array(0...100))
    }

    // MARK: Shrinking

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func engineShrinksSumToSingleHundred(seed: UInt64) throws {
        let report = try Property.check(
            Self.naturals, label: "sum below 100", configuration: RunConfiguration(seed: seed, cases: 200)
        ) {
            $0.reduce(0, +) < 100
        }
        let c = try #require(report.counterexample)
        #expect(report.verdict == .refuted)
        #expect(c.case == .array([.int(100)]))
        #expect(c.choices == [1, 100])
        #expect(c.shrinkSteps > 0)
        #expect(c.originalCase != c.case)
    }

    static let dependent = Gen.int(in: 1...10).flatMap { n in Gen.array(of: Gen.int(in: 0...1000), count: n...n) }

    @Test func engineShrinksThroughFlatMapOuterAndInner() throws {
        // Fails when there are at least 3 elements and one is ≥ 500: minimum [0, 0, 500] (n = 3).
        let r1 = try Property.check(
            Self.dependent, label: "dependent", configuration: RunConfiguration(seed: 7, cases: 300)
        ) {
            $0.count < 3 || $0.allSatisfy { $0 < 500 }
        }
        let c1 = try #require(r1.counterexample)
        #expect(c1.case == .array([.int(0), .int(0), .int(500)]))
        #expect(c1.choices == [2, 0, 0, 500])
        // Fails when the sum reaches 1000: minimum one element, 1000 (outer choice 0).
        let r2 = try Property.check(
            Self.dependent, label: "dependent sum", configuration: RunConfiguration(seed: 8, cases: 300)
        ) {
            $0.reduce(0, +) < 1000
        }
        let c2 = try #require(r2.counterexample)
        #expect(c2.case == .array([.int(1000)]))
        #expect(c2.choices == [0, 1000])
    }

    @Test func engineShrinksThroughFilter() throws {
        let even = Gen.int(in: 0...1000).filter("even") { $0 % 2 == 0 }
        let r1 = try Property.check(even, label: "even below 100", configuration: RunConfiguration(seed: 3)) {
            $0 < 100
        }
        #expect(r1.counterexample?.case == .int(100))
        let r2 = try Property.check(
            Gen.array(of: even, count: 1...10), label: "even sum", configuration: RunConfiguration(seed: 4)
        ) {
            $0.reduce(0, +) < 100
        }
        #expect(r2.counterexample?.case == .array([.int(100)]))
        #expect((r2.counterexample?.shrinkSteps ?? 0) > 0)
    }

    @Test func engineThrownErrorIsFailureAndDiscardSkips() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let r = try Property.check(Gen.int(in: 0...100), label: "throws", configuration: RunConfiguration(seed: 5)) {
            v in
            if v >= 10 { throw Boom() }
            return true
        }
        #expect(r.counterexample?.message == "threw: boom")
        #expect(r.counterexample?.case == .int(10))
        let d = try Property.check(
            Gen.int(in: 0...100), label: "discards", configuration: RunConfiguration(seed: 5, cases: 50)
        ) { v in
            if v % 2 == 1 { throw Discard("odd") }
            return v % 2 == 0
        }
        #expect(d.holds)
        // Discarded draws are replaced: 50 cases reach the property.
        #expect(d.discarded > 0 && d.casesRun == 50)
        // When almost everything is discarded, each case gives up after 10 draws.
        let starved = try Property.check(
            Gen.int(in: 0...100), label: "starved", configuration: RunConfiguration(seed: 5, cases: 20)
        ) { v in
            if v != 0 { throw Discard("not zero") }
            return true
        }
        #expect(starved.casesRun + starved.discarded == starved.randomCases && starved.casesRun < 20)
        #expect(starved.randomCases <= 200 && starved.randomCases >= 10 * (20 - starved.casesRun))
    }

    @Test func engineShrinkLimitsBoundTheWork() throws {
        let limited = try Property.check(
            Self.naturals, label: "limited",
            configuration: RunConfiguration(seed: 1, shrinkLimits: ShrinkLimits(maxAttempts: 3))
        ) { $0.reduce(0, +) < 100 }
        #expect((limited.counterexample?.shrinkAttempts ?? 99) <= 3)
        let none = try Property.check(
            Self.naturals, label: "none", configuration: RunConfiguration(seed: 1, shrinkLimits: .none)
        ) { $0.reduce(0, +) < 100 }
        #expect(none.counterexample?.shrinkSteps == 0)
        #expect(none.counterexample?.case == none.counterexample?.originalCase)
    }

    // MARK: Replay

    @Test func engineReplayReproducesTheCaseBitForBit() throws {
        let gen = Gen.zip(Self.naturals, Gen.bool, Gen.element(of: ["a", "b", "c"]))
        let render: ((([Int], Bool, String)) -> JSONValue) = { .tuple($0.0, $0.1, $0.2) }
        let report = try Property.check(
            gen, label: "replay", configuration: RunConfiguration(seed: 11, shrinkLimits: .none), render: render
        ) {
            $0.0.count < 4
        }
        let c = try #require(report.counterexample)
        let replayed = try Property.check(
            gen, label: "replay", configuration: RunConfiguration(replay: c.replay), render: render
        ) { $0.0.count < 4 }
        #expect(replayed.counterexample?.case == c.case)
        #expect(replayed.counterexample?.choices == c.choices)
        #expect(replayed.counterexample?.phase == .replay)
        #expect(replayed.casesRun == 1)
        let parsed = try Replay(parsing: c.replay)
        #expect(
            render(try gen.generate(replaying: parsed.choices, size: parsed.size)).serialized() == c.case.serialized())
        // The same sequence through a fresh source records exactly the same choices.
        var source = ChoiceSource.replaying(parsed.choices, size: parsed.size)
        _ = try gen.run(&source)
        #expect(source.choices == parsed.choices)
    }

    @Test func engineReplayStringRoundTrips() throws {
        var rng = SplitMix64(seed: 99)
        for length in [0, 1, 2, 3, 7, 50] {
            let choices = (0..<length).map { i in i % 3 == 0 ? rng.next() : rng.next(upTo: 300) }
            let replay = Replay(seed: rng.next(), size: Int(rng.next(upTo: 100)), choices: choices + [.max, 0])
            let text = replay.encoded
            #expect(text.hasPrefix("v1."))
            #expect(text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
            #expect(try Replay(parsing: "  \(text)\n") == replay)
        }
        #expect(Replay(seed: 42, size: 37, choices: [1, 100]).encoded == "v1.000000000000002a.37.AWQ")
        #expect(try Replay(parsing: "v1.000000000000002a.0.").choices == [])
    }

    @Test(arguments: [
        ("", ReplayError.unsupportedVersion("")),
        ("v2.000000000000002a.1.AWQ", .unsupportedVersion("v2")),
        ("v1.000000000000002a.1", .wrongFieldCount(3)),
        ("v1.000000000000002a.1.AWQ.x", .wrongFieldCount(5)),
        ("v1.2a.1.AWQ", .invalidSeed("2a")),
        ("v1.00000000000000zz.1.AWQ", .invalidSeed("00000000000000zz")),
        ("v1.000000000000002a.-1.AWQ", .invalidSize("-1")),
        ("v1.000000000000002a.1.AW*Q", .invalidBase64(reason: "bad character at 2")),
        ("v1.000000000000002a.1.AWQAA", .invalidBase64(reason: "impossible length 5")),
        ("v1.000000000000002a.1.AWR", .invalidBase64(reason: "non-canonical tail")),
        ("v1.000000000000002a.1.gA", .invalidVarint(byteOffset: 0)),  // truncated 0x80
        ("v1.000000000000002a.1.gIA", .invalidVarint(byteOffset: 0)),  // non-canonical 0x80 0x00
        ("v1.000000000000002a.1.AP_______________AQ", .invalidVarint(byteOffset: 1)),  // > 64 bits
    ])
    func engineMalformedReplayIsTypedError(text: String, expected: ReplayError) {
        #expect(throws: expected) { try Replay(parsing: text) }
    }

    // MARK: Corpus

    static func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "engine-corpus-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func engineCorpusRoundTripsAtomically() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = Corpus(directory: dir + "/nested")
        let key = Corpus.Key("K7/claim--exact")
        let entry = Corpus.Entry(
            key: key, annotations: [.init("claim", "K7/claim"), .init("note", "n")],
            replay: Replay(seed: 1, size: 5, choices: [1, .max]),
            caseJSON: .object(["k": .array([.string("1/2"), .number(0.5)])]), shrinkSteps: 3)
        try corpus.save(entry)
        try corpus.save(entry)  // replacing is fine
        #expect(try corpus.load(key) == entry)
        #expect(try corpus.load(Corpus.Key("K7/claim--other")) == nil)
        #expect(try corpus.loadAll() == [entry])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/nested")
        #expect(files == ["K7_claim--exact.json"])  // no temp files left behind
        let text = try String(contentsOfFile: corpus.path(key), encoding: .utf8)
        let keys = try JSONValue(parsing: text)
        guard case let .object(members) = keys else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["claim", "note", "replay", "choices", "case", "shrinkSteps"])
        #expect(keys["choices"] == .array([.int(1), .string("18446744073709551615")]))
        try corpus.remove(key)
        #expect(try corpus.loadAll() == [])
    }

    @Test(arguments: [
        "{\"claim\": ", "[1, 2]", "{\"claim\":\"c\",\"reading\":\"r\",\"replay\":\"v1.x\"}", "{\"claim\": 3}", "\u{FF}",
    ])
    func engineCorruptedCorpusFileNamesItsPath(content: String) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = Corpus(directory: dir)
        let path = corpus.path(Corpus.Key("c--r"))
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        for load in [{ _ = try corpus.load(Corpus.Key("c--r")) }, { _ = try corpus.loadAll() }] {
            do {
                try load()
                Issue.record("corrupted file was accepted")
            } catch let error as CorpusError {
                guard case .corrupted(let p, _) = error else { Issue.record("\(error)"); continue }
                #expect(p == path)
                #expect(error.description.contains(path))
            }
        }
        // The runner reports it too instead of crashing.
        #expect(throws: CorpusError.self) {
            try Property.check(
                Gen.bool, label: "x",
                configuration: RunConfiguration(corpus: CorpusSlot(corpus: corpus, key: Corpus.Key("c--r")))
            ) { _ in true }
        }
    }

    @Test func engineCorpusIsReplayedFirstAndFailuresAreSaved() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = Corpus(directory: dir)
        // A needle random testing will not find in 5 cases: exactly [777, 3].
        let needle: ([Int]) -> Bool = { $0 != [777, 3] }
        let clean = try Property.check(
            Self.naturals, label: "needle",
            configuration: RunConfiguration(
                seed: 1, cases: 5, corpus: CorpusSlot(corpus: corpus, key: Corpus.Key("needle--r"))), property: needle)
        #expect(clean.holds && clean.corpusReplayed == 0)
        let choices = [2, Gen.intChoice(for: 777, lo: 0, hi: 1000), 3] as [UInt64]
        try corpus.save(
            .init(
                key: Corpus.Key("needle--r"), replay: Replay(seed: 0, size: 10, choices: choices),
                caseJSON: .null, shrinkSteps: 0))
        let found = try Property.check(
            Self.naturals, label: "needle",
            configuration: RunConfiguration(
                seed: 1, cases: 5, corpus: CorpusSlot(corpus: corpus, key: Corpus.Key("needle--r"))), property: needle)
        #expect(found.counterexample?.phase == .corpus)
        #expect(found.counterexample?.case == .array([.int(777), .int(3)]))
        #expect(found.corpusReplayed == 1 && found.randomCases == 0)
        // A fresh failure is shrunk and stored.
        let sum = try Property.check(
            Self.naturals, label: "sum",
            configuration: RunConfiguration(seed: 2, corpus: CorpusSlot(corpus: corpus, key: Corpus.Key("sum--r")))
        ) {
            $0.reduce(0, +) < 100
        }
        let stored = try #require(try corpus.load(Corpus.Key("sum--r")))
        #expect(stored.replay.encoded == sum.counterexample?.replay)
        #expect(stored.caseJSON == .array([.int(100)]))
        #expect(stored.shrinkSteps == sum.counterexample?.shrinkSteps)
    }

    /// A committed entry does not depend on the seed of the run that replays it: runs with other seeds find
    /// the same (already minimal) choices and leave the file byte for byte as it was; a strictly smaller
    /// counterexample, or a changed rendering of the same choices, still rewrites it.
    @Test func engineCorpusEntryStaysPutUnderOtherSeeds() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = Corpus(directory: dir)
        let key = Corpus.Key("sum--r")
        func run(seed: UInt64, render: @escaping ([Int]) -> JSONValue = { .array($0.map(JSONValue.int)) }) throws
            -> PropertyReport
        {
            try Property.check(
                Self.naturals, label: "sum",
                configuration: RunConfiguration(seed: seed, corpus: CorpusSlot(corpus: corpus, key: key)),
                render: render
            ) { $0.reduce(0, +) < 100 }
        }
        let first = try run(seed: 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: corpus.path(key)))
        for seed: UInt64 in [1, 7, 0xdead_beef] {
            let again = try run(seed: seed)
            #expect(again.counterexample?.phase == .corpus)
            #expect(again.counterexample?.choices == first.counterexample?.choices)
            #expect(try Data(contentsOf: URL(fileURLWithPath: corpus.path(key))) == bytes, "seed \(seed) rewrote it")
        }
        // The same choices rendered differently: the case is updated, the replay string kept.
        _ = try run(seed: 3) { .array($0.map { .string("\($0)") }) }
        let updated = try #require(try corpus.load(key))
        #expect(updated.caseJSON == .array([.string("100")]))
        #expect(updated.replay.encoded == first.counterexample?.replay)
        // A larger stored counterexample is replaced by the smaller one shrunk from it.
        let larger = [2, Gen.intChoice(for: 70, lo: 0, hi: 1000), Gen.intChoice(for: 60, lo: 0, hi: 1000)]
        try corpus.save(
            .init(key: key, replay: Replay(seed: 9, size: 10, choices: larger), caseJSON: .null, shrinkSteps: 0))
        let shrunk = try run(seed: 4)
        let stored = try #require(try corpus.load(key))
        #expect(shortlexPrecedes(stored.choices, larger))
        #expect(stored.replay.encoded == shrunk.counterexample?.replay)
    }

    // MARK: Determinism and exhaustive mode

    @Test func engineSameSeedGivesIdenticalJSON() throws {
        func run(_ seed: UInt64) throws -> String {
            let failing = try Property.check(
                Self.naturals, label: "det",
                configuration: RunConfiguration(seed: seed, exhaustive: ExhaustiveBudget(sequences: 20))
            ) {
                $0.reduce(0, +) < 300
            }
            let holding = try Property.check(Self.naturals, label: "det2", configuration: RunConfiguration(seed: seed))
            { $0.count <= 20 }
            return failing.json.serialized(pretty: true) + holding.json.serialized()
        }
        let a = try run(12345)
        #expect(a == (try run(12345)))
        #expect(a != (try run(54321)))
        let report = try Property.check(Self.naturals, label: "det", configuration: RunConfiguration(seed: 1)) {
            $0.reduce(0, +) < 300
        }
        let decoded = try JSONDecoder().decode(PropertyReport.self, from: try JSONEncoder().encode(report))
        #expect(decoded == report)
    }

    @Test func engineExhaustiveEnumeratesEveryCase() throws {
        let pairs = Gen.array(of: Gen.int(in: 0...2), count: 2...2)
        var seen: [[Int]] = []
        let summary = Exhaustive.enumerate(pairs, budget: 100) { value, _ in
            seen.append(value); return true
        }
        #expect(summary.sequences == 9 && summary.generated == 9)
        #expect(summary.complete && !summary.capped)
        #expect(Set(seen).count == 9 && seen.first == [0, 0])

        let partial = Exhaustive.enumerate(pairs, budget: 5) { _, _ in true }
        #expect(partial.sequences == 5 && !partial.complete)

        // Kernels of length 3 with entries in −2...2: 125 cases; a wider range capped to the same values.
        var kernels = Set<[Int]>()
        let wide = Exhaustive.enumerate(Gen.array(of: Gen.int(in: -100...100), count: 3...3), budget: 1000, valueCap: 4)
        {
            value, _ in
            kernels.insert(value); return true
        }
        #expect(wide.generated == 125 && wide.complete && wide.capped)
        #expect(kernels.allSatisfy { $0.allSatisfy { (-2...2).contains($0) } } && kernels.count == 125)

        // Variable length 0...2 with values 0...1: 1 + 2 + 4 = 7 arrays.
        let lists = Exhaustive.enumerate(Gen.array(of: Gen.bool, count: 0...2), budget: 100) { _, _ in true }
        #expect(lists.generated == 7 && lists.complete)
    }

    @Test func engineExhaustivePassProvesOrFindsFailures() throws {
        let pairs = Gen.array(of: Gen.int(in: 0...2), count: 2...2)
        let proved = try Property.check(
            pairs, label: "small", configuration: RunConfiguration(exhaustive: ExhaustiveBudget(sequences: 100))
        ) { $0.reduce(0, +) <= 4 }
        #expect(proved.evidence == .proved && proved.verdict == .holds)
        #expect(proved.casesRun == 9 && proved.randomCases == 0 && proved.exhaustive?.complete == true)

        let tested = try Property.check(
            pairs, label: "small",
            configuration: RunConfiguration(cases: 10, exhaustive: ExhaustiveBudget(sequences: 3))
        ) { $0.reduce(0, +) <= 4 }
        #expect(tested.evidence == .tested && tested.randomCases == 10)

        let refuted = try Property.check(
            pairs, label: "small", configuration: RunConfiguration(exhaustive: ExhaustiveBudget(sequences: 100))
        ) { $0 != [1, 2] }
        #expect(refuted.counterexample?.phase == .exhaustive)
        #expect(refuted.counterexample?.case == .array([.int(1), .int(2)]))
        #expect(refuted.casesRun == 6)  // [0,0] [0,1] [0,2] [1,0] [1,1] [1,2]
    }

    // MARK: Generation errors

    @Test func engineFilterTooStrictNamesTheLabel() throws {
        let impossible = Gen.int(in: 0...10).filter("bigger than ten", maxTries: 7) { $0 > 10 }
        #expect(throws: GenerationError.filterTooStrict(label: "bigger than ten", tries: 7)) {
            try impossible.generate(replaying: [], size: 0)
        }
        do {
            _ = try Property.check(impossible, label: "p", configuration: RunConfiguration(cases: 10)) { _ in true }
            Issue.record("expected filterTooStrict")
        } catch let error as GenerationError {
            #expect(error == .filterTooStrict(label: "bigger than ten", tries: 7))
            #expect(error.description.contains("bigger than ten"))
        }
        // Runaway generators stop at the choice limit instead of hanging.
        let runaway = Gen.array(of: Gen.int(in: 1...5), count: 10...10).array(count: 100...100)
        #expect(throws: GenerationError.overrun(limit: 50)) {
            var source = ChoiceSource.random(seed: 1, maxChoices: 50)
            _ = try runaway.run(&source)
        }
    }

    @Test func engineCombinatorsShrinkTowardsTheirFirstChoice() throws {
        let weighted = Gen.weighted((1, Gen.constant("rare")), (99, Gen.constant("common")))
        #expect(try weighted.generate(replaying: []) == "rare")
        var counts = ["rare": 0, "common": 0]
        for seed in 0..<1000 as Range<UInt64> {
            var source = ChoiceSource.random(seed: seed)
            counts[try weighted.run(&source), default: 0] += 1
        }
        #expect(counts["rare"]! > 0 && counts["rare"]! < 40)
        let one = Gen.oneOf(Gen.constant(1), Gen.int(in: 5...9).map { $0 * 10 })
        #expect(try one.generate(replaying: [1, 2]) == 70)
        #expect(try Gen.bool.generate(replaying: []) == false)
        #expect(try Gen.element(of: ["x", "y"]).generate(replaying: [1]) == "y")
    }

    // MARK: JSON

    @Test func engineJSONIsDeterministicAndParses() throws {
        let value: JSONValue = .object([
            "z": .int(-3), "a": .number(0.1), "s": .string("q\"\\\n\u{1}é"), "n": .null,
            "arr": .array([.bool(true), .number(1e300), .number(.infinity), .array([]), .object([:])]),
        ])
        let text = value.serialized()
        #expect(text == #"{"z":-3,"a":0.1,"s":"q\"\\\n\u0001é","n":null,"arr":[true,1e+300,"Infinity",[],{}]}"#)
        #expect(try JSONValue(parsing: value.serialized(pretty: true)) == value.replacingInfinity())
        #expect(
            try JSONValue(parsing: "[1.5e2, -0, 12345678901234567890, \"\\ud83d\\ude00\"]")
                == .array([.number(150), .int(0), .number(1.2345678901234567e19), .string("😀")]))
        for bad in ["", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "[" + String(repeating: "[", count: 600), "tru", "1 2"] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: bad) }
        }
        #expect([1, 2].json == .array([.int(1), .int(2)]))
        #expect(JSONValue.tuple(1, "a", true) == .array([.int(1), .string("a"), .bool(true)]))
    }

    // MARK: Swift Testing integration

    @Test func engineTestingIntegrationRecordsShrunkIssue() throws {
        #expect(try propertyCheck(Gen.int(in: 0...10), "holds") { $0 <= 10 }.holds)
        var report: PropertyReport?
        try withKnownIssue {
            report = try propertyCheck(Self.naturals, "sum below 100", configuration: RunConfiguration(seed: 1)) {
                $0.reduce(0, +) < 100
            }
        } matching: { issue in
            let text = issue.comments.map(\.rawValue).joined()
            return text.contains("case: [100]") && text.contains("replay: v1.") && text.contains("ORACLE_REPLAY=")
        }
        #expect(report?.counterexample?.case == .array([.int(100)]))
        #expect(issueText(report!)?.contains(report!.counterexample!.replay) == true)
    }

    @Test(.replay("v1.000000000000002a.37.AWQ"))
    func engineReplayTraitRunsExactlyThatCase() throws {
        #expect(currentReplay() == "v1.000000000000002a.37.AWQ")
        let seen = LockedBox<[[Int]]>([])
        let report = try propertyCheck(Self.naturals, "traced") { value in
            seen.mutate { $0.append(value) }
            return true
        }
        #expect(seen.value == [[100]])
        #expect(report.casesRun == 1 && report.seed == 42)
    }
}

/// A tiny lock-protected box so `@Sendable`-free closures can collect values in tests.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func mutate(_ body: (inout T) -> Void) { lock.withLock { body(&stored) } }
}

extension JSONValue {
    /// What a parse of the serialised value gives back: non-finite numbers become strings.
    func replacingInfinity() -> JSONValue {
        switch self {
        case let .number(d) where !d.isFinite: return .string(d.isNaN ? "NaN" : d < 0 ? "-Infinity" : "Infinity")
        case let .array(items): return .array(items.map { $0.replacingInfinity() })
        case let .object(members): return .object(members.map { .init($0.key, $0.value.replacingInfinity()) })
        default: return self
        }
    }
}
