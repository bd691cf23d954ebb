import ArgumentParser
import Foundation
import ParleyClient
import ParleyCore
import ParleyLoad
import ParleyStore
import ParleyWire

/// The seed's named reports over months of conversations: parleyd over the wire
/// against SQLite (the seed's SQL with indexes) and DuckDB (same SQL, in a python3
/// child), on the same rows in the same run, with every answer checked to agree.
struct QueriesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queries", abstract: "named reports vs SQLite and DuckDB")

    @Option(help: "Turns to generate (the issue's scale).") var turns = 10_000_000
    @Option(help: "Days the turns span, ending at the reports' now.") var days = 90
    @Option(help: "Timed runs per report on parleyd (after --warmup).") var runs = 30
    @Option(help: "Untimed runs per report first.") var warmup = 5
    @Option(help: "Timed runs per report on SQLite and DuckDB.") var peerRuns = 5
    @Option(help: "Path of the parleyd binary to measure.") var parleyd = "Benchmarks/.build/release/parleyd"
    @Option(help: "The DuckDB runner.") var duckdbScript = "Benchmarks/Scripts/duckdb_queries.py"
    @Option(help: "The python3 that runs it, with the duckdb module (Tools/bench passes the checkout's venv).") var python = "python3"
    @Option(help: "Scratch directory (removed afterwards unless --keep).") var dir: String?
    @Flag(help: "Keep the scratch directory: the loaded parleyd store, the SQLite file and the CSV files. A later run with the same --dir, --turns and --days measures them again without loading.")
    var keep = false
    @Option(help: "After measuring, keep calling this report (name prefix, e.g. ReportContacts) for --profile-seconds, for perf record -p PID.")
    var profile: String?
    @Option(help: "Seconds of --profile load.") var profileSeconds = 30
    @Option(help: "Where to write the JSON report") var json = ".bench/queries.json"

    /// 2025-06-01 00:37:12.345 UTC: the reports' now, off the hour as NOW() is, so the
    /// windows' edge hours are partial.
    static let now: Millis = 1_748_736_000_000 + 37 * 60_000 + 12_345

    func log(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    var scale: String {
        turns % 1_000_000 == 0 ? "\(turns / 1_000_000)M turns" : turns % 1000 == 0 ? "\(turns / 1000)k turns" : "\(turns) turns"
    }

    func run() async throws {
        let scratch = dir ?? NSTemporaryDirectory() + "parley-bench-queries-\(getpid())"
        let dataDir = scratch + "/parleyd"
        // What a kept directory was loaded with; a run that finds it equal to its own reuses the data.
        let loadedMarker = scratch + "/loaded"
        let loadedWith = "turns \(turns) days \(days) now \(Self.now)\n"
        let reuse = (try? String(contentsOfFile: loadedMarker, encoding: .utf8)) == loadedWith
        if !reuse { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: scratch) } }
        let data = ConversationData(turns: turns, days: days, end: Self.now)
        let reports = QueryReport.all(now: Self.now)

        let sqlite = try SQLiteSQL(path: scratch + "/seed.sqlite")
        let duckdb = DuckDBPeer(directory: scratch + "/duckdb")
        if reuse {
            log("reusing the data loaded in \(scratch) (\(loadedWith.dropLast()))")
        } else {
            try await load(data, into: dataDir + "/" + "parley.db", sqlite: sqlite, duckdb: duckdb)
            if keep { try loadedWith.write(toFile: loadedMarker, atomically: true, encoding: .utf8) }
        }

        log("SQLite: the seed's SQL, \(peerRuns) runs each")
        var sqliteAnswers: [(p50: Double, rows: [AnswerRow])] = []
        for report in reports {
            var samples = LatencyRecorder()
            var rows: [[[SQLCell]]] = []
            for i in 0..<(1 + peerRuns) {
                let seconds = try measure { rows = try report.statements(.sqlite).map { try sqlite.query($0, report.parameters) } }
                if i > 0 { samples.record(nanoseconds: UInt64(seconds * 1e9)) }
            }
            sqliteAnswers.append((samples.milliseconds(atPercentile: 50), report.fromSQL(rows)))
            log("  \(report.name): \(samples.milliseconds(atPercentile: 50)) ms")
        }
        sqlite.close()

        log("DuckDB: loading the CSV files and running the same SQL, \(peerRuns) runs each")
        let duck = try duckdb.run(python: python, script: duckdbScript, reports: reports, warmup: 1, runs: peerRuns)
        log(String(format: "  DuckDB loaded in %.1f s", duck.loadSeconds))

        log("parleyd: \(runs) runs each after \(warmup) warm-up runs")
        let port = ChildProcess.freePort()
        let opening = Date()
        // Its warnings and errors show: a failed start must say why.
        let server = try ChildProcess(parleyd, ["--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-level", "warning"], name: "parleyd", quiet: false)
        defer { server.stop() }
        // Opening a store of millions of turns takes longer than the usual 20 s.
        try server.waitUntilListening(on: port, seconds: 1_800)
        log(String(format: "  parleyd listening after %.1f s", Date().timeIntervalSince(opening)))
        let key = try String(contentsOfFile: dataDir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let client = ParleyClient(configuration: ClientConfiguration(port: port, apiKey: key))
        try await client.connect()
        var parleyAnswers: [(p50: Double, rows: [AnswerRow])] = []
        var anonymous = 0
        for report in reports {
            var samples = LatencyRecorder()
            var rows: [AnswerRow] = []
            for i in 0..<(warmup + runs) {
                let start = DispatchTime.now().uptimeNanoseconds
                rows = try await report.ask(client)
                if i >= warmup { samples.record(nanoseconds: DispatchTime.now().uptimeNanoseconds - start) }
            }
            anonymous = max(anonymous, server.anonymousRSS)
            parleyAnswers.append((samples.milliseconds(atPercentile: 50), rows))
            log("  \(report.name): \(samples.milliseconds(atPercentile: 50)) ms")
        }
        if let profile, let report = reports.first(where: { $0.name.hasPrefix(profile) }) {
            log("calling \(report.name) for \(profileSeconds) s: perf record -g -p \(server.pid)")
            let until = Date().addingTimeInterval(Double(profileSeconds))
            while Date() < until { _ = try await report.ask(client) }
        }
        await client.close()

        var disagreements: [String] = []
        for (i, report) in reports.enumerated() {
            if let d = AnswerRow.difference(parleyAnswers[i].rows, sqliteAnswers[i].rows) { disagreements.append("\(report.name), Parley vs SQLite: \(d)") }
            if let d = AnswerRow.difference(parleyAnswers[i].rows, report.fromSQL(duck.answers[i].rows)) { disagreements.append("\(report.name), Parley vs DuckDB: \(d)") }
        }
        var results: [BenchResult] = []
        for (i, report) in reports.enumerated() {
            let name = "\(report.name) p50, \(scale)"
            results.append(.cost(name, unit: "ms", parley: parleyAnswers[i].p50, peer: "sqlite", peerValue: sqliteAnswers[i].p50))
            results.append(.cost(name, unit: "ms", parley: parleyAnswers[i].p50, peer: "duckdb", peerValue: duck.answers[i].p50Ms))
        }
        results.append(.cost("parleyd RssAnon while answering, \(scale)", unit: "MB", parley: Double(anonymous) / 1e6, peer: "goal", peerValue: 300))
        let report = BenchReport(suite: "queries", results: results)
        report.printTable()
        guard disagreements.isEmpty else {
            throw BenchError("the systems disagree:\n" + disagreements.joined(separator: "\n"))
        }
        print("every answer agrees across parleyd, SQLite and DuckDB (counts and tokens exactly, money within rounding)")
        try report.write(to: json)
        print("wrote \(json)")
    }

    /// One pass of the generator feeds all three: ParleyStore in-process (no fsync, one
    /// `bulkLoad` transaction per chunk of sessions: turns and their leads) in the parleyd
    /// data directory, SQLite in one transaction, DuckDB's CSV files.
    func load(_ data: ConversationData, into path: String, sqlite: SQLiteSQL, duckdb: DuckDBPeer) async throws {
        var options = StoreOptions()
        options.durability = .nosync
        let store = try ParleyStore(path: path, options: options)
        defer { store.close() }
        for table in QuerySchema.tables { try sqlite.exec(table.sqliteCreate) }
        try duckdb.startWriting()
        try sqlite.exec("BEGIN")
        let org = ConversationData.organization
        let directory = data.directory
        for d in directory.devices {
            _ = try await store.upsertDevice(d)
            try put(QuerySchema.devices, [.text(org), .text(d.deviceId), .text(d.name), .text(d.phoneNumber)], sqlite, duckdb)
        }
        for p in directory.personas {
            _ = try await store.upsertPersona(p)
            try put(QuerySchema.personas, [.text(org), .text(p.personaId), .text(p.name)], sqlite, duckdb)
        }
        log("loading \(directory.contacts.count) contacts")
        for chunk in stride(from: 0, to: directory.contacts.count, by: 1000) {
            let contacts = directory.contacts[chunk..<min(chunk + 1000, directory.contacts.count)]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in contacts { group.addTask { _ = try await store.upsertContact(c) } }
                try await group.waitForAll()
            }
            for c in contacts { try put(QuerySchema.contacts, [.text(org), .text(c.contactId), .text(c.name), .text(c.phoneNumber)], sqlite, duckdb) }
        }
        log("loading \(data.turns) turns over \(data.days) days into ParleyStore, SQLite and CSV")
        var loaded = 0
        var nextReport = 0
        let started = Date()
        try await data.generate(chunk: 4000) { sessions in
            let turns = sessions.flatMap(\.turns)
            let leads = sessions.compactMap { s in
                s.leadAt.map { Lead(organizationId: org, sessionId: s.id, name: "Lead \(s.id)", email: "\(s.id)@example.com", capturedAt: $0) }
            }
            // Parley's writer thread commits the chunk (turns, then leads: one transaction) while this thread feeds the peers.
            let logged = Task { try await store.bulkLoad(turns: turns, leads: leads, receivedAt: turns.last?.repliedAt ?? 0) }
            for t in turns {
                let tokens = t.tokens ?? .zero
                try put(QuerySchema.turns, [
                    .text(t.turnId), .text(org), .text(t.sessionId), .text(t.deviceId), .text(t.contactId), .text(t.personaId), .text(t.model),
                    .number(Double(tokens.input)), .number(Double(tokens.output)), .number(Double(tokens.total)),
                    .number(Double(t.repliedAt ?? 0)), .number(Double(t.userMessageAt ?? 0)),
                ], sqlite, duckdb)
            }
            for s in sessions { if let at = s.leadAt { try put(QuerySchema.leads, [.text(org), .text(s.id), .number(Double(at))], sqlite, duckdb) } }
            let result = try await logged.value
            guard result.refusedCount == 0, result.turnsStored == turns.count, result.leadsCaptured == leads.count else {
                throw BenchError("generated data was not all stored: \(result)")
            }
            loaded += turns.count
            if loaded >= nextReport {
                log(String(format: "  %d turns, %.0f s", loaded, Date().timeIntervalSince(started)))
                nextReport += max(100_000, data.turns / 10)
            }
        }
        try sqlite.exec("COMMIT")
        try duckdb.finishWriting()
        log(String(format: "loaded in %.0f s; SQLite: deriving conversation_metrics and building indexes", Date().timeIntervalSince(started)))
        let stats = try store.database.stats()
        // The write-side aggregates: rollup cells of every level, the contacts' ranks, the
        // sessions' spend and start cells. (Counts are interpolated: "%d" is 32 bits here.)
        let aggregates = stats.trees.filter { $0.name.hasPrefix("rollups.") || $0.name == "sessions.spend" || $0.name == "sessions.start_cells" }
        for tree in aggregates {
            log("  \(tree.name): \(tree.keys) keys, " + String(format: "%.0f bytes per turn", Double(tree.pages * stats.pageSize) / Double(max(1, data.turns))))
        }
        let aggregateBytes = aggregates.reduce(0) { $0 + $1.pages } * stats.pageSize
        log("  aggregates: \(aggregateBytes) bytes in all, " + String(format: "%.0f", Double(aggregateBytes) / Double(max(1, data.turns)))
            + " bytes per turn (file \(stats.fileBytes) bytes)")
        let indexing = Date()
        for statement in QuerySchema.derive { try sqlite.exec(statement) }
        try sqlite.exec("ANALYZE")
        log(String(format: "  SQLite indexes in %.0f s", Date().timeIntervalSince(indexing)))
    }

    func put(_ table: QuerySchema.Table, _ row: [SQLCell], _ sqlite: SQLiteSQL, _ duckdb: DuckDBPeer) throws {
        try sqlite.run(table.sqliteInsert, row)
        try duckdb.append(table, row)
    }
}
