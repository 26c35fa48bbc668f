import Foundation
import Testing

/// The documentation against the code. A Swift example of README.md or docs/ is a marked region of a compiled
/// test file (between `// BEGIN DOCUMENTED SNIPPET <name>` and `// END DOCUMENTED SNIPPET`) shown verbatim, or
/// an excerpt of Sources/; a manifest example names products this package has; every relative link resolves.
@Suite struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A documented snippet: its name, the test file holding it, and the documents that must show it.
    struct Snippet: Sendable, CustomStringConvertible {
        var name: String
        var file: String
        var documents: [String]
        var description: String { name }
    }

    static let snippets = [
        Snippet(
            name: "engine-example", file: "Tests/Engine/ReadmeEngineExampleTests.swift",
            documents: ["README.md", "docs/engine.md"]),
        Snippet(
            name: "oracle-example", file: "Tests/Properties/ReadmeExampleTests.swift",
            documents: ["docs/engine.md"]),
    ]

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: root.appendingPathComponent(path).path, encoding: .utf8)
    }

    /// README.md and every Markdown file of docs/, as paths relative to the package root.
    static func documents() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    /// The lines strictly between the snippet's markers.
    static func region(_ name: String, in path: String) throws -> String {
        let lines = try read(path).components(separatedBy: "\n")
        let begin = try #require(
            lines.firstIndex(of: "// BEGIN DOCUMENTED SNIPPET \(name)"),
            "\(path) has no line `// BEGIN DOCUMENTED SNIPPET \(name)`")
        let end = try #require(
            lines[begin...].firstIndex(of: "// END DOCUMENTED SNIPPET"),
            "\(path): snippet \(name) is not closed by `// END DOCUMENTED SNIPPET`")
        return lines[(begin + 1)..<end].joined(separator: "\n")
    }

    /// A Markdown text split into its fenced code blocks (a fence is a line starting with three or more
    /// backticks, closed by a line of at least as many backticks) and the prose outside them.
    static func scan(_ markdown: String) -> (blocks: [(language: String, text: String)], prose: String) {
        var blocks: [(language: String, text: String)] = [], prose: [String] = []
        var open: (fence: Int, language: String, lines: [String])?
        for line in markdown.components(separatedBy: "\n") {
            let ticks = line.prefix { $0 == "`" }.count
            if let block = open {
                if ticks >= block.fence, line.allSatisfy({ $0 == "`" }) {
                    blocks.append((block.language, block.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    open?.lines.append(line)
                }
            } else if ticks >= 3 {
                open = (ticks, line.dropFirst(ticks).trimmingCharacters(in: .whitespaces), [])
            } else {
                prose.append(line)
            }
        }
        return (blocks, prose.joined(separator: "\n"))
    }

    /// The contents of the fenced code blocks tagged `language`.
    static func codeBlocks(_ language: String, in markdown: String) -> [String] {
        scan(markdown).blocks.filter { $0.language == language }.map(\.text)
    }

    /// The text outside fenced code blocks.
    static func prose(_ markdown: String) -> String { scan(markdown).prose }

    /// Where two texts first differ, for the failure message.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let (x, y) = (a.components(separatedBy: "\n"), b.components(separatedBy: "\n"))
        for i in 0..<max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            let left = i < x.count ? x[i] : "<end>", right = i < y.count ? y[i] : "<end>"
            return "line \(i + 1) of the snippet: test file `\(left)`, document `\(right)`"
        }
        return "no difference"
    }

    @Test(arguments: snippets)
    func documentedSnippetIsTheCompiledOne(snippet: Snippet) throws {
        let code = try Self.region(snippet.name, in: snippet.file)
        for document in snippet.documents {
            let blocks = Self.codeBlocks("swift", in: try Self.read(document))
            if blocks.contains(code) { continue }
            // The closest block: the one sharing the longest common prefix of lines with the snippet.
            let shared = { (block: String) in
                zip(block.components(separatedBy: "\n"), code.components(separatedBy: "\n")).prefix { $0 == $1 }.count
            }
            let closest = blocks.max { shared($0) < shared($1) } ?? ""
            Issue.record(
                """
                \(document) does not show snippet \(snippet.name) of \(snippet.file) verbatim \
                (\(Self.firstDifference(code, closest))): copy the lines between the markers into a ```swift block
                """)
        }
    }

    /// Every Swift file under Sources/, each as its lines with the leading whitespace removed.
    static func sourceFiles() throws -> [(path: String, lines: [Substring])] {
        let sources = root.appendingPathComponent("Sources")
        let paths = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        return try paths.filter { $0.hasSuffix(".swift") }.sorted().map { path in
            let text = try String(contentsOfFile: sources.appendingPathComponent(path).path, encoding: .utf8)
            return ("Sources/" + path, text.split(separator: "\n", omittingEmptySubsequences: false).map(trimmed))
        }
    }

    static func trimmed(_ line: Substring) -> Substring { line.drop { $0 == " " || $0 == "\t" } }

    /// A Swift block of the documentation is a manifest (`// swift-tools-version…`, see the next test), a compiled
    /// snippet, or an excerpt of a file under Sources/ (its lines, indentation aside, appear there in a row), so no
    /// example escapes the compiler.
    @Test func everySwiftExampleIsCompiledOrQuoted() throws {
        let compiled = try Self.snippets.map { try Self.region($0.name, in: $0.file) }
        let sources = try Self.sourceFiles()
        for document in try Self.documents() {
            for block in Self.codeBlocks("swift", in: try Self.read(document))
            where !block.hasPrefix("// swift-tools-version") && !compiled.contains(block) {
                let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(Self.trimmed)
                let quoted = sources.contains { file in
                    file.lines.indices.contains { start in
                        start + lines.count <= file.lines.count
                            && file.lines[start..<(start + lines.count)].elementsEqual(lines)
                    }
                }
                let first = lines.first ?? ""
                #expect(
                    quoted,
                    """
                    \(document): the Swift block starting `\(first)` is neither a compiled snippet nor quoted \
                    from Sources/
                    """)
            }
        }
    }

    /// A manifest example depends on products this package declares, under the package's name.
    @Test func manifestExamplesNameRealProducts() throws {
        let manifest = try Self.read("Package.swift")
        var checked = 0
        for document in try Self.documents() {
            for block in Self.codeBlocks("swift", in: try Self.read(document))
            where block.hasPrefix("// swift-tools-version") {
                let marker = ".product(name: \""
                for part in block.components(separatedBy: marker).dropFirst() {
                    let name = String(part.prefix { $0 != "\"" })
                    let arguments = String(part.prefix { $0 != ")" })
                    #expect(manifest.contains(".library(name: \"\(name)\""), "\(document): no product \(name)")
                    #expect(
                        arguments.hasSuffix("package: \"MechanismOracle\""),
                        "\(document): product \(name) should come from package \"MechanismOracle\"")
                    checked += 1
                }
            }
        }
        #expect(checked >= 2, "expected the README's manifest to name PropertyEngine and OracleTesting")
    }

    /// Relative links of README.md and docs/*.md point to files or directories of the package.
    @Test func relativeLinksResolve() throws {
        for document in try Self.documents() {
            let directory = Self.root.appendingPathComponent(document).deletingLastPathComponent()
            for part in Self.prose(try Self.read(document)).components(separatedBy: "](").dropFirst() {
                let target = String(part.prefix { $0 != ")" && $0 != " " })
                let path = String(target.prefix { $0 != "#" })
                if path.isEmpty || target.contains("://") || target.hasPrefix("mailto:") { continue }
                let resolved = directory.appendingPathComponent(path).standardizedFileURL.path
                #expect(FileManager.default.fileExists(atPath: resolved), "\(document): broken link \(target)")
            }
        }
    }
}
