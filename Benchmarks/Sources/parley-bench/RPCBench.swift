import ArgumentParser
import Foundation
import NIOCore
import ParleyWire

/// ServerInfo round trips against redis-server PING_MBULK, same connections and pipeline
/// depth, same run.
struct RPCBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rpc", abstract: "RPC round trips vs redis-server PING_MBULK.")

    @Option(help: "Path of the parleyd binary to measure.")
    var parleyd = "Benchmarks/.build/release/parleyd"

    @Option(help: "Calls per configuration without pipelining.")
    var calls = 200_000

    @Option(help: "Calls per configuration with 16 in flight per connection.")
    var pipelinedCalls = 1_000_000

    @Option(help: "Where to write the JSON report")
    var json = ".bench/rpc.json"

    func run() async throws {
        var report = BenchReport(suite: "rpc", results: [])
        let dataDir = NSTemporaryDirectory() + "parley-bench-rpc-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let port = ChildProcess.freePort()
        let server = try ChildProcess(parleyd, ["--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-level", "warning"],
                                      name: "parleyd")
        defer { server.stop() }
        try ChildProcess.waitForPort(port)
        let key = try String(contentsOfFile: dataDir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

        let redisPort = ChildProcess.freePort()
        let redis = try ChildProcess("/usr/bin/redis-server",
                                     ["--port", "\(redisPort)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                                     name: "redis-server")
        defer { redis.stop() }
        try ChildProcess.waitForPort(redisPort)

        let request = try RequestTemplate(ParleyRPC.serverInfo, body: V1.Empty())
        // Warm both up so neither pays for first-touch costs in the figures.
        _ = try await FrameLoad.run(port: port, key: key, connections: 16, depth: 4, totalCalls: 50_000, request: request)
        _ = try redisBenchmark(port: redisPort, connections: 16, depth: 4, calls: 50_000)

        print("rpc: ServerInfo vs redis PING_MBULK, 16 connections")
        for (depth, n) in [(1, calls), (16, pipelinedCalls)] {
            let parley = try await FrameLoad.run(port: port, key: key, connections: 16, depth: depth, totalCalls: n,
                                                 request: request)
            guard parley.failures == 0 else { throw BenchError("\(parley.failures) ServerInfo calls failed") }
            let peer = try redisBenchmark(port: redisPort, connections: 16, depth: depth, calls: n)
            let label = "16 conns x \(depth) in flight"
            report.results.append(.rate("calls/s, \(label)", unit: "calls/s", parley: parley.callsPerSecond,
                                        peer: "redis PING_MBULK", peerValue: peer.rps))
            report.results.append(.cost("p50 latency, \(label)", unit: "ms", parley: parley.latencies.milliseconds(atPercentile: 50),
                                        peer: "redis PING_MBULK", peerValue: peer.p50))
            report.results.append(.cost("p99 latency, \(label)", unit: "ms", parley: parley.latencies.milliseconds(atPercentile: 99),
                                        peer: "redis PING_MBULK", peerValue: peer.p99))
        }
        report.results.append(.cost("peak RSS", unit: "MB", parley: Double(server.peakRSS) / 1e6,
                                    peer: "redis-server", peerValue: Double(redis.peakRSS) / 1e6))
        report.printTable()
        try report.write(to: json)
    }

    struct RedisFigures { var rps: Double; var p50: Double; var p99: Double }

    func redisBenchmark(port: Int, connections: Int, depth: Int, calls: Int) throws -> RedisFigures {
        let csv = try ChildProcess.output("/usr/bin/redis-benchmark", [
            "-h", "127.0.0.1", "-p", "\(port)", "-c", "\(connections)", "-n", "\(calls)", "-P", "\(depth)",
            "-t", "ping_mbulk", "--csv",
        ])
        guard let row = csv.split(separator: "\n").first(where: { $0.hasPrefix("\"PING_MBULK\"") }) else {
            throw BenchError("redis-benchmark printed no PING_MBULK row: \(csv)")
        }
        let cols = row.split(separator: ",").map { Double($0.replacingOccurrences(of: "\"", with: "")) ?? 0 }
        // test, rps, avg, min, p50, p95, p99, max
        return RedisFigures(rps: cols[1], p50: cols[4], p99: cols[6])
    }
}
