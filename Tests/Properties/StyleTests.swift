import Foundation
import Testing

/// The tree's layout rules that a reader relies on: `.swift-format` (run `swift format format -i -r Sources Tests
/// Package.swift`) keeps the code in 120 columns; this test keeps it there.
@Suite struct StyleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everySwiftLineFitsIn120Columns() throws {
        var checked = 0
        for folder in ["Sources", "Tests"] {
            let base = Self.root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let name as String in files where name.hasSuffix(".swift") {
                let text = try String(contentsOf: base.appendingPathComponent(name), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    #expect(line.count <= 120, "\(folder)/\(name):\(number + 1) has \(line.count) columns")
                }
                checked += 1
            }
        }
        #expect(checked > 50)
    }
}
