import ArgumentParser
import MechanismCommon
import Foundation
import Oracle
import Reference

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract:
            "Combine the JSON results of a campaign's shards (oracle check --shard i/n --json, or oracle fuzz --shard "
            + "i/n --json) into one.",
        discussion: """
            The result is what the unsharded run gives, in the same schema: for `check`, verdict refuted when \
            any shard \
            refuted, the counterexample the unsharded run meets first, every shard's cases; for `fuzz`, \
            findings per kind \
            (smallest case index, occurrences summed), cases summed, the worst error. Files from different \
            seeds or case \
            counts, or a missing or duplicate shard, are refused. Exit status: as `oracle check` for check results \
            (0 when every verdict equals proofs.md's, 1 when any differs), as `oracle fuzz` for fuzz reports; \
            2 on input errors.
            """)

    @Argument(help: "The shards' JSON files.") var files: [String]
    @Flag(help: "Print the merged JSON (default: the table, or the fuzz summary).") var json = false
    @Option(
        parsing: .unconditional,
        help:
            "Write the merged counterexamples into this corpus directory (the shortlex-smallest choice sequence wins).")
    var corpus: String?

    func run() throws {
        var documents: [JSONValue] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                throw ValidationError("cannot read \(file)")
            }
            do { documents.append(try JSONValue(parsing: text)) } catch {
                throw ValidationError("\(file) is not JSON: \(error)")
            }
        }
        let isFuzz = documents.map { $0["estimator"] != nil }
        if isFuzz.contains(true) && isFuzz.contains(false) {
            throw ValidationError(CampaignError.mixedKinds.description)
        }
        if isFuzz.first == true {
            let merged: JSONValue
            do { merged = try FuzzCampaign.merge(documents) } catch { throw ValidationError(error.description) }
            emit(json ? merged.serialized(pretty: true) : FuzzCampaign.summary(merged))
            if case let .array(findings)? = merged["findings"], !findings.isEmpty { throw ExitCode(1) }
            return
        }
        let merged: CheckRun
        do {
            var runs: [CheckRun] = []
            for (file, document) in zip(files, documents) {
                do { runs.append(try CheckRun(json: document)) } catch {
                    throw CampaignError.malformed("\(file): \(error)")
                }
            }
            merged = try CheckRun.merge(runs)
        } catch let error as CampaignError { throw ValidationError(error.description) }
        if let corpus {
            do {
                let written = try Corpus(directory: corpus).merge(merged.corpusEntries)
                if !json { emit("corpus \(corpus): \(written.count) entr\(written.count == 1 ? "y" : "ies") written") }
            } catch { throw ValidationError(error.description) }
        }
        if json {
            emit(merged.json.serialized(pretty: true))
        } else {
            for outcome in merged.outcomes { emit(CheckCommand.row(outcome)) }
            let o = merged.outcomes
            emit(
                "\(o.count) readings: \(o.filter { $0.verdict == .holds }.count) hold, "
                    + "\(o.filter { $0.verdict == .refuted }.count) refuted, "
                    + "\(o.filter { $0.verdict == .inconclusive }.count) inconclusive; "
                    + "\(o.filter { !$0.matchesExpectation }.count) differ from proofs.md"
            )
        }
        if merged.outcomes.contains(where: { !$0.matchesExpectation }) { throw ExitCode(1) }
    }
}
