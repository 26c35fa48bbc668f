import ArgumentParser
import MechanismCommon
import Foundation
import Oracle
import Reference

struct OracleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle",
        abstract:
            "Exact reference oracle and property-based verification for the theory of independent mechanisms (Besserve "
            + "et al., AAAI-21).",
        subcommands: [
            ListCommand.self, CheckCommand.self, SDRCommand.self, FuzzCommand.self, SimulateCommand.self,
            LayerCommand.self, BenchCommand.self, CounterexampleCommand.self, MergeCommand.self, DocsCommand.self,
            PromoteCommand.self, LeakLoopCommand.self,
        ]
    )
}

/// Exit codes: 0 success, 1 a computed verdict differs from the documented one, 2 usage or input errors.
@main
enum OracleMain {
    static func main() {
        var command: ParsableCommand
        do { command = try OracleCommand.parseAsRoot() } catch { fail(error, usage: true) }
        do { try command.run() } catch { fail(error, usage: false) }
    }

    /// Prints the error (with the usage for parse errors) and exits: 2 for usage and input errors.
    static func fail(_ error: Error, usage: Bool) -> Never {
        if let exit = error as? ExitCode { OracleCommand.exit(withError: exit) }
        if OracleCommand.exitCode(for: error) == .success { OracleCommand.exit(withError: error) }  // --help, --version
        let message = usage ? OracleCommand.fullMessage(for: error) : OracleCommand.message(for: error)
        let text = message.lowercased().hasPrefix("error") ? message : "Error: \(message)"
        FileHandle.standardError.write(Data((text + "\n").utf8))
        Foundation.exit(2)
    }
}

/// Writes to standard output, flushing (progress and results interleave correctly).
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
