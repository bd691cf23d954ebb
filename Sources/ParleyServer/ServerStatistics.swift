import Atomics
import Foundation
import ParleyWire

/// Counters the ServerInfo method reports: live connections and calls by method and status.
/// Lock-free: every call bumps one atomic, so event loops never wait on each other here.
/// The same events feed `metrics`, so ServerInfo and /metrics report the same figures.
public final class ServerStatistics: Sendable {
    public let startedAt = Date()
    public let metrics: ServerMetrics
    private let connectionCount = ManagedAtomic<Int>(0)
    /// Indexed by method id (0 for ids no method has) and status code.
    private let callCounts: [[ManagedAtomic<Int64>]]
    /// Which statuses each method has seen, and which methods have any: a report reads only
    /// those counters instead of all of them (that walk dominated ServerInfo's profile).
    private let statusesSeen: [ManagedAtomic<UInt32>]
    private let methodsSeen = ManagedAtomic<UInt64>(0)
    private static let methodSlots = Method.allCases.count + 1

    public init(metrics: ServerMetrics = ServerMetrics()) {
        self.metrics = metrics
        callCounts = (0..<Self.methodSlots).map { _ in StatusCode.allCases.map { _ in ManagedAtomic<Int64>(0) } }
        statusesSeen = (0..<Self.methodSlots).map { _ in ManagedAtomic<UInt32>(0) }
    }

    /// Counts a new connection; false when that would exceed `limit`.
    func connectionOpened(limit: Int) -> Bool {
        while true {
            let current = connectionCount.load(ordering: .relaxed)
            guard current < limit else { return false }
            if connectionCount.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged {
                metrics.connectionsChanged(to: current + 1)
                return true
            }
        }
    }

    func connectionClosed() {
        metrics.connectionsChanged(to: connectionCount.wrappingDecrementThenLoad(ordering: .relaxed))
    }

    func callFinished(method: UInt16, status: StatusCode, duration: Duration) {
        metrics.callFinished(method: method, status: status, duration: duration)
        let slot = Int(method) < Self.methodSlots ? Int(method) : 0
        callCounts[slot][Int(status.rawValue)].wrappingIncrement(ordering: .relaxed)
        let statusBit = UInt32(1) << UInt32(status.rawValue)
        if statusesSeen[slot].load(ordering: .relaxed) & statusBit == 0 {
            _ = statusesSeen[slot].loadThenBitwiseOr(with: statusBit, ordering: .relaxed)
            _ = methodsSeen.loadThenBitwiseOr(with: UInt64(1) << UInt64(slot), ordering: .relaxed)
        }
    }

    public var connections: Int { connectionCount.load(ordering: .relaxed) }

    /// (method name, status, count) for every pair that happened, by method id then status.
    public var calls: [(method: String, status: StatusCode, count: Int64)] {
        var out: [(String, StatusCode, Int64)] = []
        let methods = methodsSeen.load(ordering: .relaxed)
        for slot in 0..<Self.methodSlots where methods & (UInt64(1) << UInt64(slot)) != 0 {
            let statuses = statusesSeen[slot].load(ordering: .relaxed)
            for status in StatusCode.allCases where statuses & (UInt32(1) << UInt32(status.rawValue)) != 0 {
                let n = callCounts[slot][Int(status.rawValue)].load(ordering: .relaxed)
                out.append((Method(rawValue: UInt16(slot))?.name ?? "unknown method", status, n))
            }
        }
        return out
    }
}
