import ArgumentParser
import ParleyClient
import ParleyWire

/// `parley thread CONTACT`: what a contact said and what the AI answered, newest first.
struct ThreadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thread",
        abstract: "Show a contact's conversation, newest first, a page at a time.",
        discussion: """
        Examples:
          parley thread c-42
          parley thread c-42 --page-size 20 --page-token <token printed by the previous page>
          parley thread c-42 --all --format json
        """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The contact id.")
    var contact: String

    @Option(help: "Organization id (default: PARLEY_ORG, then the config file).")
    var org: String?

    @Option(help: "Entries per page (at most 1000).")
    var pageSize: UInt32 = 50

    @Option(help: "Continue where a previous page ended.")
    var pageToken: String?

    @Flag(help: "Follow every page to the oldest entry.")
    var all = false

    @Option(help: ArgumentHelp("IANA time zone for times.", valueName: "zone"))
    var tz: String = "UTC"

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var scope = ScopeOptions()
        scope.org = org
        scope.tz = tz
        var request = V1.ThreadRequest(organizationID: try scope.organization(), contactID: contact,
                                       pageSize: pageSize, pageToken: pageToken)
        let context = RenderContext.terminal(zone: try scope.zone())
        try await CLIRun.withClient(connection) { client in
            var page = try await client.contactThread(request)
            if all {
                var entries = page.entries
                while let next = page.nextPageToken, !next.isEmpty {
                    request.pageToken = next
                    page = try await client.contactThread(request)
                    entries += page.entries
                }
                page.entries = entries
            }
            Terminal.current.write(ThreadView.view.render(page, format: output.format, context: context))
        }
    }
}
