import Atomics
import ParleyWire

/// Bytes held by requests the server accepted but has not answered (queued or running),
/// over all connections. Past `limit` a new request is answered 8 RESOURCE_EXHAUSTED at
/// once instead of being held, so many large pipelined requests cannot exhaust memory.
final class RequestMemory: Sendable {
    /// Bytes; 0: no limit.
    let limit: Int
    private let held = ManagedAtomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    var bytesHeld: Int { held.load(ordering: .relaxed) }

    /// Reserves `bytes`; nil when granted, else the refusal.
    func reserve(_ bytes: Int) -> RPCError? {
        guard limit > 0 else { return nil }
        while true {
            let current = held.load(ordering: .relaxed)
            guard current + bytes <= limit || current == 0 else {
                return RPCError(.resourceExhausted, "the server holds its maximum of \(limit) bytes of unanswered requests; retry after 50 ms",
                                retryAfterMs: 50)
            }
            if held.compareExchange(expected: current, desired: current + bytes, ordering: .relaxed).exchanged { return nil }
        }
    }

    func release(_ bytes: Int) {
        guard limit > 0 else { return }
        held.wrappingDecrement(by: bytes, ordering: .relaxed)
    }
}
