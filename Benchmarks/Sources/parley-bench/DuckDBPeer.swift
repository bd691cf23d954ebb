import Foundation

/// The queries suite's DuckDB peer: the bench writes the rows as CSV files, then a
/// python3 child (Benchmarks/Scripts/duckdb_queries.py, with the duckdb module) loads them into an
/// in-memory DuckDB, times each report's statements there and prints JSON.
final class DuckDBPeer {
    struct Answer {
        var p50Ms: Double
        /// Rows of each statement of the report's last run.
        var rows: [[[SQLCell]]]
    }

    let directory: String
    private var files: [String: FileHandle] = [:]
    private var buffers: [String: [UInt8]] = [:]

    init(directory: String) {
        self.directory = directory
    }

    /// Creates the directory and empty CSV files, for `append`.
    func startWriting() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for table in QuerySchema.tables {
            let path = csv(table)
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw BenchError("cannot create \(path)")
            }
            files[table.name] = handle
            buffers[table.name] = []
        }
    }

    func csv(_ table: QuerySchema.Table) -> String { directory + "/\(table.name).csv" }

    /// Values hold no commas, quotes or newlines (the generator's ids and names).
    func append(_ table: QuerySchema.Table, _ row: [SQLCell]) throws {
        var line = row.map { cell -> String in
            switch cell {
            case .null: return ""
            case .number(let v): return String(Int64(v))
            case .text(let s): return s
            }
        }.joined(separator: ",")
        line.append("\n")
        buffers[table.name, default: []].append(contentsOf: line.utf8)
        if let buffer = buffers[table.name], buffer.count > 1 << 20 { try flush(table.name) }
    }

    private func flush(_ name: String) throws {
        guard let buffer = buffers[name], !buffer.isEmpty else { return }
        try files[name]?.write(contentsOf: buffer)
        buffers[name] = []
    }

    func finishWriting() throws {
        for name in files.keys { try flush(name) }
        for handle in files.values { try handle.close() }
        files = [:]
    }

    /// Loads the files, then runs every report `warmup + runs` times; returns the load
    /// time and each report's answer, in the order given.
    func run(python: String, script: String, reports: [QueryReport], warmup: Int, runs: Int) throws -> (loadSeconds: Double, answers: [Answer]) {
        let spec: [String: Any] = [
            "setup": QuerySchema.tables.map { $0.duckdbLoad(csv: csv($0)) } + QuerySchema.derive,
            "warmup": warmup,
            "runs": runs,
            "reports": reports.map { r -> [String: Any] in
                ["name": r.name, "statements": r.statements(.duckdb), "params": r.parameters.map(Self.json)]
            },
        ]
        let specPath = directory + "/spec.json"
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: specPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script, specPath]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let load = object["load_s"] as? Double,
              let answers = object["reports"] as? [[String: Any]], answers.count == reports.count else {
            throw BenchError("\(script) failed (status \(p.terminationStatus)): \(String(decoding: data.prefix(2000), as: UTF8.self))")
        }
        return (load, try answers.map { a in
            guard let p50 = a["p50_ms"] as? Double, let statements = a["rows"] as? [[[Any]]] else {
                throw BenchError("\(script): malformed answer \(a)")
            }
            return Answer(p50Ms: p50, rows: statements.map { $0.map { $0.map(Self.cell) } })
        })
    }

    static func json(_ cell: SQLCell) -> Any {
        switch cell {
        case .null: return NSNull()
        case .number(let v): return Int64(v)
        case .text(let s): return s
        }
    }

    static func cell(_ value: Any) -> SQLCell {
        if let s = value as? String { return .text(s) }
        if let n = value as? NSNumber { return .number(n.doubleValue) }
        return .null
    }
}
