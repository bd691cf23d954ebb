import Atomics
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ParleyWire

/// The framed RPC server: accepts connections, runs HELLO and calls per docs/PROTOCOL.md,
/// and hands requests to the registered handlers.
///
/// `@unchecked Sendable`: `serverChannel` is the only mutable field; it is written once by
/// `start` before the server is shared with shutdown paths, which only read it.
public final class ParleyServer: @unchecked Sendable {
    public let configuration: ServerConfiguration
    public let statistics: ServerStatistics
    private let executor: CallExecutor
    private let keys: KeyStore
    let logger: Logger
    let group: MultiThreadedEventLoopGroup
    private let connections = ConnectionRegistry()
    private let limits: ServerLimits
    private var serverChannel: Channel?
    /// Set by a second shutdown signal: stop waiting for calls in flight.
    private let graceAbandoned = ManagedAtomic(false)
    /// Numbers connections in accept order, for the capture's connection field.
    private let connectionNumbers = ManagedAtomic<UInt32>(0)

    public init(configuration: ServerConfiguration, services: ServiceRegistry, keys: KeyStore, logger: Logger,
                metrics: ServerMetrics = ServerMetrics()) {
        self.configuration = configuration
        statistics = ServerStatistics(metrics: metrics)
        var services = services
        InfoService(statistics: statistics, tokenCounting: configuration.tokenCounting).register(in: &services)
        KeysService(keys: keys, logger: logger).register(in: &services)
        self.keys = keys
        self.logger = logger
        limits = ServerLimits(configuration)
        executor = CallExecutor(services: services, keys: keys, keyRate: limits.keyRate, statistics: statistics,
                                logger: logger, slowCallMs: configuration.slowCallMs)
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
    }

    /// Binds and starts accepting. Returns the port actually bound (useful with port 0).
    @discardableResult
    public func start() async throws -> Int {
        try ListenPolicy.check(configuration)
        // Read once, before binding: a bad certificate or key stops the start with the file named.
        let tlsContext = try configuration.tls?.makeContext()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: true)
            .childChannelInitializer { [self] channel in initializeConnection(channel, tls: tlsContext) }
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            serverChannel = channel
            let port = channel.localAddress?.port ?? configuration.port
            logger.info("listening", metadata: ["address": "\(configuration.host):\(port)",
                                                "tls": "\(configuration.tls == nil ? "off" : "on")"])
            return port
        } catch {
            throw ServerError.bind("\(configuration.host):\(configuration.port): \(error)")
        }
    }

    /// One connection's pipeline, the same for TCP and the in-process transport.
    /// `tls`: the listener's context; nil for plain TCP and the in-process transport.
    func initializeConnection(_ channel: Channel, tls: NIOSSLContext?) -> EventLoopFuture<Void> {
        let configuration = configuration
        return channel.eventLoop.makeCompletedFuture {
            // TLS sits right after the per-peer cap, so a refused peer costs no
            // handshake; the HELLO deadline, armed at connect, bounds the handshake too.
            var handlers: [ChannelHandler] = [PeerLimitHandler(limiter: limits.peers)]
            if let tls {
                handlers += [TLSRequiredHandler(), NIOSSLServerHandler(context: tls)]
            }
            handlers += [
                FrameDeadlineHandler(timeoutMs: configuration.frameTimeoutMs),
                ByteToMessageHandler(FrameDecoder(maxFrameSize: configuration.maxFrameSize)),
                MessageToByteHandler(FrameEncoder()),
                HelloDeadlineHandler(timeoutMs: configuration.helloTimeoutMs),
                // Tells the connection when no frame came for the idle timeout.
                IdleStateHandler(readTimeout: .milliseconds(max(configuration.idleTimeoutMs, 1))),
                ConnectionHandler(executor: executor, keys: keys, configuration: configuration, limits: limits,
                                  statistics: statistics, connections: connections, logger: logger,
                                  number: connectionNumbers.loadThenWrappingIncrement(ordering: .relaxed)),
            ]
            try channel.pipeline.syncOperations.addHandlers(handlers)
        }
    }

    /// The port the server listens on, once started.
    public var port: Int? { serverChannel?.localAddress?.port }

    /// Stops accepting, sends GOAWAY to every client, answers every accepted call, then
    /// closes. Connections still busy after the grace period are closed anyway.
    public func shutdownGracefully() async {
        logger.info("shutting down")
        try? await serverChannel?.close().get()
        connections.shutdownAll()
        let deadline = NIODeadline.now() + .milliseconds(configuration.shutdownGraceMs)
        while !connections.isEmpty, NIODeadline.now() < deadline, !graceAbandoned.load(ordering: .relaxed) {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        try? await group.shutdownGracefully()
        logger.info("stopped")
    }

    /// Ends a graceful shutdown's wait now: connections still busy are closed.
    public func abandonGrace() {
        graceAbandoned.store(true, ordering: .relaxed)
    }
}
