import ArgumentParser
import Oracle
struct OracleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "oracle")
}
OracleCommand.main()
