import ArgumentParser
import MechanismCommon
import Foundation
import Oracle

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Regenerate the verdict blocks of proofs.md from the registry and the corpus.",
        discussion: "With --check, rewrite nothing and exit 1 when proofs.md is stale.")

    @Option(parsing: .unconditional, help: "The document to update.") var file = ProofsDocument.defaultPath
    @Flag(help: "Only check that the document is up to date.") var check = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else {
            throw ValidationError("cannot read \(file): run from the package root or pass --file PATH")
        }
        let updated: String
        do { updated = try ProofsDocument.updating(text, blocks: ProofsDocument.blocks()) } catch {
            throw ValidationError(error.description)
        }
        if check {
            if updated != text {
                emit("\(file) is stale: run `swift run oracle docs` and commit the result")
                throw ExitCode(1)
            }
            emit("\(file) is up to date")
            return
        }
        if updated == text { emit("\(file) is up to date"); return }
        try Data(updated.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        emit("updated \(file)")
    }
}
