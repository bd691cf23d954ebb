import ArgumentParser
import Foundation
import ParleyWire

/// `parley export turns|messages|report`: data out, as JSON lines or CSV.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export turns, messages or a report's rows as JSON lines (ClickHouse JSONEachRow) or CSV.",
        discussion: """
        One flat object per line: nested fields become outer_inner columns (tokens_input,
        cost_nanos), times stay epoch milliseconds, absent fields are left out.
        Examples:
          parley export turns --org acme --since 2026-11-01 --until 2026-12-01 > turns.jsonl
          parley export messages --org acme --since 7d --as csv --output messages.csv
          parley export report models --org acme --since 30d --as csv
          clickhouse-client -q 'INSERT INTO turns FORMAT JSONEachRow' < turns.jsonl
        """,
        subcommands: [Turns.self, Messages.self, Report.self])

    enum Shape: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv
    }

    struct Destination: ParsableArguments {
        @Option(name: .customLong("as"), help: "jsonl (one flat JSON object per line) or csv.")
        var shape: Shape = .jsonl

        @Option(help: "Write to this file instead of standard output.")
        var output: String?

        func open() throws -> ExportSink {
            try ExportSink(path: output, shape: shape)
        }
    }

    struct Turns: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every turn in the window, oldest first, with every field.",
            discussion: "Example: parley export turns --org acme --since 2026-11-01 --until 2026-12-01 --output turns.jsonl")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var destination: Destination

        func run() async throws {
            try await ExportCommand.stream(.exportTurns, field: "turns", rowType: RecordTypes.turn,
                                           connection: connection, scope: scope, destination: destination)
        }
    }

    struct Messages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every channel message in the window, oldest first.",
            discussion: "Example: parley export messages --org acme --since 7d --as csv")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var destination: Destination

        func run() async throws {
            try await ExportCommand.stream(.exportMessages, field: "messages", rowType: RecordTypes.message,
                                           connection: connection, scope: scope, destination: destination)
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A named report's rows (devices, models, daily, personas, contacts, hourly, sessions, conversion).",
            discussion: "Example: parley export report daily --org acme --since 30d --tz Europe/Berlin")
        @Argument(help: "Which report.")
        var kind: ReportKind
        @OptionGroup var query: ReportQuery
        @OptionGroup var destination: Destination

        func run() async throws {
            let answer = try await query.answer(kind)
            let field = kind.view.rowsField
            guard let f = answer.type.field(named: field), let rowType = answer.type.nestedType(f) else {
                throw CLIError.local("the \(kind.rawValue) report has no rows to export")
            }
            let sink = try destination.open()
            defer { sink.close() }
            try sink.begin(rowType)
            for row in answer.messages(field) { try sink.write(row) }
        }
    }

    static func stream(_ method: Method, field: String, rowType: MessageType, connection: ConnectionOptions,
                       scope: ScopeOptions, destination: Destination) async throws {
        var request = ProtoMessage(method.requestType)
        request.set("organization_id", try scope.organization())
        request.set("window", try scope.windowMessage())
        let sink = try destination.open()
        defer { sink.close() }
        try sink.begin(rowType)
        var rows: Int64 = 0
        try await CLIRun.withClient(connection) { client in
            for try await batch in client.dynamicStream(method, request) {
                for row in batch.messages(field) { try sink.write(row) }
                rows += Int64(batch.messages(field).count)
            }
        }
        if destination.output != nil { Terminal.current.note("exported \(Format.integer(rows)) \(field) to \(destination.output ?? "")") }
    }
}
