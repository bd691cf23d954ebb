import NIOCore
import ParleyWire

/// A call's final RESPONSE, encoded and with its status decided: what a transport writes.
public struct CallAnswer: Sendable {
    public var callID: UInt32
    public var status: StatusCode
    /// The response message; empty unless the status is OK.
    public var body: ByteBuffer
    /// Encoded `ResponseMetadata` (message, violations, retry hint); empty when OK.
    public var meta: ByteBuffer
    /// The key of the connection was revoked: after this answer the transport sends
    /// GOAWAY 16 and closes, since no later call of that connection may run either.
    public var closesConnection = false
}
