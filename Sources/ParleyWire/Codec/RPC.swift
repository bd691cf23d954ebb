/// How a method answers.
public enum RPCKind: Sendable, Equatable {
    /// One response message.
    case unary
    /// Any number of response messages, each in a frame flagged MORE, then a final frame.
    case serverStreaming
}

/// A unary method of `service Parley` with its request and response types.
/// The values are generated into `ParleyRPC`.
public struct UnaryRPC<Request: WireMessage, Response: WireMessage>: Sendable {
    public let method: Method
    init(_ method: Method) { self.method = method }
}

/// A server-streaming method of `service Parley` with its request and response types.
public struct ServerStreamingRPC<Request: WireMessage, Response: WireMessage>: Sendable {
    public let method: Method
    init(_ method: Method) { self.method = method }
}
