import ParleyWire

/// Where a server-streaming handler sends its messages. Each `send` waits until the
/// frame is handed to the socket, so a slow reader slows the handler instead of
/// filling memory.
public struct ResponseStream: Sendable {
    let sendFrame: @Sendable (ProtoMessage) async throws -> Void

    public func send(_ message: ProtoMessage) async throws {
        try await sendFrame(message)
    }
}
