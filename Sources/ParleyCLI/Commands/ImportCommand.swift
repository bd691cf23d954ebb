import ArgumentParser
import Foundation
import ParleyCore
import ParleyWire

/// `parley import FILE`: load rows exported from the seed's MySQL tables.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV or JSON-lines export of ai_conversations, messages, whatsapp_connections, contacts, personas, conversation_metrics or leads.",
        discussion: """
        The table is detected from the header unless --table names it. Rows go in batches
        (LogTurns, LogMessages, UpsertDirectory), --in-flight of them at once; a bad row is reported with its line number and the import goes on (exit 65
        at the end when any row was rejected). Progress is checkpointed in FILE.parley-checkpoint:
        run the same command again to resume; re-running a finished import is safe, because
        turn ids are idempotency keys.
        Examples:
          parley import ai_conversations.csv --org acme
          parley import export.jsonl --table messages --map body=content,conn=device_id
          parley import ai_conversations.csv --resume-from 120001
          parley import openai_turns.csv --usage-format openai
        Token columns are read in --usage-format's convention (default parley: input_tokens
        excludes cache reads and writes, output_tokens includes reasoning_tokens); openai and
        gemini input_tokens include cached_read_tokens, gemini output_tokens exclude
        reasoning_tokens (thoughts); see docs/TOKENS.md.
        """)

    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "Which table the file holds (default: detected from the header).")
    var table: SourceTable?

    @Option(help: "csv or jsonl (default: jsonl for .json, .jsonl and .ndjson files, else csv).")
    var input: InputFormat?

    @Option(help: ArgumentHelp("Column mapping, source=target,... (a target of - drops the column).", valueName: "map"))
    var map: [String] = []

    @Option(help: "Organization for rows that name none (default: PARLEY_ORG, then the config file).")
    var org: String?

    @Option(help: "Rows per batch call (LogTurns, LogMessages, UpsertDirectory; at most 1000).")
    var batchSize = 1_000

    @Option(help: "Batches sent and not yet answered at once, while the next is read (1 to 64).")
    var inFlight = 4

    @Option(help: ArgumentHelp("Start at this line, ignoring any checkpoint.", valueName: "line"))
    var resumeFrom: Int?

    @Flag(help: "Ignore the checkpoint and start from the first line.")
    var restart = false

    @Option(help: "Convention of the token columns: parley, openai, anthropic or gemini.")
    var usageFormat: UsageConvention = .parley

    func validate() throws {
        guard (1...1_000).contains(batchSize) else { throw ArgumentParser.ValidationError("--batch-size must be 1 to 1000") }
        guard (1...64).contains(inFlight) else { throw ArgumentParser.ValidationError("--in-flight must be 1 to 64") }
        if let resumeFrom, resumeFrom < 1 { throw ArgumentParser.ValidationError("--resume-from must be a line number, 1 or more") }
    }

    func run() async throws {
        let terminal = Terminal.current
        let format = input ?? (["json", "jsonl", "ndjson"].contains((file as NSString).pathExtension.lowercased()) ? .jsonl : .csv)
        let source: RecordSource = format == .csv ? try CSVReader(path: file) : try JSONLinesReader(path: file)
        guard let table = table ?? SourceTable.detect(columns: source.columns) else {
            throw CLIError.usage("cannot tell which table \(file) holds from its columns (\(source.columns.joined(separator: ", "))); name it with --table")
        }
        let mapping = try ColumnMapping(table: table, spec: map)
        var scope = ScopeOptions()
        scope.org = org
        let converter = RowConverter(table: table, defaultOrganization: try? scope.organization(), usageFormat: usageFormat)
        let checkpoint = Checkpoint(input: file)
        var firstLine = 1
        if let resumeFrom {
            firstLine = resumeFrom
        } else if !restart, let done = checkpoint.load() {
            firstLine = done + 1
            terminal.note("resuming after line \(done) (from \(checkpoint.path); --restart starts over)")
        }
        let ignored = mapping.ignored(source.columns)
        if !ignored.isEmpty { terminal.note("ignoring columns: \(ignored.joined(separator: ", ")) (map them with --map source=field)") }

        let display = ProgressDisplay("import", unit: .bytes, terminal: terminal)
        var summary = Importer.Summary()
        let started = ContinuousClock.now
        try await CLIRun.withClient(connection) { client in
            let importer = Importer(source: source, mapping: mapping, converter: converter, client: client, checkpoint: checkpoint,
                                    firstLine: firstLine, batchSize: batchSize, inFlight: inFlight, display: display, terminal: terminal)
            do {
                summary = try await importer.run()
            } catch {
                display.finish()
                if let done = checkpoint.load() {
                    terminal.note("stopped; lines up to \(done) are recorded. Run the same command again to resume.")
                }
                throw error
            }
        }
        display.finish()
        checkpoint.clear()
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        terminal.note("\(Format.integer(Int64(summary.read))) rows in \(String(format: "%.1f", seconds)) s"
                      + (seconds > 0 ? ", \(Format.integer(Int64(Double(summary.read) / seconds))) rows/s" : ""))
        var line = "\(table.rawValue) from \(file): \(summary.read) rows read, \(summary.stored) stored, "
            + "\(summary.duplicates) already stored, \(summary.rejected) rejected"
        if summary.skipped > 0 { line += ", \(summary.skipped) skipped" }
        terminal.line(line)
        if table == .conversationMetrics {
            terminal.note("session metrics are rebuilt from turns; this import added their leads and satisfaction")
        }
        if summary.rejected > 0 { throw ExitCode(65) }
    }
}

extension UsageConvention: ExpressibleByArgument {}
