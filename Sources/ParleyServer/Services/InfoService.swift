import Foundation
import ParleyWire

/// ServerInfo: version, uptime, connections and calls by method and status. Cheap enough
/// for health checks and the RPC benchmark.
struct InfoService {
    let statistics: ServerStatistics
    let tokenCounting: TokenCounting

    func register(in registry: inout ServiceRegistry) {
        let statistics = statistics
        let tokenCounting = tokenCounting
        registry.register(ParleyRPC.serverInfo, inline: { _, _ in InfoService.answer(statistics, tokenCounting: tokenCounting) })
    }

    static func answer(_ statistics: ServerStatistics, tokenCounting: TokenCounting) -> V1.ServerInfoResponse {
        V1.ServerInfoResponse(
            version: ParleyVersion.string,
            uptimeMs: Int64(Date().timeIntervalSince(statistics.startedAt) * 1000),
            connections: UInt32(clamping: statistics.connections),
            calls: statistics.calls.map { call in
                V1.MethodCallCount(method: call.method, status: UInt32(call.status.rawValue), count: call.count)
            },
            protocolVersion: UInt32(Frame.version),
            tokenCountMethod: V1.TokenCountMethod(tokenCounting.counter.method), tokenCounting: tokenCounting.summary)
    }
}
