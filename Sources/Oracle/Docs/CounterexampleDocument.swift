import Foundation
import Reference

/// The minimal counterexample of a refuted reading, for a document: the shrunk case of the committed
/// corpus (replayed through the registry, so recomputed), both sides of the statement on it — exact and
/// as correctly rounded Doubles — and the corrected statements (the id's other readings whose computed
/// verdict is `holds`). Rendered as Markdown, JSON or LaTeX by `oracle counterexample`.
public struct CounterexampleDocument: Sendable {
    public var id: String
    public var reading: String
    public var kind: ClaimKind
    public var statement: String
    public var replay: String
    public var corpusPath: String
    /// The case as the generator rebuilds it from the replay string.
    public var caseJSON: JSONValue
    /// Why the case fails ("property returned false" or "threw: …").
    public var failure: String
    /// What the statement claims between the first two sides.
    public var relation: String
    public var sides: [ClaimReading.Side]
    public var corrected: [Corrected]

    /// A reading of the same id that holds.
    public struct Corrected: Sendable {
        public var reading: String
        public var statement: String
        public var evidence: ClaimEvidence
        public var note: String
    }

    public var label: String { "\(id)/\(reading)" }

    /// Builds the document of `id` (reading `reading`, or `printed` if refuted, else the id's first refuted
    /// reading). A reading counts as refuted here when its corpus entry replays to a failing case.
    /// The corrected statements are decided with `options` (its corpus is not used).
    public static func build(
        id: String, reading: String? = nil, corpus: Corpus = Corpus(),
        options: CheckOptions = CheckOptions()
    ) throws(CounterexampleError) -> CounterexampleDocument {
        let readings: [ClaimReading]
        do { readings = try ClaimRegistry.readings(for: [id]) } catch { throw .unknownClaim(error) }
        guard readings.allSatisfy({ $0.id == id }) else {
            // an ID/READING label: use --reading
            throw .unknownClaim(.unknownClaim(id, closest: ClaimRegistry.closest(to: id)))
        }
        let names = readings.map(\.reading)
        func replayed(_ r: ClaimReading) throws(CounterexampleError) -> (Corpus.Entry, ClaimReading.ReplayedCase)? {
            let entry: Corpus.Entry?
            do { entry = try corpus.load(claim: r.id, reading: r.reading) } catch { throw .corpus(error) }
            guard let entry else { return nil }
            let replayedCase: ClaimReading.ReplayedCase?
            do { replayedCase = try r.replayCase(entry.replay) } catch {
                throw .replayFailed(label: r.label, reason: "\(error)")
            }
            guard let replayedCase, replayedCase.failure != nil else { return nil }
            return (entry, replayedCase)
        }
        let target: ClaimReading
        let found: (Corpus.Entry, ClaimReading.ReplayedCase)
        if let reading {
            guard let r = readings.first(where: { $0.reading == reading }) else {
                throw .unknownReading(id: id, reading: reading, readings: names)
            }
            guard let f = try replayed(r) else {
                throw .notRefuted(
                    label: r.label, path: corpus.path(claim: r.id, reading: r.reading),
                    refuted: try refutedReadings(readings, replayed))
            }
            (target, found) = (r, f)
        } else {
            let ordered = readings.filter { $0.reading == "printed" } + readings.filter { $0.reading != "printed" }
            var choice: (ClaimReading, (Corpus.Entry, ClaimReading.ReplayedCase))?
            for r in ordered { if let f = try replayed(r) { choice = (r, f); break } }
            guard let choice else { throw .noRefutedReading(id: id, readings: names, directory: corpus.directory) }
            (target, found) = choice
        }
        guard let sides = found.1.sides, sides.count >= 2 else { throw .noSides(label: target.label) }
        var corrected: [Corrected] = []
        var others = options
        others.corpus = nil
        others.replay = nil
        others.shard = .whole
        for r in readings where r.reading != target.reading {
            let outcome = r.decide(others)
            if outcome.verdict == .holds {
                corrected.append(
                    Corrected(
                        reading: r.reading, statement: r.statement, evidence: outcome.evidence, note: outcome.note))
            }
        }
        return CounterexampleDocument(
            id: id, reading: target.reading, kind: target.kind, statement: target.statement,
            replay: found.0.replay.encoded, corpusPath: corpus.path(claim: id, reading: target.reading),
            caseJSON: found.1.caseJSON, failure: found.1.failure ?? "", relation: found.1.relation,
            sides: sides, corrected: corrected)
    }

    static func refutedReadings(
        _ readings: [ClaimReading],
        _ replayed: (ClaimReading) throws(CounterexampleError) -> (Corpus.Entry, ClaimReading.ReplayedCase)?
    ) throws(CounterexampleError) -> [String] {
        var names: [String] = []
        for r in readings where try replayed(r) != nil { names.append(r.reading) }
        return names
    }

    // MARK: Renderings

    /// Shortest round-trip text of a Double (the correctly rounded value of the exact side).
    static func text(_ d: Double) -> String { d.description }

    static func approximationText(_ a: (real: Double, imaginary: Double, errorBound: Double)) -> String {
        let im = a.imaginary
        let body = im == 0 ? "\(a.real)" : "\(a.real) \(im < 0 ? "−" : "+") \(abs(im))i"
        return "≈ \(body) (± \(a.errorBound))"
    }

    /// The Markdown block: statement, case, a table of the sides, the replay line, the corrected statements.
    public var markdown: String {
        var lines = [
            "### Counterexample to `\(label)`", "", "**Statement (\(reading)):** \(statement)", "",
            "**Minimal case** (shrunk, from `\(corpusPath)`):", "", "```json", caseJSON.serialized(), "```", "",
            "The statement claims “\(Self.markdownCell(sides[0].name))” \(relation) "
                + "“\(Self.markdownCell(sides[1].name))”; on this case:",
            "",
            "| side | exact | Double |", "| --- | --- | --- |",
        ]
        for s in sides {
            let double =
                s.double.map { "`\(Self.text($0))`" } ?? s.approximation.map { Self.approximationText($0) } ?? "—"
            lines.append("| \(Self.markdownCell(s.name)) | `\(s.exact)` | \(double) |")
        }
        lines += ["", "Replay: `oracle check \(label) --replay \(replay)`", ""]
        if corrected.isEmpty {
            lines.append("No other reading of `\(id)` holds.")
        } else {
            lines.append("**Corrected statement\(corrected.count == 1 ? "" : "s") (computed verdict: holds):**")
            lines.append("")
            for c in corrected {
                lines.append("- `\(id)/\(c.reading)` (\(c.evidence.rawValue); \(c.note)): \(c.statement)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Escapes Markdown's table separator and emphasis markers (k₁* is not the start of an emphasis).
    static func markdownCell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(
            of: "_", with: "\\_")
    }

    /// The JSON object (schema in README, "Counterexamples for docs").
    public var json: JSONValue {
        .object([
            "id": .string(id), "reading": .string(reading), "kind": .string(kind.rawValue),
            "statement": .string(statement),
            "replay": .string(replay), "corpusFile": .string(corpusPath), "case": caseJSON, "failure": .string(failure),
            "relation": .string(relation),
            "sides": .array(
                sides.map { s in
                    .object([
                        "name": .string(s.name), "exact": .string(s.exact),
                        "double": s.double.map(JSONValue.number) ?? .null,
                        "approximation": s.approximation.map {
                            .object([
                                "real": .number($0.real), "imaginary": .number($0.imaginary),
                                "errorBound": .number($0.errorBound),
                            ])
                        } ?? .null,
                    ])
                }),
            "corrected": .array(
                corrected.map { c in
                    .object([
                        "reading": .string(c.reading), "statement": .string(c.statement),
                        "verdict": .string(ClaimVerdict.holds.rawValue),
                        "evidence": .string(c.evidence.rawValue), "note": .string(c.note),
                    ])
                }),
        ])
    }

    /// A small LaTeX block: a `tabular` of the sides (statements as text, values verbatim).
    public var latex: String {
        var lines = [
            "% oracle counterexample \(id) --reading \(reading)",
            "\\paragraph{Counterexample to \\texttt{\(Self.latexEscape(label))}.} \(Self.latexEscape(statement))",
            "", "Minimal case: \\texttt{\(Self.latexEscape(caseJSON.serialized()))}", "",
            "\\begin{tabular}{lll}", "\\hline", "side & exact & Double \\\\", "\\hline",
        ]
        for s in sides {
            let double =
                s.double.map { "\\texttt{\(Self.text($0))}" } ?? s.approximation.map {
                    Self.latexEscape(Self.approximationText($0))
                } ?? "--"
            lines.append("\(Self.latexEscape(s.name)) & \\texttt{\(Self.latexEscape(s.exact))} & \(double) \\\\")
        }
        lines += ["\\hline", "\\end{tabular}", ""]
        for c in corrected {
            lines.append(
                "Corrected (\\texttt{\(Self.latexEscape("\(id)/\(c.reading)"))}, holds): "
                    + "\(Self.latexEscape(c.statement))"
            )
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Escapes LaTeX's special characters (Unicode mathematics is left to a Unicode engine such as LuaLaTeX).
    static func latexEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\textbackslash{}"
            case "{", "}", "$", "&", "#", "_", "%": out += "\\\(c)"
            case "^": out += "\\^{}"
            case "~": out += "\\~{}"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Why `oracle counterexample` cannot render a document.
public enum CounterexampleError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownClaim(RegistryError)
    case unknownReading(id: String, reading: String, readings: [String])
    case noRefutedReading(id: String, readings: [String], directory: String)
    case notRefuted(label: String, path: String, refuted: [String])
    case noSides(label: String)
    case replayFailed(label: String, reason: String)
    case corpus(CorpusError)

    public var description: String {
        switch self {
        case let .unknownClaim(error): error.description
        case let .unknownReading(id, reading, readings):
            "\(id) has no reading \"\(reading)\"; its readings are: \(readings.joined(separator: ", "))"
        case let .noRefutedReading(id, readings, directory):
            "no reading of \(id) is refuted by a counterexample in \(directory) (readings: "
                + "\(readings.joined(separator: ", "))); run `oracle check \(id)` to search"
        case let .notRefuted(label, path, refuted):
            "\(label) is not refuted: no failing case in \(path)"
                + (refuted.isEmpty ? "" : "; refuted readings of this id: \(refuted.joined(separator: ", "))")
        case let .noSides(label): "\(label) declares no sides to show (add `sides:` to its registration)"
        case let .replayFailed(label, reason): "the corpus case of \(label) does not replay: \(reason)"
        case let .corpus(error): error.description
        }
    }
}
