import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import ParleyWire

/// One connection to a server (TCP, or the in-process pipes), after a successful HELLO. All state lives in the
/// `ClientHandler` on the channel's event loop; this type hops there.
final class ClientConnection: Sendable {
    /// The server did not take the call (GOAWAY named a lower id, or it never went out):
    /// safe to send again elsewhere.
    struct NotAccepted: Error {
        var reason: String
        var sentMessages = false
    }

    let channel: Channel
    let welcome: Welcome
    private let handler: NIOLoopBound<ClientHandler>
    private let usable: NIOLockedValueBox<Bool>
    private let nextCallID = NIOLockedValueBox<UInt32>(0)

    private init(channel: Channel, handler: NIOLoopBound<ClientHandler>, usable: NIOLockedValueBox<Bool>, welcome: Welcome) {
        self.channel = channel
        self.handler = handler
        self.usable = usable
        self.welcome = welcome
    }

    /// False once the server sent GOAWAY or the connection closed.
    var isUsable: Bool { channel.isActive && usable.withLockedValue { $0 } }

    /// `tlsContext`: made from `configuration.tls` (nil without TLS).
    static func open(configuration: ClientConfiguration, group: EventLoopGroup, tlsContext: NIOSSLContext?) async throws -> ClientConnection {
        let usable = NIOLockedValueBox(true)
        let host = configuration.host
        // TLS only over TCP: the in-process pipes never leave the process.
        let tls = configuration.inProcess == nil ? tlsContext : nil
        let initializer: @Sendable (Channel) -> EventLoopFuture<Void> = { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(ClientTLS.handler(context: tls, host: host))
                }
                try channel.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(FrameDecoder(maxFrameSize: Frame.defaultMaxFrameSize * 4)),
                    MessageToByteHandler(FrameEncoder()),
                    ClientHandler(usable: usable),
                ])
            }
        }
        let channel: Channel
        if let inProcess = configuration.inProcess {
            do {
                let ends = try await inProcess()
                guard let bootstrap = NIOPipeBootstrap(validatingGroup: group) else {
                    throw ClientError.unreachable("the in-process transport needs a MultiThreadedEventLoopGroup")
                }
                channel = try await bootstrap.channelInitializer(initializer)
                    .takingOwnershipOfDescriptors(input: ends.input, output: ends.output).get()
            } catch let error as ClientError {
                throw error
            } catch {
                throw ClientError.unreachable("in-process server: \(error)")
            }
        } else {
            do {
                channel = try await ClientBootstrap(group: group)
                    .connectTimeout(.milliseconds(configuration.connectTimeoutMs))
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer(initializer)
                    .connect(host: configuration.host, port: configuration.port).get()
            } catch {
                throw ClientError.unreachable("\(configuration.host):\(configuration.port): \(error)")
            }
        }
        let hello = Hello(clientName: configuration.clientName, apiKey: configuration.apiKey)
        let body = try hello.wire.encoded(allocator: channel.allocator)
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientHandler.self), eventLoop: channel.eventLoop)
        }.get()
        do {
            let welcome = try await channel.eventLoop.flatSubmit { handler.value.sayHello(body, on: channel.eventLoop) }.get()
            return ClientConnection(channel: channel, handler: handler, usable: usable, welcome: welcome)
        } catch {
            try? await channel.close()
            if let tls = configuration.tls, ClientTLS.isTLSError(error) {
                throw tls.failure(error, host: configuration.host, port: configuration.port)
            }
            if error is ClientError || error is RPCError { throw error }
            throw ClientError.unreachable("\(configuration.host):\(configuration.port): \(error)")
        }
    }

    func unary<Request, Response>(_ rpc: UnaryRPC<Request, Response>, _ request: Request,
                                  metadata: CallMetadata) async throws -> Response {
        // A unary call's final OK frame always carries its body (possibly empty).
        let body = try await run(rpc.method, request, metadata: metadata, onMessage: nil) ?? ByteBuffer()
        do {
            return try Response(decoding: body)
        } catch {
            throw RPCError(.internal, "the server's answer does not decode: \(error)")
        }
    }

    func stream<Request, Response>(_ rpc: ServerStreamingRPC<Request, Response>, _ request: Request, metadata: CallMetadata,
                                   onMessage: @escaping @Sendable (Response) -> Void) async throws {
        _ = try await run(rpc.method, request, metadata: metadata, onMessage: { body in onMessage(try Response(decoding: body)) })
    }

    func ping() async throws -> UInt64 {
        let handler = self.handler
        return try await channel.eventLoop.flatSubmit { handler.value.ping() }.get()
    }

    func close() async {
        try? await channel.close()
    }

    private func run(_ method: Method, _ request: some WireMessage, metadata: CallMetadata,
                     onMessage: (@Sendable (ByteBuffer) throws -> Void)?) async throws -> ByteBuffer? {
        try await run(method, body: request.encoded(allocator: channel.allocator), metadata: metadata, onMessage: onMessage)
    }

    /// A call whose request is already encoded; the answer's bodies come back undecoded.
    func run(_ method: Method, body: ByteBuffer, metadata: CallMetadata,
             onMessage: (@Sendable (ByteBuffer) throws -> Void)?) async throws -> ByteBuffer? {
        let meta = try metadata.wire.encoded(allocator: channel.allocator)
        return try await run(code: method.id, meta: meta, body: body, timeoutMs: metadata.timeoutMs, onMessage: onMessage)
    }

    /// A call whose method id, metadata and body are already encoded (a replayed capture
    /// record): only the call id is this connection's own.
    func run(code: UInt16, meta: ByteBuffer, body: ByteBuffer, timeoutMs: UInt32,
             onMessage: (@Sendable (ByteBuffer) throws -> Void)?) async throws -> ByteBuffer? {
        let callID = nextCallID.withLockedValue { id -> UInt32 in
            id = id == UInt32.max ? 1 : id + 1
            return id
        }
        let frame = Frame(type: .request, callID: callID, code: code, meta: meta, body: body)
        let handler = self.handler
        let loop = channel.eventLoop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ByteBuffer?, Error>) in
                loop.execute {
                    handler.value.start(frame, timeoutMs: timeoutMs,
                                        onMessage: onMessage, completion: { continuation.resume(with: $0) })
                }
            }
        } onCancel: {
            loop.execute { handler.value.cancel(callID, RPCError(.cancelled, "cancelled by the caller")) }
        }
    }
}
