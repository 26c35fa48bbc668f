import Foundation
import Oracle
import Reference
import Testing

/// `oracle counterexample`: the committed corpus case, both sides recomputed, the corrected statements.
@Suite struct CounterexampleTests {
    static let options = CheckOptions(seed: 0, caseScale: 0.05)

    /// (id, reading, a reading of the id that holds).
    static let refuted: [(String, String, String)] = [
        ("b4.parseval", "printed-hat", "fourier"), ("eq17", "printed", "all-frequencies"),
        ("prop9", "printed", "step-size"), ("a3.step", "printed", "squared-modulus"),
    ]

    /// A Double is the correctly rounded value of x when no neighbour is strictly closer.
    static func isCorrectlyRounded(_ d: Double, _ x: Rational) throws -> Bool {
        let distance = { (y: Double) throws -> Rational in (try Rational(exactly: y) - x).magnitude }
        return try distance(d) <= distance(d.nextUp) && distance(d) <= distance(d.nextDown)
    }

    @Test(arguments: refuted.map { "\($0.0)/\($0.1)/\($0.2)" })
    func rendersBothSidesAndTheCorrection(_ spec: String) throws {
        let (id, reading, corrected) = try #require(Self.refuted.first { "\($0.0)/\($0.1)/\($0.2)" == spec })
        let doc = try CounterexampleDocument.build(id: id, reading: reading, options: Self.options)
        #expect(doc.reading == reading && doc.sides.count >= 2)
        #expect(doc.sides[0].exact != doc.sides[1].exact, "the two sides of a refuted equation differ")
        #expect(doc.caseJSON == (try Corpus().load(claim: id, reading: reading))?.caseJSON)
        for side in doc.sides {
            if let d = side.double {
                #expect(try Self.isCorrectlyRounded(d, try Rational(parsing: side.exact)), "\(side.name)")
            }
        }
        #expect(doc.corrected.contains { $0.reading == corrected })
        // Markdown: a table row per side, and the corrected statement.
        #expect(doc.markdown.contains("| side | exact | Double |"))
        #expect(doc.sides.allSatisfy { doc.markdown.contains("`\($0.exact)`") })
        #expect(doc.markdown.contains("`\(id)/\(corrected)`"))
        // JSON parses (ours and Foundation's) and carries the sides.
        let text = doc.json.serialized(pretty: true)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        guard case let .array(sides)? = try JSONValue(parsing: text)["sides"] else { Issue.record("no sides"); return }
        #expect(sides.count == doc.sides.count)
        // LaTeX: one tabular, balanced braces.
        let latex = doc.latex
        #expect(latex.components(separatedBy: "\\begin{tabular}").count == 2 && latex.contains("\\end{tabular}"))
        let unescaped = latex.replacingOccurrences(of: "\\{", with: "").replacingOccurrences(of: "\\}", with: "")
        #expect(unescaped.filter { $0 == "{" }.count == unescaped.filter { $0 == "}" }.count)
    }

    @Test func defaultReadingIsPrintedWhenRefuted() throws {
        #expect(try CounterexampleDocument.build(id: "b5.action", options: Self.options).reading == "printed-integer")
        #expect(try CounterexampleDocument.build(id: "prop2", options: Self.options).reading == "printed")
    }

    @Test func everyCorpusEntryRendersTwoSides() throws {
        for entry in try Corpus().loadAll() {
            let reading = try #require(try ClaimRegistry.readings(for: ["\(entry.claim)/\(entry.reading)"]).first)
            let replayed = try #require(try reading.replayCase(entry.replay))
            #expect(replayed.failure != nil, "\(reading.label): the corpus case no longer fails")
            #expect((replayed.sides?.count ?? 0) >= 2, "\(reading.label) declares no sides")
        }
    }

    @Test func nonRefutedReadingsAndUnknownIdsAreErrors() throws {
        #expect(throws: CounterexampleError.self) {
            try CounterexampleDocument.build(id: "b4.parseval", reading: "fourier", options: Self.options)
        }
        #expect(
            throws: CounterexampleError.unknownReading(
                id: "eq17", reading: "nope", readings: ["printed", "all-frequencies"])
        ) {
            try CounterexampleDocument.build(id: "eq17", reading: "nope", options: Self.options)
        }
        #expect(
            throws: CounterexampleError.unknownClaim(
                .unknownClaim("b4.parsval", closest: ["b4.parseval", "b2.group", "b3.conv"]))
        ) {
            try CounterexampleDocument.build(id: "b4.parsval", options: Self.options)
        }
    }
}
