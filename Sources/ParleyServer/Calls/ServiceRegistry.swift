import ParleyWire

/// How a method is served.
public enum MethodHandler: Sendable {
    /// Quick work that runs on the connection's event loop: no blocking, no waiting.
    case inline(@Sendable (CallContext, ProtoMessage) throws -> ProtoMessage)
    /// Work that may wait (the writer, a long read): runs as a task.
    case unary(@Sendable (CallContext, ProtoMessage) async throws -> ProtoMessage)
    /// Server streaming: messages go out as RESPONSE frames flagged MORE.
    case stream(@Sendable (CallContext, ProtoMessage, ResponseStream) async throws -> Void)
}

/// The handlers of the methods that are built. A method with no handler answers
/// 12 UNIMPLEMENTED.
public struct ServiceRegistry: Sendable {
    private var handlers: [Method: MethodHandler] = [:]

    public init() {}

    public mutating func register(_ method: Method, _ handler: MethodHandler) {
        handlers[method] = handler
    }

    public func handler(for method: Method) -> MethodHandler? { handlers[method] }

    public var registeredMethods: [Method] { Method.allCases.filter { handlers[$0] != nil } }
}
