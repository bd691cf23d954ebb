import NIOCore
import ParleyWire

/// A server's answer to one call.
public struct CallAnswer: Sendable, Equatable {
    public var status: StatusCode
    /// The response message on status 0, for `--verify`.
    public var body: ByteBuffer

    public init(status: StatusCode, body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.body = body
    }
}
