import Foundation
import Testing
import Oracle

/// The registry against the project's catalogues claims/CLAIMS.md and claims/CLAIMS-companions.md (the companion
/// papers 002–004): every catalogued id is registered, and
/// every printed reading documented as refuted comes with a corrected reading documented as holding.
@Suite struct CatalogueTests {
    /// The catalogues: the paper's and the companion papers'.
    static let catalogues = ["claims/CLAIMS.md", "claims/CLAIMS-companions.md"]

    /// The ids of the catalogues' tables: the first cell of each row, in backquotes.
    static func catalogueIds() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try catalogues.map {
            try String(contentsOfFile: root.appendingPathComponent($0).path, encoding: .utf8)
        }
        .joined(separator: "\n")
        return text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            let cell = line.dropFirst(3)
            guard let end = cell.firstIndex(of: "`") else { return nil }
            return String(cell[..<end])
        }
    }

    @Test func everyCatalogueIdIsRegisteredWithAPrintedReading() throws {
        let ids = try Self.catalogueIds()
        #expect(ids.count >= 30, "read only \(ids.count) ids from the catalogue")
        for id in ids {
            #expect(
                ClaimRegistry.all.contains { $0.id == id && $0.reading == "printed" },
                "\(id) (claims/) has no registered printed reading")
        }
    }

    /// A refuted reading of the printed text (`printed`, `printed-<variant>`) needs another reading of the
    /// same id that holds: a corrected reading, or (when the text is ambiguous) another reading of the text.
    @Test func everyRefutedPrintedReadingHasAHoldingCorrection() {
        let printed = { (r: ClaimReading) in r.reading == "printed" || r.reading.hasPrefix("printed-") }
        for refuted in ClaimRegistry.all where printed(refuted) && refuted.expected == .refuted {
            let holding = ClaimRegistry.all.filter {
                $0.id == refuted.id && $0.label != refuted.label && $0.expected == .holds
            }
            #expect(!holding.isEmpty, "\(refuted.label) is refuted but no other reading of \(refuted.id) holds")
        }
    }

    /// One label, one reading: a duplicate would make `oracle check ID/READING` ambiguous.
    @Test func noLabelIsRegisteredTwice() {
        var seen = Set<String>()
        for reading in ClaimRegistry.all {
            #expect(seen.insert(reading.label).inserted, "\(reading.label) is registered twice")
        }
    }

    /// A reading defined in a section's file but missing from the section's list would never be decided:
    /// every literal `id: "…", reading: "…"` pair in Sources/Oracle/Claims and CrossChecks is registered.
    @Test func everyDefinedReadingIsRegistered() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let registered = Set(ClaimRegistry.all.map(\.label))
        let pattern = try Regex(#"id:\s*"([^"\\]+)",\s*reading:\s*"([^"\\]+)""#)
        var defined = 0
        for folder in ["Sources/Oracle/Claims", "Sources/Oracle/CrossChecks"] {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                for match in text.matches(of: pattern) {
                    guard let id = match.output[1].substring, let reading = match.output[2].substring else { continue }
                    defined += 1
                    let isRegistered = registered.contains("\(id)/\(reading)")
                    #expect(isRegistered, "\(id)/\(reading) is defined in \(folder)/\(name) but not registered")
                }
            }
        }
        #expect(defined >= 50, "found only \(defined) literal readings: has the registration syntax changed?")
    }
}
