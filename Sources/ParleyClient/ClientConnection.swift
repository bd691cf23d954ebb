import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ParleyWire

/// One TCP connection to a server, after a successful HELLO. All state lives in the
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

    static func open(configuration: ClientConfiguration, group: EventLoopGroup) async throws -> ClientConnection {
        let usable = NIOLockedValueBox(true)
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.milliseconds(configuration.connectTimeoutMs))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(FrameDecoder(maxFrameSize: Frame.defaultMaxFrameSize * 4)),
                            MessageToByteHandler(FrameEncoder()),
                            ClientHandler(usable: usable),
                        ])
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw ClientError.unreachable("\(configuration.host):\(configuration.port): \(error)")
        }
        let hello = Hello(clientName: configuration.clientName, apiKey: configuration.apiKey)
        let body = try hello.proto.encoded()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientHandler.self), eventLoop: channel.eventLoop)
        }.get()
        do {
            let welcome = try await channel.eventLoop.flatSubmit { handler.value.sayHello(body) }.get()
            return ClientConnection(channel: channel, handler: handler, usable: usable, welcome: welcome)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    func unary(_ method: Method, _ request: ProtoMessage, metadata: CallMetadata) async throws -> ProtoMessage {
        let result = try await run(method, request, metadata: metadata, onMessage: nil)
        // safe: a unary call's final OK frame always carries its body (possibly empty).
        return try result ?? ProtoCodec.decode(method.responseType, from: ByteBuffer())
    }

    func stream(_ method: Method, _ request: ProtoMessage, metadata: CallMetadata,
                onMessage: @escaping @Sendable (ProtoMessage) -> Void) async throws {
        _ = try await run(method, request, metadata: metadata, onMessage: onMessage)
    }

    func ping() async throws -> UInt64 {
        let handler = self.handler
        return try await channel.eventLoop.flatSubmit { handler.value.ping() }.get()
    }

    func close() async {
        try? await channel.close()
    }

    private func run(_ method: Method, _ request: ProtoMessage, metadata: CallMetadata,
                     onMessage: (@Sendable (ProtoMessage) -> Void)?) async throws -> ProtoMessage? {
        let callID = nextCallID.withLockedValue { id -> UInt32 in
            id = id == UInt32.max ? 1 : id + 1
            return id
        }
        let body = try request.encoded(allocator: channel.allocator)
        let meta = try metadata.proto.encoded(allocator: channel.allocator)
        let frame = Frame(type: .request, callID: callID, code: method.id, meta: meta, body: body)
        let handler = self.handler
        let loop = channel.eventLoop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ProtoMessage?, Error>) in
                loop.execute {
                    handler.value.start(frame, responseType: method.responseType, timeoutMs: metadata.timeoutMs,
                                        onMessage: onMessage, completion: { continuation.resume(with: $0) })
                }
            }
        } onCancel: {
            loop.execute { handler.value.cancel(callID, RPCError(.cancelled, "cancelled by the caller")) }
        }
    }
}
