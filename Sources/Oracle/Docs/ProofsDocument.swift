import Foundation

/// The generated parts of proofs.md: one verdict block per claim id, between
/// `<!-- oracle:verdicts ID -->` and `<!-- /oracle:verdicts -->`, computed from the registry and the
/// committed corpus so the document cannot drift from what the code computes.
public enum ProofsDocument {
    public static let defaultPath = "proofs.md"

    public static func openMarker(_ id: String) -> String { "<!-- oracle:verdicts \(id) -->" }
    public static let closeMarker = "<!-- /oracle:verdicts -->"

    /// The options the documented verdicts are computed with (`oracle docs`, `ClaimTests` and the
    /// staleness test): seed 0, the corpus, a quarter of `oracle check`'s cases for readings decided on
    /// generated cases, full runs for simulations (their statistical verdicts are documented at full scale).
    public static func options(for reading: ClaimReading, corpus: Corpus? = Corpus()) -> CheckOptions {
        CheckOptions(seed: 0, corpus: corpus, caseScale: reading.kind == .stat ? 1 : 0.25)
    }

    /// The Markdown block for one claim.
    public static func block(for outcomes: [ReadingOutcome]) -> String {
        var lines = ["| reading | verdict | evidence | cases | counterexample |", "| --- | --- | --- | --- | --- |"]
        for o in outcomes {
            var counterexample = "—"
            if let c = o.counterexample {
                counterexample = "`\(c.case.serialized())`"
                if !c.replay.isEmpty { counterexample += " (replay `\(c.replay)`)" }
            }
            let verdict =
                o.matchesExpectation
                ? "**\(o.verdict.rawValue)**" : "**\(o.verdict.rawValue)** (documented: \(o.expected.rawValue))"
            let evidence = o.bound.map { "\(o.evidence.rawValue) (\($0))" } ?? o.evidence.rawValue
            lines.append("| `\(o.id)/\(o.reading)` | \(verdict) | \(evidence) | \(o.cases) | \(counterexample) |")
        }
        return lines.joined(separator: "\n")
    }

    public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
        case missingMarkers([String])
        case unterminatedBlock(String)

        public var description: String {
            switch self {
            case .missingMarkers(let ids):
                return
                    "proofs.md has no verdict block for \(ids.joined(separator: ", ")): add `<!-- oracle:verdicts ID "
                    + "-->` and `<!-- /oracle:verdicts -->` lines in each claim's section"
            case .unterminatedBlock(let id):
                return "the verdict block of \(id) in proofs.md is not closed by `<!-- /oracle:verdicts -->`"
            }
        }
    }

    /// Replaces every verdict block's contents; every id in `blocks` must have its markers.
    public static func updating(_ text: String, blocks: [String: String]) throws(DocumentError) -> String {
        var lines = text.components(separatedBy: "\n")
        var missing: [String] = []
        for (id, block) in blocks.sorted(by: { $0.key < $1.key }) {
            guard let start = lines.firstIndex(of: openMarker(id)) else { missing.append(id); continue }
            guard let end = lines[(start + 1)...].firstIndex(of: closeMarker) else { throw .unterminatedBlock(id) }
            lines.replaceSubrange((start + 1)..<end, with: block.components(separatedBy: "\n"))
        }
        guard missing.isEmpty else { throw .missingMarkers(missing) }
        return lines.joined(separator: "\n")
    }

    /// Decides every registered reading with the documented options and returns the blocks by claim id.
    public static func blocks(
        readings: [ClaimReading] = ClaimRegistry.all,
        decide: (ClaimReading) -> ReadingOutcome = { $0.decide(options(for: $0)) }
    ) -> [String: String] {
        var outcomes: [String: [ReadingOutcome]] = [:]
        for reading in readings { outcomes[reading.id, default: []].append(decide(reading)) }
        return outcomes.mapValues(block(for:))
    }
}
