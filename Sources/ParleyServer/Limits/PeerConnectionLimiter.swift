import NIOConcurrencyHelpers
import NIOCore
import ParleyWire

/// Connections per peer address, capped below the global cap so that one address (one
/// misbehaving host) cannot take every slot from everybody else.
final class PeerConnectionLimiter: Sendable {
    let limit: Int
    /// Live connections by peer IP; the lock is held for one dictionary update.
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a connection of `peer`; false when the peer already has `limit`.
    func admit(_ peer: String) -> Bool {
        counts.withLockedValue { counts in
            let n = counts[peer, default: 0]
            guard n < limit else { return false }
            counts[peer] = n + 1
            return true
        }
    }

    func release(_ peer: String) {
        counts.withLockedValue { counts in
            let n = counts[peer, default: 0] - 1
            counts[peer] = n > 0 ? n : nil
        }
    }
}

/// Refuses a connection whose peer address is at its cap: GOAWAY 8, then close. Stands
/// first in the pipeline; the refusal travels to the connection handler as a violation.
final class PeerLimitHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let limiter: PeerConnectionLimiter
    private var admittedPeer: String?

    init(limiter: PeerConnectionLimiter) {
        self.limiter = limiter
    }

    func channelActive(context: ChannelHandlerContext) {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        guard limiter.admit(peer) else {
            context.fireErrorCaught(ProtocolViolation(
                .resourceExhausted, "this address has its maximum of \(limiter.limit) connections; close some or retry later"))
            return
        }
        admittedPeer = peer
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let peer = admittedPeer {
            admittedPeer = nil
            limiter.release(peer)
        }
        context.fireChannelInactive()
    }
}
