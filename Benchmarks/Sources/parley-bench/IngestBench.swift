import ArgumentParser
import Foundation
import NIOCore
import ParleyCore
import ParleyStorage
import ParleyWire

/// Durable LogTurn over loopback against redis-server (appendonly, appendfsync always)
/// doing LPUSH of the same bytes, and SQLite in process with the seed's table and indexes.
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Durable turn ingest vs Redis AOF-always and SQLite.")

    @Option(help: "Path of the parleyd binary to measure.") var parleyd = "Benchmarks/.build/release/parleyd"
    @Option(help: "Turns per configuration without pipelining.") var calls = 20_000
    @Option(help: "Turns per configuration with 16 in flight per connection.") var pipelinedCalls = 60_000
    @Option(help: "Turns for SQLite (batches of 1,000).") var sqliteTurns = 100_000
    @Option(help: "Where to write the JSON report") var json = ".bench/ingest.json"
    @Option(help: "The cl100k_base vocabulary parleyd counts turns sent without counts with (default: parleyd's default path).")
    var vocab: String?

    /// A realistic turn, about 1 KB of text, with placeholders for a unique id and session.
    static func turn() -> Turn {
        Turn(turnId: "t-" + RequestTemplate.idPlaceholder, organizationId: "acme", sessionId: "s-" + RequestTemplate.sessionPlaceholder,
             deviceId: "device-17", messageId: "m-" + RequestTemplate.idPlaceholder, contactId: "contact-4242", personaId: "sales",
             model: "gpt-4o-2024-08-06",
             userMessage: String(repeating: "Hi, I would like to know the opening hours and the price of the premium plan. ", count: 5),
             aiResponse: String(repeating: "Our premium plan costs $49 a month and we are open from 9am to 6pm, Monday to Friday. ", count: 6),
             tokens: TokenCounts(input: 412, output: 188), userMessageAt: 1_763_000_000_000, repliedAt: 1_763_000_001_350,
             language: "en")
    }

    func run() async throws {
        var report = BenchReport(suite: "ingest", results: [])
        let scratch = NSTemporaryDirectory() + "parley-bench-ingest-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

        let turnProto = Self.turn().wire
        let payload = try turnProto.encoded(allocator: ByteBufferAllocator())
        let payloadText = String(repeating: "x", count: payload.readableBytes)
        print("ingest: one turn is \(payload.readableBytes) bytes on the wire")

        let dataDir = scratch + "/parley"
        let port = ChildProcess.freePort()
        let server = try ChildProcess(parleyd, ["--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-level", "warning"]
                                      + (vocab.map { ["--vocab", $0] } ?? []), name: "parleyd")
        defer { server.stop() }
        try ChildProcess.waitForPort(port)
        let key = try String(contentsOfFile: dataDir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let template = try RequestTemplate(ParleyRPC.logTurn, body: turnProto,
                                           placeholders: [RequestTemplate.idPlaceholder: 1, RequestTemplate.sessionPlaceholder: 10])

        let redisPort = ChildProcess.freePort()
        try FileManager.default.createDirectory(atPath: scratch + "/redis", withIntermediateDirectories: true)
        let redis = try ChildProcess("/usr/bin/redis-server", ["--port", "\(redisPort)", "--bind", "127.0.0.1", "--save", "",
                                                               "--appendonly", "yes", "--appendfsync", "always", "--dir", scratch + "/redis"],
                                     name: "redis-server")
        defer { redis.stop() }
        try ChildProcess.waitForPort(redisPort)

        var offset = 0
        var peakParley = 0.0
        let parleyCPUBefore = server.cpuSeconds, redisCPUBefore = redis.cpuSeconds
        for (depth, n) in [(1, calls), (16, pipelinedCalls)] {
            let parley = try await FrameLoad.run(port: port, key: key, connections: 16, depth: depth, totalCalls: n,
                                                 request: Self.offsetTemplate(template, by: offset))
            offset += n
            guard parley.failures == 0 else { throw BenchError("\(parley.failures) LogTurn calls failed") }
            peakParley = max(peakParley, parley.callsPerSecond)
            let peer = try redisLPush(port: redisPort, payload: payloadText, depth: depth, calls: n)
            let label = "16 conns x \(depth) in flight"
            report.results.append(.rate("durable turns/s, \(label)", unit: "turns/s", parley: parley.callsPerSecond,
                                        peer: "redis AOF always LPUSH", peerValue: peer.rps))
            report.results.append(.cost("p99 latency, \(label)", unit: "ms", parley: parley.latencies.milliseconds(atPercentile: 99),
                                        peer: "redis AOF always LPUSH", peerValue: peer.p99))
        }
        // Server CPU per call over both runs: the whole daemon (RPC, writer, commits).
        report.results.append(.cost("server CPU per turn", unit: "us", parley: (server.cpuSeconds - parleyCPUBefore) / Double(offset) * 1e6,
                                    peer: "redis-server", peerValue: (redis.cpuSeconds - redisCPUBefore) / Double(offset) * 1e6))
        // The same turns without counts, so parleyd counts their text (cl100k_base when its
        // vocabulary is installed), against the same turns with counts, in turn, same run.
        var uncounted = Self.turn()
        uncounted.tokens = nil
        let uncountedTemplate = try RequestTemplate(ParleyRPC.logTurn, body: uncounted.wire,
                                                    placeholders: [RequestTemplate.idPlaceholder: 1, RequestTemplate.sessionPlaceholder: 10])
        var given = 0.0
        var counted = 0.0
        for _ in 0..<2 {
            for (templateToRun, isCounted) in [(template, false), (uncountedTemplate, true)] {
                let run = try await FrameLoad.run(port: port, key: key, connections: 16, depth: 16, totalCalls: pipelinedCalls / 2,
                                                  request: Self.offsetTemplate(templateToRun, by: offset))
                offset += pipelinedCalls / 2
                guard run.failures == 0 else { throw BenchError("\(run.failures) LogTurn calls failed") }
                // Best of two rounds each, so a noisy neighbour hurts neither side alone.
                if isCounted { counted = max(counted, run.callsPerSecond) } else { given = max(given, run.callsPerSecond) }
            }
        }
        report.results.append(.rate("durable turns/s counting their text, 16 conns x 16 in flight", unit: "turns/s", parley: counted,
                                    peer: "same turns with counts given", peerValue: given))

        // p99 at half the peak rate: paced, so queueing from overload does not count.
        let half = peakParley / 2
        let paced = try await FrameLoad.run(port: port, key: key, connections: 16, depth: 16, totalCalls: max(2_000, Int(half * 3)),
                                            request: Self.offsetTemplate(template, by: offset), ratePerSecond: half)
        offset += max(2_000, Int(half * 3))
        report.results.append(.cost(String(format: "p99 latency at half peak (%.0f turns/s)", half), unit: "ms",
                                    parley: paced.latencies.milliseconds(atPercentile: 99), peer: "goal", peerValue: 5))

        let sqlitePath = scratch + "/turns.sqlite"
        let sqlite = try SQLiteTurnTable(path: sqlitePath)
        let turn = Self.turn()
        var rows: [[Any]] = []
        let start = Date()
        for i in 0..<sqliteTurns {
            rows.append(["t-\(i)", turn.organizationId, "s-\(i / 10)", turn.deviceId, "m-\(i)", turn.contactId, turn.personaId,
                         turn.model, turn.userMessage, turn.aiResponse, Int64(412), Int64(188), Int64(600),
                         "2025-11-13 02:13:\(String(format: "%02d", i % 60))"])
            if rows.count == 1_000 {
                try sqlite.insertBatch(rows)
                rows.removeAll(keepingCapacity: true)
            }
        }
        if !rows.isEmpty { try sqlite.insertBatch(rows) }
        let sqliteRate = Double(sqliteTurns) / Date().timeIntervalSince(start)
        report.results.append(.rate("durable turns/s vs SQLite (batches of 1,000)", unit: "turns/s", parley: peakParley,
                                    peer: "sqlite WAL FULL", peerValue: sqliteRate))
        let parleyBytes = try Self.usedBytes(dataDir + "/parley.db")
        report.results.append(.cost("bytes on disk per turn", unit: "bytes", parley: Double(parleyBytes) / Double(offset),
                                    peer: "sqlite", peerValue: Double(sqlite.bytesOnDisk(path: sqlitePath)) / Double(sqliteTurns)))
        report.results.append(.cost("parleyd peak RSS", unit: "MB", parley: Double(server.peakRSS) / 1e6,
                                    peer: "redis-server", peerValue: Double(redis.peakRSS) / 1e6))
        server.stop()
        // Where the bytes go, read from the file itself (after recovery replays the log
        // of the killed daemon), so a base daemon's file is broken down the same way.
        let database = try Database(path: dataDir + "/parley.db")
        WriterBench.printBreakdown(try database.stats(), turns: offset)
        database.close()
        report.printTable()
        try report.write(to: json)
    }

    /// Turn numbers continue across runs so no run writes a duplicate.
    static func offsetTemplate(_ t: RequestTemplate, by offset: Int) -> RequestTemplate {
        var t = t
        t.numberOffset = offset
        return t
    }

    /// Bytes of the database file that hold data (allocated blocks, not the reserved tail).
    static func usedBytes(_ path: String) throws -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { throw BenchError("stat \(path) failed") }
        return Int(st.st_blocks) * 512
    }

    struct RedisFigures { var rps: Double; var p99: Double }

    func redisLPush(port: Int, payload: String, depth: Int, calls: Int) throws -> RedisFigures {
        let csv = try ChildProcess.output("/usr/bin/redis-benchmark", [
            "-h", "127.0.0.1", "-p", "\(port)", "-c", "16", "-n", "\(calls)", "-P", "\(depth)", "--csv", "LPUSH", "turns", payload,
        ])
        guard let row = csv.split(separator: "\n").first(where: { $0.hasPrefix("\"LPUSH") }) else {
            throw BenchError("redis-benchmark printed no LPUSH row: \(csv.prefix(300))")
        }
        let cols = row.split(separator: ",").map { Double($0.replacingOccurrences(of: "\"", with: "")) ?? 0 }
        return RedisFigures(rps: cols[1], p99: cols[6])
    }
}
