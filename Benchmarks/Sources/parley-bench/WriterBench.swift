import ArgumentParser
import Foundation
import ParleyCore
import ParleyStorage
import ParleyStore

/// The store's writer alone, in process: the ingest suite's turns logged by many
/// concurrent callers (durable group commits, no RPC), against SQLite inserting the same
/// rows in batches of 1,000. Reports turns/s, CPU per turn and bytes on disk per turn, and
/// prints where the bytes go, tree by tree. This is also the loop to profile the writer
/// with (`perf record -g Benchmarks/.build/release/parley-bench writer`).
struct WriterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "writer", abstract: "The store's writer in process vs SQLite: turns/s, CPU and bytes per turn.")

    @Option(help: "Turns Parley logs.") var turns = 100_000
    @Option(help: "Concurrent callers, each logging one turn at a time (they fill the group commits).") var callers = 256
    @Option(help: "Turns for SQLite (batches of 1,000).") var sqliteTurns = 30_000
    @Option(help: "Where to write the JSON report") var json = ".bench/writer.json"

    func run() async throws {
        var report = BenchReport(suite: "writer", results: [])
        let scratch = NSTemporaryDirectory() + "parley-bench-writer-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

        let all = (0..<turns).map(Self.turn)
        let store = try ParleyStore(path: scratch + "/parley.db")
        let cpuBefore = Self.cpuSeconds()
        let start = Date()
        let callers = self.callers
        let failures = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var failed = 0
                    for i in stride(from: caller, to: all.count, by: callers) {
                        if case .failed = await store.logTurns([all[i]], receivedAt: 1_763_000_002_000)[0] { failed += 1 }
                    }
                    return failed
                }
            }
            return await group.reduce(0, +)
        }
        let seconds = Date().timeIntervalSince(start)
        let cpu = Self.cpuSeconds() - cpuBefore
        guard failures == 0 else { throw BenchError("\(failures) turns failed") }
        let stats = try store.database.stats()
        let parleyBytes = try IngestBench.usedBytes(scratch + "/parley.db")
        Self.printBreakdown(stats, turns: turns)
        store.close()

        let sqlitePath = scratch + "/turns.sqlite"
        let sqlite = try SQLiteTurnTable(path: sqlitePath)
        let rows: [[Any]] = (0..<sqliteTurns).map { i in
            let t = Self.turn(i)
            return [t.turnId, t.organizationId, t.sessionId, t.deviceId, t.messageId, t.contactId, t.personaId, t.model,
                    t.userMessage, t.aiResponse, Int64(412), Int64(188), Int64(600), "2025-11-13 02:13:\(String(format: "%02d", i % 60))"]
        }
        let sqliteCPUBefore = Self.cpuSeconds()
        let sqliteStart = Date()
        for batch in stride(from: 0, to: rows.count, by: 1_000) {
            try sqlite.insertBatch(Array(rows[batch..<min(batch + 1_000, rows.count)]))
        }
        let sqliteSeconds = Date().timeIntervalSince(sqliteStart)
        let sqliteCPU = Self.cpuSeconds() - sqliteCPUBefore

        report.results.append(.rate("in-process durable turns/s, \(callers) callers", unit: "turns/s", parley: Double(turns) / seconds,
                                    peer: "sqlite WAL FULL, batches of 1,000", peerValue: Double(sqliteTurns) / sqliteSeconds))
        report.results.append(.cost("writer CPU per turn", unit: "us", parley: cpu / Double(turns) * 1e6,
                                    peer: "sqlite WAL FULL, batches of 1,000", peerValue: sqliteCPU / Double(sqliteTurns) * 1e6))
        report.results.append(.cost("bytes on disk per turn", unit: "bytes", parley: Double(parleyBytes) / Double(turns),
                                    peer: "sqlite", peerValue: Double(sqlite.bytesOnDisk(path: sqlitePath)) / Double(sqliteTurns)))
        report.printTable()
        try report.write(to: json)
    }

    /// The ingest suite's turn, numbered: ids as its request template fills them.
    static func turn(_ i: Int) -> Turn {
        var t = IngestBench.turn()
        let number = String(format: "%012d", i)
        t.turnId = "t-" + number
        t.messageId = "m-" + number
        t.sessionId = "s-" + String(format: "%012d", i / 10)
        return t
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Per tree: entries, pages by kind, key and value bytes per entry, leaf fill, and
    /// the tree's share of the file per turn.
    static func printBreakdown(_ stats: DatabaseStats, turns: Int) {
        let usable = Double(stats.pageSize - 24)
        print("where the bytes go (\(turns) turns, \(stats.pages) pages of \(stats.pageSize) bytes, \(stats.freePages) free, file \(stats.fileBytes) bytes):")
        print("  tree                     entries  leaves  branch  overflow  key B  value B  leaf fill  B/turn")
        for tree in stats.trees.sorted(by: { $0.pages > $1.pages }) where tree.pages > 0 {
            let entries = max(tree.keys, 1)
            let branch = tree.pages - tree.leafPages - tree.overflowPages
            print("  " + tree.name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: " %9d %7d %7d %9d %6.1f %8.1f %9.1f%% %7.1f", tree.keys, tree.leafPages, branch,
                         tree.overflowPages, Double(tree.keyBytes) / Double(entries), Double(tree.valueBytes) / Double(entries),
                         tree.leafPages == 0 ? 0 : 100 * Double(tree.leafUsedBytes) / (Double(tree.leafPages) * usable),
                         Double(tree.pages * stats.pageSize) / Double(turns)))
        }
        print(String(format: "  free pages %.1f B/turn; file beyond the high-water mark %.1f B/turn",
                     Double(stats.freePages * stats.pageSize) / Double(turns),
                     Double(stats.fileBytes - stats.pages * stats.pageSize) / Double(turns)))
    }
}
