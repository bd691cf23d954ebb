import ParleyWire

/// Where the connection takes a streamed message: it waits until the frame is handed to
/// the socket, so a slow reader slows the handler instead of filling memory.
struct ResponseSink: Sendable {
    let send: @Sendable (any WireMessage) async throws -> Void
}

/// Where a server-streaming handler sends its messages, typed by the method's response.
public struct ResponseStream<Message: WireMessage>: Sendable {
    let sink: ResponseSink

    public func send(_ message: Message) async throws {
        try await sink.send(message)
    }
}
