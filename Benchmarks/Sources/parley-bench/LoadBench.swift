import ArgumentParser
import Foundation
import NIOPosix
import ParleyClient
import ParleyLoad
import ParleyWire

/// Capacity search: a generated day replayed open loop at rising rates, against a
/// release parleyd (durable commits) and against redis-server with appendfsync always
/// doing LPUSH of the same frame bytes. Each side reports the highest rate whose p99,
/// measured from the intended send time, stays under the goal with no failed call.
struct LoadBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Highest open-loop rate with p99 under 5 ms, generated traffic, vs Redis AOF-always LPUSH.")

    @Option(help: "Path of the parleyd binary to measure.") var parleyd = "Benchmarks/.build/release/parleyd"
    @Option(help: "Distinct turns of generated traffic (the steps take consecutive slices of it).") var turns = 150_000
    @Option(help: "Seconds of traffic per rate step.") var stepSeconds = 2.0
    @Option(help: "First rate, calls/s.") var startRate = 500.0
    @Option(help: "Each step's rate over the one before.") var factor = 1.4
    @Option(help: "The p99 goal, ms.") var goalMs = 5.0
    @Option(help: "Connections.") var connections = 16
    @Option(help: "Calls in flight per connection.") var inFlight = 8
    @Option(help: "Where to write the JSON report") var json = ".bench/load.json"

    func run() async throws {
        let scratch = NSTemporaryDirectory() + "parley-bench-load-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

        let (directory, traffic) = try generate(into: scratch + "/day.plcp")
        print("load: \(directory.count) directory requests, \(traffic.count) traffic requests")

        let dataDir = scratch + "/parley"
        let port = ChildProcess.freePort()
        let server = try ChildProcess(parleyd, ["--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-level", "warning"], name: "parleyd")
        defer { server.stop() }
        try ChildProcess.waitForPort(port)
        let key = try String(contentsOfFile: dataDir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let parley = ClientCallSender(clients: (0..<connections).map { _ in
            ParleyClient(configuration: ClientConfiguration(port: port, apiKey: key, clientName: "parley-bench"))
        })
        try await parley.connectAll()
        // The directory first, as fast as answered: the search measures the day's traffic.
        let loaded = try await ReplayEngine(plan: ReplayPlan(pace: .asFastAsAnswered, loop: .closed, connections: connections,
                                                             inFlight: 1), sender: parley).run(directory)
        guard loaded.failed == 0 else { throw ArgumentParser.ValidationError("the directory did not load: \(loaded.errorsByStatus)") }
        let (parleyBest, parleyFirstP99) = try await search(parley, traffic, name: "parley")
        await parley.closeAll()

        let redisPort = ChildProcess.freePort()
        try FileManager.default.createDirectory(atPath: scratch + "/redis", withIntermediateDirectories: true)
        let redisServer = try ChildProcess("/usr/bin/redis-server", ["--port", "\(redisPort)", "--bind", "127.0.0.1", "--save", "",
                                                                     "--appendonly", "yes", "--appendfsync", "always", "--dir", scratch + "/redis"],
                                           name: "redis-server")
        defer { redisServer.stop() }
        try ChildProcess.waitForPort(redisPort)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let redis = try await RedisListSender.connect(port: redisPort, connections: connections, group: group)
        let (redisBest, redisFirstP99) = try await search(redis, traffic, name: "redis")
        await redis.close()
        try await group.shutdownGracefully()

        let label = String(format: "highest open-loop rate with p99 < %.0f ms, %d conns x %d in flight", goalMs, connections, inFlight)
        var report = BenchReport(suite: "load", results: [])
        report.results.append(.rate(label, unit: "calls/s", parley: parleyBest, peer: "redis AOF always LPUSH", peerValue: redisBest))
        // A figure to compare even when neither side meets the goal at the first rate.
        report.results.append(.cost(String(format: "p99 latency at the first rate (%.0f calls/s open loop)", startRate), unit: "ms",
                                       parley: parleyFirstP99, peer: "redis AOF always LPUSH", peerValue: redisFirstP99))
        report.printTable()
        try report.write(to: json)
    }

    /// The capture of a generated day, read back, split into the directory and the rest.
    private func generate(into path: String) throws -> (directory: [CaptureRecord], traffic: [CaptureRecord]) {
        let generator = try TrafficGenerator(TrafficProfile(seed: 1, size: .turns(turns), turnsPerDay: turns))
        let writer = try CaptureWriter(path: path, limits: CaptureLimits(maxPartBytes: Int.max, maxParts: 1),
                                       startMicros: GeneratedCapture.startMicros(of: generator))
        _ = try GeneratedCapture.write(generator, encoder: TypedRequestEncoder(), connections: connections, to: writer)
        try writer.close()
        let records = try CaptureSet(path: path).readAll()
        let directoryMethods: Set<Method?> = [.upsertDevice, .upsertContact, .upsertPersona]
        return (records.filter { directoryMethods.contains($0.method) }, records.filter { !directoryMethods.contains($0.method) })
    }

    /// Rising rates over consecutive slices of `traffic` (`stepSeconds` of it each) until
    /// a step fails the goal or the traffic runs out; the last rate that met it, and the
    /// first step's p99 in ms.
    private func search(_ sender: some CallSender, _ traffic: [CaptureRecord], name: String) async throws -> (best: Double, firstP99: Double) {
        var rate = startRate, best = 0.0, cursor = 0
        var firstP99: Double?
        while cursor < traffic.count {
            let n = max(1, Int(rate * stepSeconds))
            let slice = Array(traffic[cursor..<min(traffic.count, cursor + n)])
            cursor += n
            let summary = try await ReplayEngine(plan: ReplayPlan(pace: .rate(perSecond: rate), loop: .open,
                                                                  connections: connections, inFlight: inFlight),
                                                 sender: sender).run(slice)
            let met = summary.failed == 0 && summary.latency.p99Ms < goalMs
            if firstP99 == nil { firstP99 = summary.latency.p99Ms }
            print("  \(name) \(Int(rate))/s: \(summary.calls) calls, achieved \(Int(summary.achievedRate))/s, "
                  + String(format: "p50 %.3f ms, p99 %.3f ms, ", summary.latency.p50Ms, summary.latency.p99Ms)
                  + "\(summary.failed) failed: \(met ? "met" : "missed")")
            guard met else { return (best, firstP99 ?? 0) }
            best = rate
            rate *= factor
        }
        print("  \(name): the traffic ran out at \(Int(best))/s before the goal was missed; raise --turns for a higher ceiling")
        return (best, firstP99 ?? 0)
    }
}
