import ArgumentParser
import ParleyClient
import ParleyWire

/// `parley session ID`: one session's conversation metrics.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Show one session's metrics: turns, tokens, duration, response time, lead, satisfaction.",
        discussion: "Example: parley session s-2026-11-02-001 --org acme")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The session id.")
    var id: String

    @Option(help: "Organization id (default: PARLEY_ORG, then the config file).")
    var org: String?

    @Option(help: ArgumentHelp("IANA time zone for times.", valueName: "zone"))
    var tz: String = "UTC"

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var scope = ScopeOptions()
        scope.org = org
        scope.tz = tz
        let request = V1.SessionKey(organizationID: try scope.organization(), sessionID: id)
        let context = RenderContext.terminal(zone: try scope.zone())
        try await CLIRun.withClient(connection) { client in
            let metrics = try await client.getSessionMetrics(request)
            Terminal.current.write(SessionViews.session.render(metrics, format: output.format, context: context))
        }
    }
}
