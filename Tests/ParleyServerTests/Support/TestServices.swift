import Foundation
import NIOConcurrencyHelpers
import ParleyServer
import ParleyWire

/// Handlers registered on methods the tests borrow, so transport behaviour can be
/// observed without the real services: echo with a delay, a stream, a permission check,
/// and a call that waits until it is cancelled.
final class TestServices: Sendable {
    let running = NIOLockedValueBox(0)
    let maxRunning = NIOLockedValueBox(0)
    let cancelledCalls = NIOLockedValueBox(0)

    /// GetTurn echoes turn_id; organization_id "delay:N" sleeps N ms first.
    /// Check streams 3 Progress messages. GetDevice authorizes the request's organization.
    /// Stats waits until cancelled.
    var registry: ServiceRegistry {
        var r = ServiceRegistry()
        r.register(.getTurn, .unary { [self] _, request in
            running.withLockedValue { $0 += 1 }
            let now = running.withLockedValue { $0 }
            maxRunning.withLockedValue { $0 = max($0, now) }
            defer { running.withLockedValue { $0 -= 1 } }
            let org = request.string("organization_id") ?? ""
            if org.hasPrefix("delay:"), let ms = UInt64(org.dropFirst(6)) {
                try await Task.sleep(nanoseconds: ms * 1_000_000)
            }
            var turn = ProtoMessage(Method.getTurn.responseType)
            turn.set("turn_id", request.string("turn_id"))
            return turn
        })
        r.register(.check, .stream { _, _, stream in
            for i in 1...3 {
                var p = ProtoMessage(Method.check.responseType)
                p.set("done", Int64(i))
                p.set("total", Int64(3))
                try await stream.send(p)
                try await Task.sleep(nanoseconds: 5_000_000)
            }
        })
        r.register(.getDevice, .inline { call, request in
            try call.authorize(organization: request.string("organization_id") ?? "")
            return ProtoMessage(Method.getDevice.responseType)
        })
        r.register(.stats, .unary { [self] _, _ in
            do {
                try await Task.sleep(nanoseconds: 30_000_000_000)
            } catch {
                cancelledCalls.withLockedValue { $0 += 1 }
                throw error
            }
            return ProtoMessage(Method.stats.responseType)
        })
        return r
    }
}

func turnKey(_ id: String, delayMs: Int? = nil) -> ProtoMessage {
    var m = ProtoMessage(Method.getTurn.requestType)
    m.set("turn_id", id)
    if let delayMs { m.set("organization_id", "delay:\(delayMs)") }
    return m
}
