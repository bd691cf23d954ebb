import Atomics
import Foundation
import ParleyWire

/// Counters the ServerInfo method reports: live connections and calls by method and status.
/// Lock-free: every call bumps one atomic, so event loops never wait on each other here.
public final class ServerStatistics: Sendable {
    public let startedAt = Date()
    private let connectionCount = ManagedAtomic<Int>(0)
    /// Indexed by method id (0 for ids no method has) and status code.
    private let callCounts: [[ManagedAtomic<Int64>]]
    private static let methodSlots = Method.allCases.count + 1

    public init() {
        callCounts = (0..<Self.methodSlots).map { _ in StatusCode.allCases.map { _ in ManagedAtomic<Int64>(0) } }
    }

    /// Counts a new connection; false when that would exceed `limit`.
    func connectionOpened(limit: Int) -> Bool {
        while true {
            let current = connectionCount.load(ordering: .relaxed)
            guard current < limit else { return false }
            if connectionCount.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged { return true }
        }
    }

    func connectionClosed() {
        connectionCount.wrappingDecrement(ordering: .relaxed)
    }

    func callFinished(method: UInt16, status: StatusCode) {
        let slot = Int(method) < Self.methodSlots ? Int(method) : 0
        callCounts[slot][Int(status.rawValue)].wrappingIncrement(ordering: .relaxed)
    }

    public var connections: Int { connectionCount.load(ordering: .relaxed) }

    /// (method name, status, count) for every pair that happened, by method id then status.
    public var calls: [(method: String, status: StatusCode, count: Int64)] {
        var out: [(String, StatusCode, Int64)] = []
        for (slot, row) in callCounts.enumerated() {
            for status in StatusCode.allCases {
                let n = row[Int(status.rawValue)].load(ordering: .relaxed)
                guard n > 0 else { continue }
                out.append((Method(rawValue: UInt16(slot))?.name ?? "unknown method", status, n))
            }
        }
        return out
    }
}
