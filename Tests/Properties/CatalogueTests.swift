import Foundation
import Testing
import Oracle

/// The registry against the project's catalogue claims/CLAIMS.md: every catalogued id is registered, and
/// every printed reading documented as refuted comes with a corrected reading documented as holding.
@Suite struct CatalogueTests {
    /// The ids of the catalogue's tables: the first cell of each row, in backquotes.
    static func catalogueIds() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("claims/CLAIMS.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
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
            #expect(ClaimRegistry.all.contains { $0.id == id && $0.reading == "printed" }, "\(id) (claims/CLAIMS.md) has no registered printed reading")
        }
    }

    /// A refuted reading of the printed text (`printed`, `printed-<variant>`) needs another reading of the
    /// same id that holds: a corrected reading, or (when the text is ambiguous) another reading of the text.
    @Test func everyRefutedPrintedReadingHasAHoldingCorrection() {
        let printed = { (r: ClaimReading) in r.reading == "printed" || r.reading.hasPrefix("printed-") }
        for refuted in ClaimRegistry.all where printed(refuted) && refuted.expected == .refuted {
            let holding = ClaimRegistry.all.filter { $0.id == refuted.id && $0.label != refuted.label && $0.expected == .holds }
            #expect(!holding.isEmpty, "\(refuted.label) is refuted but no other reading of \(refuted.id) holds")
        }
    }
}
