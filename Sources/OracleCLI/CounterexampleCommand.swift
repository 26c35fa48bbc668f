import ArgumentParser
import MechanismCommon
import Foundation
import Oracle

struct CounterexampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counterexample",
        abstract:
            "Render the minimal counterexample of a refuted reading, both sides of its statement and the corrected "
            + "statements.",
        discussion: """
            The case is the committed corpus entry (Tests/Regression/Corpus/<id>--<reading>.json), replayed \
            through the \
            registry so every value is recomputed. Default reading: printed if refuted, else the id's first \
            refuted reading. \
            Exit status: 0 rendered, 2 unknown id or reading, or a reading that is not refuted.
            """)

    @Argument(help: "The claim id (e.g. b4.parseval).") var id: String
    @Option(parsing: .unconditional, help: "The reading (default: printed if refuted, else the first refuted reading).")
    var reading: String?
    @Option(parsing: .unconditional, help: "markdown, json or latex.") var format: CounterexampleFormat = .markdown
    @Option(
        parsing: .unconditional,
        help: "Counterexample corpus directory (default: Tests/Regression/Corpus of this package, found from here).")
    var corpus: String?
    @Option(
        parsing: .unconditional, help: "Random cases for deciding the corrected readings (default: each reading's own)."
    ) var cases: Int?

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if let cases {
            try limits.requireCount(cases, atLeast: 1, "--cases")
        }
    }

    func run() throws {
        let document: CounterexampleDocument
        do {
            document = try CounterexampleDocument.build(
                id: id, reading: reading,
                corpus: Corpus(directory: corpus ?? CorpusLocation.committedCorpus() ?? Corpus.defaultDirectory),
                options: CheckOptions(seed: 0, cases: cases))
        } catch { throw ValidationError(error.description) }
        switch format {
        case .markdown: emit(document.markdown)
        case .json: emit(document.json.serialized(pretty: true))
        case .latex: emit(document.latex)
        }
    }
}
