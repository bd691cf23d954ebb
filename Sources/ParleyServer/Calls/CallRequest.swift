import NIOCore
import ParleyWire

/// A call as a transport hands it to the executor: the parts of its REQUEST frame, where
/// it came from and when it arrived. No socket, no channel.
public struct CallRequest: Sendable {
    public var callID: UInt32
    /// The frame's method id, not yet known to name a method.
    public var methodID: UInt16
    /// Encoded `CallMetadata`; empty for none.
    public var meta: ByteBuffer
    /// The encoded request message.
    public var body: ByteBuffer
    public var receivedAt: NIODeadline
    /// Who sent it, for the call log: "127.0.0.1:50123", "in-process".
    public var peer: String

    public init(callID: UInt32, methodID: UInt16, meta: ByteBuffer, body: ByteBuffer,
                receivedAt: NIODeadline = .now(), peer: String) {
        self.callID = callID
        self.methodID = methodID
        self.meta = meta
        self.body = body
        self.receivedAt = receivedAt
        self.peer = peer
    }
}
