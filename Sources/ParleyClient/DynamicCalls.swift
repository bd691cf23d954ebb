import NIOCore
import ParleyWire

/// Calls with descriptor-driven `ProtoMessage` values, for the CLI code that is not yet
/// ported to the typed messages. Remove with ProtoMessage once the CLI is typed.
extension ParleyClient {
    public func dynamicCall(_ method: Method, _ request: ProtoMessage, timeoutMs: UInt32? = nil) async throws -> ProtoMessage {
        var body = ByteBuffer()
        try ProtoCodec.encode(request, into: &body)
        let request = body
        let answer = try await withRetries { conn in
            try await conn.run(method, body: request, metadata: self.effective(CallMetadata(), timeoutMs), onMessage: nil)
        }
        return try ProtoCodec.decode(method.responseType, from: answer ?? ByteBuffer())
    }

    public func dynamicStream(_ method: Method, _ request: ProtoMessage, timeoutMs: UInt32? = nil) -> AsyncThrowingStream<ProtoMessage, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var body = ByteBuffer()
                    try ProtoCodec.encode(request, into: &body)
                    let request = body
                    _ = try await withRetries { conn in
                        try await conn.run(method, body: request, metadata: self.effective(CallMetadata(), timeoutMs), onMessage: { bytes in
                            continuation.yield(try ProtoCodec.decode(method.responseType, from: bytes))
                        })
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
