import NIOCore
import ParleyWire

/// A method's handler with its request and response types checked at registration and
/// erased here, so the connection deals in bytes and the services in typed messages.
public struct MethodHandler: Sendable {
    /// Decodes the request (a `BridgeError` is the caller's fault: 3 INVALID_ARGUMENT) and
    /// returns the work to run.
    let prepare: @Sendable (ByteBuffer) throws -> PreparedCall
}

/// A decoded call, ready to run.
enum PreparedCall: Sendable {
    /// Quick work that runs on the connection's event loop: no blocking, no waiting.
    case inline(@Sendable (CallContext) throws -> any WireMessage)
    /// Work that may wait (the writer, a read of the store): runs as a task.
    case unary(@Sendable (CallContext) async throws -> any WireMessage)
    /// Server streaming: messages go out as RESPONSE frames flagged MORE.
    case stream(@Sendable (CallContext, ResponseSink) async throws -> Void)
}

/// The handlers of the methods that are built. A method with no handler answers
/// 12 UNIMPLEMENTED. Registration takes the generated `ParleyRPC` values, so a handler
/// whose request or response is not the method's does not compile.
public struct ServiceRegistry: Sendable {
    private var handlers: [Method: MethodHandler] = [:]

    public init() {}

    /// A unary method whose work never blocks nor waits: it runs on the event loop.
    public mutating func register<Request, Response>(
        _ rpc: UnaryRPC<Request, Response>,
        inline body: @escaping @Sendable (Request, CallContext) throws -> Response
    ) {
        handlers[rpc.method] = MethodHandler { bytes in
            let request = try Request(decoding: bytes)
            return .inline { call in try body(request, call) }
        }
    }

    /// A unary method that may wait or block: it runs as a task, off the event loop.
    public mutating func register<Request, Response>(
        _ rpc: UnaryRPC<Request, Response>,
        _ body: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        handlers[rpc.method] = MethodHandler { bytes in
            let request = try Request(decoding: bytes)
            return .unary { call in try await body(request, call) }
        }
    }

    /// A server-streaming method: `body` sends any number of messages, then returns.
    public mutating func register<Request, Response>(
        _ rpc: ServerStreamingRPC<Request, Response>,
        _ body: @escaping @Sendable (Request, CallContext, ResponseStream<Response>) async throws -> Void
    ) {
        handlers[rpc.method] = MethodHandler { bytes in
            let request = try Request(decoding: bytes)
            return .stream { call, sink in try await body(request, call, ResponseStream(sink: sink)) }
        }
    }

    public func handler(for method: Method) -> MethodHandler? { handlers[method] }

    public var registeredMethods: [Method] { Method.allCases.filter { handlers[$0] != nil } }
}
