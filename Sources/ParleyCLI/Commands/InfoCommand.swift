import ArgumentParser
import ParleyClient
import ParleyWire

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the server's version, uptime, connections and calls by method and status.",
        discussion: "Example: parley info --format json")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await CLIRun.withClient(connection) { client in
            let info = try await client.serverInfo(V1.Empty())
            switch output.format {
            case .json:
                Terminal.current.line(JSONRender.object(info))
            case .csv, .table:
                let summary = Table(columns: ["version", "uptime", "connections", "protocol", "token counts"])
                var s = summary
                s.add([info.version ?? "", Format.duration(ms: info.uptimeMs ?? 0),
                       Format.integer(Int64(info.connections ?? 0)), Format.integer(Int64(info.protocolVersion ?? 0)),
                       info.tokenCounting ?? ""])
                var t = Table(columns: ["method", "status", "calls"], rightAligned: [2])
                for c in info.calls {
                    let status = StatusCode(rawValue: UInt16(truncatingIfNeeded: c.status ?? 0))
                    t.add([c.method ?? "", status?.name ?? "?", Format.integer(c.count ?? 0)])
                }
                if output.format == .csv {
                    Terminal.current.write(s.csv())
                    Terminal.current.write(t.csv())
                } else {
                    Terminal.current.line(s.render())
                    if !info.calls.isEmpty { Terminal.current.line(); Terminal.current.line(t.render()) }
                }
            }
        }
    }
}
