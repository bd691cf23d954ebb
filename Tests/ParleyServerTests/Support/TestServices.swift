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
    /// Stats waits until cancelled. Backup fails with an internal error.
    /// Usage answers an empty response (its request carries enums).
    var registry: ServiceRegistry {
        var r = ServiceRegistry()
        r.register(ParleyRPC.getTurn) { [self] request, _ in
            running.withLockedValue { $0 += 1 }
            let now = running.withLockedValue { $0 }
            maxRunning.withLockedValue { $0 = max($0, now) }
            defer { running.withLockedValue { $0 -= 1 } }
            let org = request.organizationID ?? ""
            if org.hasPrefix("delay:"), let ms = UInt64(org.dropFirst(6)) {
                try await Task.sleep(nanoseconds: ms * 1_000_000)
            }
            return V1.Turn(turnID: request.turnID)
        }
        r.register(ParleyRPC.check) { _, _, stream in
            for i in 1...3 {
                try await stream.send(V1.Progress(done: Int64(i), total: 3))
                try await Task.sleep(nanoseconds: 5_000_000)
            }
        }
        r.register(ParleyRPC.getDevice, inline: { request, call in
            try call.authorize(organization: request.organizationID ?? "")
            return V1.Device()
        })
        r.register(ParleyRPC.stats) { [self] _, _ in
            do {
                try await Task.sleep(nanoseconds: 30_000_000_000)
            } catch {
                cancelledCalls.withLockedValue { $0 += 1 }
                throw error
            }
            return V1.StatsResponse()
        }
        r.register(ParleyRPC.backup) { _, _ in throw SecretFailure() }
        r.register(ParleyRPC.usage) { _, _ in V1.UsageResponse() }
        return r
    }
}

/// An error whose text must not reach the client (Backup throws it).
struct SecretFailure: Error, CustomStringConvertible {
    var description: String { "open /var/lib/parley/secret.key: permission denied" }
}

func turnKey(_ id: String, delayMs: Int? = nil) -> V1.TurnKey {
    V1.TurnKey(organizationID: delayMs.map { "delay:\($0)" }, turnID: id)
}
