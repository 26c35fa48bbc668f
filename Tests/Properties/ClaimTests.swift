import Foundation
import Testing
import Oracle
import OracleTesting

/// One property per registered claim reading, through the registry: the computed verdict must be
/// the one proofs.md documents. `swift test` runs a quarter of `oracle check`'s cases; the corpus
/// is replayed first.
@Suite struct ClaimTests {
    static let labels = ClaimRegistry.all.map(\.label)

    /// `ORACLE_REPLAY='ID/READING=v1.…'` (or the `.replay` trait) replays one case of one reading.
    static func replay(for label: String) -> String? {
        guard let text = currentReplay(), let separator = text.firstIndex(of: "=") else { return nil }
        return text[..<separator] == label ? String(text[text.index(after: separator)...]) : nil
    }

    @Test(arguments: labels)
    func claimReadingHasDocumentedVerdict(label: String) throws {
        let reading = try #require(try ClaimRegistry.readings(for: [label]).first)
        let replay = Self.replay(for: label)
        let outcome =
            replay.map { reading.decide(CheckOptions(seed: 0, replay: $0)) }
            ?? DocumentedOutcomes.shared.outcome(reading)
        var message = "\(label): \(outcome.verdict) (expected \(reading.expected)); \(outcome.note)"
        if let c = outcome.counterexample, !c.replay.isEmpty {
            message +=
                "\n  case: \(c.case.serialized())\n  rerun: ORACLE_REPLAY='\(label)=\(c.replay)' swift test --filter "
                + "claimReadingHasDocumentedVerdict"
            message += "\n     or: swift run oracle check \(label) --replay \(c.replay)"
        }
        #expect(outcome.verdict == reading.expected, "\(message)")
        // The gate bites where it claims to: the declared share of non-trivial cases is reached.
        let share = outcome.coverage.nonTrivialShare.map { "\(Int($0 * 100)) %" } ?? "none classified"
        #expect(
            outcome.meetsCoverage,
            "\(label): non-trivial share \(share), below the declared \(outcome.requiredNonTrivialShare ?? 0)")
        if outcome.verdict == .refuted && reading.method == .generatedCases {
            // A refuted reading carries its shrunk counterexample and a replay line that reproduces it.
            let c = try #require(outcome.counterexample)
            if !c.replay.isEmpty {
                let replayed = try reading.run(CheckOptions(seed: 0, replay: c.replay))
                #expect(replayed.verdict == .refuted && replayed.counterexample?.case == c.case)
            }
        }
    }

    /// Every claim of the paper (ids of claims/CLAIMS.md; `fast.*` are the Fast mirror's own cross-checks).
    @Test func everyClaimHasAPrintedReading() {
        for id in ClaimRegistry.ids where !id.hasPrefix("fast.") && !id.hasPrefix("reference.") {
            #expect(
                ClaimRegistry.all.contains { $0.id == id && $0.reading == "printed" },
                "\(id) has no reading named printed")
        }
    }

    @Test func unknownIdsNameTheClosest() {
        #expect(throws: RegistryError.unknownClaim("b4.parsval", closest: ["b4.parseval", "b2.group", "b3.conv"])) {
            try ClaimRegistry.readings(for: ["b4.parsval"])
        }
    }

    /// proofs.md's verdict blocks are what the registry computes now (run `swift run oracle docs` when this fails).
    @Test func proofsDocumentIsUpToDate() throws {
        let text = try String(contentsOfFile: ProofsDocument.defaultPath, encoding: .utf8)
        let updated = try ProofsDocument.updating(
            text, blocks: ProofsDocument.blocks { DocumentedOutcomes.shared.outcome($0) })
        #expect(updated == text, "proofs.md is stale: run `swift run oracle docs` and commit it")
    }

    @Test func sameSeedSameOutcomes() {
        let options = CheckOptions(seed: 42, caseScale: 0.1)
        let first = ClaimRegistry.all.prefix(6).map { $0.decide(options).json.serialized() }
        let second = ClaimRegistry.all.prefix(6).map { $0.decide(options).json.serialized() }
        #expect(first == second)
    }
}
