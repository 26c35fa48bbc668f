import ArgumentParser
import Oracle
import Reference

@main
struct OracleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oracle",
        abstract: "Exact reference oracle and property-based verification for the theory of independent mechanisms (Besserve et al., AAAI-21).",
        subcommands: [LeakLoopCommand.self]
    )
}
