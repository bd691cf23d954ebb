import ArgumentParser
import Foundation
import ParleyClient
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
            try await ExportCommand.stream(noun: "turns", connection: connection, scope: scope, destination: destination) {
                $0.exportTurns($1).map(\.turns)
            }
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
            try await ExportCommand.stream(noun: "messages", connection: connection, scope: scope, destination: destination) {
                $0.exportMessages($1).map(\.messages)
            }
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
            guard let rows = answer.rows else {
                throw CLIError.local("the \(kind.rawValue) report has no rows to export")
            }
            let sink = try destination.open()
            defer { sink.close() }
            try sink.begin(rows.type)
            for row in rows.values { try sink.write(row) }
        }
    }

    /// Writes every row of an export stream; `batches` opens the stream and takes each
    /// batch's rows out.
    static func stream<Row: FieldWalk, Batches: AsyncSequence>(
        noun: String, connection: ConnectionOptions, scope: ScopeOptions, destination: Destination,
        _ batches: @escaping (ParleyClient, V1.ExportRequest) -> Batches
    ) async throws where Batches.Element == [Row] {
        let request = V1.ExportRequest(organizationID: try scope.organization(), window: try scope.windowMessage())
        let sink = try destination.open()
        defer { sink.close() }
        try sink.begin(Row.self)
        var rows: Int64 = 0
        try await CLIRun.withClient(connection) { client in
            for try await batch in batches(client, request) {
                for row in batch { try sink.write(row) }
                rows += Int64(batch.count)
            }
        }
        if destination.output != nil { Terminal.current.note("exported \(Format.integer(rows)) \(noun) to \(destination.output ?? "")") }
    }
}
