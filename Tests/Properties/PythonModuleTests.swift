import Foundation
import Testing

/// python/oracle_protocol.py (the protocol loop for Python estimators) under its own pytest suite,
/// python/tests: decoding, encoding, dispatch, the error answers, the example of docs/fuzzing.md and
/// examples/sdr_numpy.py. Skipped without python3 and pytest; the tests needing numpy skip inside pytest.
/// The suite's end-to-end part (the release oracle against the example) is left out here (`ORACLE=`):
/// `FuzzTests.examplesAreCaughtOrPass` runs the same example through the fuzzer in-process.
@Suite struct PythonModuleTests {
    /// The repository root (this file is Tests/Properties/PythonModuleTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Python 3 with pytest (present on the project's machines; skipped elsewhere).
    static let hasPytest = OracleBinary.python(has: "pytest")

    @Test(.enabled(if: PythonModuleTests.hasPytest, "needs python3 with pytest for python/tests"))
    func pytestSuitePasses() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        // No cache or bytecode written into the tree; ORACLE= leaves out the end-to-end tests.
        p.arguments = ["-c", "exec python3 -m pytest -q -p no:cacheprovider python/tests 2>&1"]
        p.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        environment["ORACLE"] = ""
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        p.environment = environment
        let output = Pipe()
        p.standardOutput = output
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python3 -m pytest -q python/tests failed:\n\(text.suffix(4000))")
        #expect(text.contains(" passed"), "\(text.suffix(2000))")
    }
}
