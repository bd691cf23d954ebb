import NIOCore
import ParleyWire

/// Calls whose requests are already frames (a capture replayed by `parley-load`): the
/// method id, metadata and body go out byte for byte; only the call id is the connection's.
extension ParleyClient {
    /// Sends `request`'s method, meta and body and returns the answer's body. Throws
    /// `RPCError` for a status other than OK, `ClientError` when no answer can come.
    /// A streaming method's messages are dropped; its final status is what counts.
    public func rawCall(_ request: Frame) async throws -> ByteBuffer {
        try await withRetries { conn in
            // No message handler: a stream's MORE frames are skipped, the final body returned.
            try await conn.run(code: request.code, meta: request.meta, body: request.body, timeoutMs: 0,
                               onMessage: nil) ?? ByteBuffer()
        }
    }
}
