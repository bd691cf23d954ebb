import ArgumentParser
import Foundation
import ParleyWire

/// `parley`: the command line for people.
public struct ParleyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Talk to a Parley server: record turns, read reports, run operations.",
        discussion: """
        The server and key come from --addr/--key, then PARLEY_ADDR/PARLEY_KEY, then
        ~/.config/parley/config (addr = ..., key = ...), then ./data/admin.key of a local server.
        Exit codes: 0 ok, 64 usage, 65 input rejected, 69 server unreachable,
        77 authentication or permission, 70 other server error, 1 local failure.
        Shell completion: parley --generate-completion-script bash|zsh|fish
        """,
        version: ParleyVersion.string,
        subcommands: [
            ReportCommand.self, UsageCommand.self, ThreadCommand.self, SessionCommand.self,
            PricesCommand.self, LogCommand.self, AdminCommand.self, ImportCommand.self, ExportCommand.self,
            PingCommand.self, InfoCommand.self,
        ])

    public init() {}

    /// Parses, runs, and exits with the command's code. Replaces the default `main` so
    /// the executable and the tests take the same path (`run(arguments:terminal:)`).
    public static func main() async {
        let code = await run(arguments: Array(CommandLine.arguments.dropFirst()), terminal: .standard())
        Foundation.exit(code)
    }

    /// Runs one command line with output going to `terminal`, and answers its exit code.
    public static func run(arguments: [String], terminal: Terminal) async -> Int32 {
        await CommandRunner.run(ParleyCommand.self, arguments: arguments, terminal: terminal)
    }
}
