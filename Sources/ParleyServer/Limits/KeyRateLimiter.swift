import NIOConcurrencyHelpers
import NIOCore
import ParleyWire

/// Requests per second per API key, over all of the key's connections: a token bucket
/// that holds up to one second of requests, refilled continuously. A refused call is
/// answered 8 RESOURCE_EXHAUSTED with the wait until a token is back.
final class KeyRateLimiter: Sendable {
    /// Requests per second per key; 0: no limit.
    let ratePerSecond: Int

    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    /// Buckets by key id; the lock is held for one arithmetic update.
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    init(ratePerSecond: Int) {
        self.ratePerSecond = ratePerSecond
    }

    /// nil when the call may go ahead, else the refusal to answer with.
    func admit(keyID: String, now: NIODeadline = .now()) -> RPCError? {
        guard ratePerSecond > 0 else { return nil }
        let rate = Double(ratePerSecond)
        let waitMs: Double? = buckets.withLockedValue { buckets in
            var b = buckets[keyID] ?? Bucket(tokens: rate, updated: now)
            let elapsed = Double((now - b.updated).nanoseconds) / 1e9
            b.tokens = min(rate, b.tokens + max(0, elapsed) * rate)
            b.updated = now
            defer { buckets[keyID] = b }
            if b.tokens >= 1 {
                b.tokens -= 1
                return nil
            }
            return (1 - b.tokens) / rate * 1000
        }
        guard let waitMs else { return nil }
        let retry = UInt32(max(1, waitMs.rounded(.up)))
        return RPCError(.resourceExhausted, "this key may make \(ratePerSecond) requests per second; retry after \(retry) ms",
                        retryAfterMs: retry)
    }
}
