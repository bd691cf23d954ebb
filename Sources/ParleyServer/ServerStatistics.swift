import Foundation
import NIOConcurrencyHelpers
import ParleyWire

/// Counters the ServerInfo method reports: live connections and calls by method and status.
public final class ServerStatistics: Sendable {
    public let startedAt = Date()
    private let state = NIOLockedValueBox(State())

    private struct State {
        var connections = 0
        var calls: [CallKey: Int64] = [:]
    }

    struct CallKey: Hashable {
        var method: UInt16
        var status: StatusCode
    }

    /// Counts a new connection; false when that would exceed `limit`.
    func connectionOpened(limit: Int) -> Bool {
        state.withLockedValue { s in
            guard s.connections < limit else { return false }
            s.connections += 1
            return true
        }
    }

    func connectionClosed() {
        state.withLockedValue { $0.connections -= 1 }
    }

    func callFinished(method: UInt16, status: StatusCode) {
        state.withLockedValue { $0.calls[CallKey(method: method, status: status), default: 0] += 1 }
    }

    public var connections: Int { state.withLockedValue { $0.connections } }

    /// (method name, status, count), sorted by method id then status.
    public var calls: [(method: String, status: StatusCode, count: Int64)] {
        state.withLockedValue { s in
            s.calls.sorted { ($0.key.method, $0.key.status.rawValue) < ($1.key.method, $1.key.status.rawValue) }
                .map { (Method(rawValue: $0.key.method)?.name ?? "method \($0.key.method)", $0.key.status, $0.value) }
        }
    }
}
