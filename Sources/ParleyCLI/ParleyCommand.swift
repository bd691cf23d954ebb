import ArgumentParser

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
        """,
        subcommands: [PingCommand.self, InfoCommand.self])

    public init() {}
}
