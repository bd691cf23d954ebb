import Foundation
import ParleyCLI
import ParleyServer
import ParleyTestSupport

extension ServerHarness {
    /// A full parleyd (store and every service) over TCP, for running `parley` commands
    /// against: one event loop, `.nosync` commits, 20 s client deadlines.
    /// `configure` adjusts the configuration before the server starts (e.g. a capture).
    static func cliServer(lifetime: TimeInterval = 120,
                          configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerHarness {
        try await startWithStore(lifetime: lifetime, eventLoopThreads: 1, shutdownGraceMs: 2_000, clientTimeoutMs: 20_000,
                                 configure: configure)
    }

    /// Runs `parley ARGS --addr ... --key ...` in-process and captures what it wrote.
    func parley(_ args: [String], interactive: Bool = false, width: Int = 100) async -> CommandResult {
        await CommandResult.run(args + ["--addr", address, "--key", adminKey], interactive: interactive, width: width)
    }
}

/// What one in-process `parley` run produced.
struct CommandResult {
    let code: Int32
    let out: String
    let err: String

    static func run(_ args: [String], interactive: Bool = false, width: Int = 100) async -> CommandResult {
        let terminal = Terminal.capturing(width: width, interactive: interactive)
        let code = await ParleyCommand.run(arguments: args, terminal: terminal)
        return CommandResult(code: code, out: terminal.output, err: terminal.errors)
    }
}
