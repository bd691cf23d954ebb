import ArgumentParser
import Foundation
import ParleyCore
import ParleyWire

/// ServerInfo load against a server that is already running: for profiling parleyd
/// (perf record -p PID) without the benchmark's own start and stop.
struct HammerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hammer", abstract: "ServerInfo or LogTurn load against a running server (for profiling).")

    @Option(help: "Port on 127.0.0.1.") var port: Int
    @Option(help: "API key.") var key: String
    @Option(help: "Connections.") var connections = 16
    @Option(help: "Calls in flight per connection.") var depth = 16
    @Option(help: "Total calls.") var calls = 1_000_000
    @Option(help: "server-info, or log-turn (one realistic turn, sent again and again: the first is stored, the rest are duplicates).")
    var method = "server-info"

    func run() async throws {
        let template: RequestTemplate
        switch method {
        case "server-info": template = try RequestTemplate(ParleyRPC.serverInfo, body: V1.Empty())
        case "log-turn":
            let turn = Turn(turnId: "load-1", organizationId: "acme", sessionId: "s1", deviceId: "d1", messageId: "m1",
                            contactId: "c1", personaId: "p1", model: "gpt-4o", userMessage: String(repeating: "hello ", count: 80),
                            aiResponse: String(repeating: "reply ", count: 90), tokens: TokenCounts(input: 120, output: 140),
                            userMessageAt: 1_763_000_000_000, repliedAt: 1_763_000_001_200)
            template = try RequestTemplate(ParleyRPC.logTurn, body: turn.wire)
        default: throw ArgumentParser.ValidationError("--method is server-info or log-turn")
        }
        let r = try await FrameLoad.run(port: port, key: key, connections: connections, depth: depth, totalCalls: calls,
                                        request: template)
        print(String(format: "%d calls in %.2f s: %.0f calls/s, p50 %.3f ms, p99 %.3f ms, %d failed", r.calls, r.seconds,
                     r.callsPerSecond, r.latencies.milliseconds(atPercentile: 50), r.latencies.milliseconds(atPercentile: 99), r.failures))
    }
}
