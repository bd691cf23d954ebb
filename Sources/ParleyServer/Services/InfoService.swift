import Foundation
import ParleyWire

/// ServerInfo: version, uptime, connections and calls by method and status. Cheap enough
/// for health checks and the RPC benchmark.
struct InfoService {
    static let responseType = Method.serverInfo.responseType
    static let countType = MessageType.named("parley.v1.MethodCallCount")! // safe: declared in parley_service.proto

    let statistics: ServerStatistics

    func register(in registry: inout ServiceRegistry) {
        let statistics = statistics
        registry.register(.serverInfo, .inline { _, _ in InfoService.answer(statistics) })
    }

    static func answer(_ statistics: ServerStatistics) -> ProtoMessage {
        var m = ProtoMessage(responseType)
        m.set("version", ParleyVersion.string)
        m.set("uptime_ms", Int64(Date().timeIntervalSince(statistics.startedAt) * 1000))
        m.set("connections", UInt32(clamping: statistics.connections))
        m.set("protocol_version", UInt32(Frame.version))
        m.set("calls", messages: statistics.calls.map { call in
            var c = ProtoMessage(countType)
            c.set("method", call.method)
            c.set("status", UInt32(call.status.rawValue))
            c.set("count", call.count)
            return c
        })
        return m
    }
}
