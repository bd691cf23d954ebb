import ArgumentParser
import ParleyWire

/// `parley report devices|models|daily|...`: the seed's named reports.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show a named report: devices, models, daily, personas, contacts, hourly, sessions, conversion.",
        discussion: """
        Examples:
          parley report models --since 30d
          parley report daily --since 2026-11-01 --until 2026-12-01 --tz Europe/Berlin
          parley report contacts --top 20 --device d-1 --format csv
        """,
        subcommands: [Devices.self, Models.self, Daily.self, Personas.self, Contacts.self, Hourly.self,
                      Sessions.self, Conversion.self])

    struct Devices: AsyncParsableCommand {
        static let configuration = ReportKind.devices.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.devices) }
    }

    struct Models: AsyncParsableCommand {
        static let configuration = ReportKind.models.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.models) }
    }

    struct Daily: AsyncParsableCommand {
        static let configuration = ReportKind.daily.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.daily) }
    }

    struct Personas: AsyncParsableCommand {
        static let configuration = ReportKind.personas.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.personas) }
    }

    struct Contacts: AsyncParsableCommand {
        static let configuration = ReportKind.contacts.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.contacts) }
    }

    struct Hourly: AsyncParsableCommand {
        static let configuration = ReportKind.hourly.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.hourly) }
    }

    struct Sessions: AsyncParsableCommand {
        static let configuration = ReportKind.sessions.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.sessions) }
    }

    struct Conversion: AsyncParsableCommand {
        static let configuration = ReportKind.conversion.configuration
        @OptionGroup var report: ReportOptions
        func run() async throws { try await report.run(.conversion) }
    }
}

/// What every named report asks: where, which organization and window, filters, how many.
struct ReportQuery: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var filters: FilterOptions

    @Option(help: "At most this many rows (0: all).")
    var top: UInt32 = 0

    func request() throws -> V1.ReportRequest {
        V1.ReportRequest(organizationID: try scope.organization(), window: try scope.windowMessage(),
                         timeZone: scope.tz, top: top > 0 ? top : nil, filters: filters.messages())
    }

    /// The report's answer, bound to its view.
    func answer(_ kind: ReportKind) async throws -> ShownAnswer {
        let request = try request()
        return try await CLIRun.withClient(connection) { client in try await kind.answer(request, from: client) }
    }
}

/// A report as shown: the query, and how to print it.
struct ReportOptions: ParsableArguments {
    @OptionGroup var query: ReportQuery

    @Option(help: "Chart in the table format: spark (a sparkline per model), bars (a bar per day) or none.")
    var chart: ChartStyle = .spark

    @OptionGroup var output: OutputOptions

    func run(_ kind: ReportKind) async throws {
        let context = RenderContext.terminal(zone: try query.scope.zone(), chart: chart)
        let answer = try await query.answer(kind)
        Terminal.current.write(answer.render(output.format, context))
    }
}
