import ArgumentParser
import Foundation
import ParleyLoad

/// `parley import` of the seed's ai_conversations and messages exports against
/// `sqlite3 .import` of the same CSV file into the seed's table with its indexes (WAL,
/// synchronous=FULL), same run. Parley's figure is the whole command, wall clock: reading
/// and converting the file, the RPCs, and parleyd's durable commits.
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "parley import vs sqlite3 .import of the same CSV.")

    @Option(help: "Path of the parleyd binary to measure.") var parleyd = "Benchmarks/.build/release/parleyd"
    @Option(help: "Path of the parley binary to measure.") var parley = "Benchmarks/.build/release/parley"
    @Option(help: "Path of the sqlite3 shell.") var sqlite3 = "/usr/bin/sqlite3"
    @Option(help: "Rows per table.") var rows = 200_000
    @Option(help: "Extra arguments for parley import (e.g. \"--in-flight 8\").") var importArguments = ""
    @Option(help: "Where to write the JSON report") var json = ".bench/import.json"

    /// The seed's tables as SQLite holds them: columns in the export's order, and the
    /// indexes Parley keeps for the same rows.
    static func sqliteSchema(_ table: SeedExport.Table) -> [String] {
        switch table {
        case .aiConversations:
            return [
                """
                CREATE TABLE ai_conversations (
                  id VARCHAR(36) PRIMARY KEY, organization_id VARCHAR(36), session_id VARCHAR(64),
                  device_id VARCHAR(36), message_id VARCHAR(36), contact_id VARCHAR(36), persona_id VARCHAR(36),
                  model VARCHAR(50), user_message TEXT, ai_response TEXT, input_tokens INT, output_tokens INT,
                  tokens_used INT, created_at DATETIME)
                """,
                "CREATE INDEX ac_org_time ON ai_conversations(organization_id, created_at)",
                "CREATE INDEX ac_org_device ON ai_conversations(organization_id, device_id, created_at)",
                "CREATE INDEX ac_org_contact ON ai_conversations(organization_id, contact_id, created_at)",
                "CREATE INDEX ac_org_session ON ai_conversations(organization_id, session_id, created_at)",
            ]
        case .messages:
            return [
                """
                CREATE TABLE messages (
                  id VARCHAR(36) PRIMARY KEY, organization_id VARCHAR(36), contact_id VARCHAR(36), device_id VARCHAR(36),
                  session_id VARCHAR(64), direction VARCHAR(10), content TEXT, created_at DATETIME)
                """,
                "CREATE INDEX m_org_time ON messages(organization_id, created_at)",
                "CREATE INDEX m_org_contact ON messages(organization_id, contact_id, created_at)",
            ]
        default:
            return []
        }
    }

    func run() async throws {
        var report = BenchReport(suite: "import", results: [])
        let scratch = NSTemporaryDirectory() + "parley-bench-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

        let dataDir = scratch + "/parley"
        let port = ChildProcess.freePort()
        let server = try ChildProcess(parleyd, ["--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-level", "warning"], name: "parleyd")
        defer { server.stop() }
        try ChildProcess.waitForPort(port)
        let key = try String(contentsOfFile: dataDir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        for table in [SeedExport.Table.aiConversations, .messages] {
            let csv = "\(scratch)/\(table.rawValue).csv"
            try SeedExport.write(table, rows: rows, organization: "acme", to: csv)
            let bytes = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? NSNumber)?.intValue ?? 0
            print("import: \(table.rawValue), \(rows) rows, \(bytes / 1_000_000) MB of CSV")

            let extra = importArguments.split(separator: " ").map(String.init)
            let parleySeconds = try measure {
                try Self.runToEnd(parley, ["import", csv, "--addr", "127.0.0.1:\(port)", "--key", key] + extra, what: "parley import")
            }
            let again = try measure {
                try Self.runToEnd(parley, ["import", csv, "--addr", "127.0.0.1:\(port)", "--key", key] + extra, what: "parley import (again)")
            }
            let db = "\(scratch)/\(table.rawValue).sqlite"
            let setup = ["PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;"] + Self.sqliteSchema(table).map { $0 + ";" }
            try Self.runToEnd(sqlite3, [db], input: setup.joined(separator: "\n") + "\n", what: "sqlite3 schema")
            let sqliteSeconds = try measure {
                try Self.runToEnd(sqlite3, [db], input: "PRAGMA synchronous=FULL;\n.mode csv\n.import --skip 1 \(csv) \(table.rawValue)\n",
                                  what: "sqlite3 .import")
            }
            let stored = try ChildProcess.output(sqlite3, [db, "SELECT COUNT(*) FROM \(table.rawValue)"]).trimmingCharacters(in: .whitespacesAndNewlines)
            guard Int(stored) == rows else { throw BenchError("sqlite3 .import stored \(stored) rows of \(rows)") }
            report.results.append(.rate("import rows/s, \(table.rawValue)", unit: "rows/s", parley: Double(rows) / parleySeconds,
                                        peer: "sqlite3 .import", peerValue: Double(rows) / sqliteSeconds))
            report.results.append(.rate("re-import rows/s (all already stored), \(table.rawValue)", unit: "rows/s", parley: Double(rows) / again,
                                        peer: "sqlite3 .import", peerValue: Double(rows) / sqliteSeconds))
        }
        report.printTable()
        try report.write(to: json)
    }

    /// Runs a command to its end; a non-zero exit is an error naming `what`.
    static func runToEnd(_ executable: String, _ arguments: [String], input: String? = nil, what: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        p.standardError = errors
        let stdin = Pipe()
        if input != nil { p.standardInput = stdin }
        try p.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw BenchError("\(what) exited \(p.terminationStatus): \(String(decoding: message.suffix(2_000), as: UTF8.self))")
        }
    }
}
