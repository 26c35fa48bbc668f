import ArgumentParser
import Foundation
import Oracle
import Reference

struct OracleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle",
        abstract: "Exact reference oracle and property-based verification for the theory of independent mechanisms (Besserve et al., AAAI-21).",
        subcommands: [ListCommand.self, CheckCommand.self, SDRCommand.self, DocsCommand.self, LeakLoopCommand.self]
    )
}

/// Exit codes: 0 success, 1 a computed verdict differs from the documented one, 2 usage or input errors.
@main
enum OracleMain {
    static func main() {
        do {
            var command = try OracleCommand.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            OracleCommand.exit(withError: exit)
        } catch {
            let code = OracleCommand.exitCode(for: error)
            if code == .success { OracleCommand.exit(withError: error) }  // --help, --version
            let message = OracleCommand.fullMessage(for: error)
            FileHandle.standardError.write(Data(((message.hasPrefix("Error") || message.hasPrefix("error")) ? message : "error: \(message)").utf8 + [10]))
            Foundation.exit(2)
        }
    }
}

/// Writes to standard output, flushing (progress and results interleave correctly).
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
