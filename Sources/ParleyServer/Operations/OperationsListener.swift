import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP listener for `--metrics-listen`: /metrics, /healthz and /readyz, apart from
/// the RPC port so Prometheus and load balancers need neither a key nor the protocol.
public final class OperationsListener: Sendable {
    private let channel: Channel
    /// Its own loop, so /readyz still answers 503 while the RPC server's loops drain.
    private let group: MultiThreadedEventLoopGroup

    /// Binds `host:port` (port 0: any free port).
    public static func start(host: String, port: Int, operations: OperationsState,
                             logger: Logger) async throws -> OperationsListener {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(OperationsHTTPHandler(operations: operations))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            logger.info("metrics listening", metadata: ["address": "\(host):\(channel.localAddress?.port ?? port)"])
            return OperationsListener(channel: channel, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw ServerError.bind("metrics listener \(host):\(port): \(error)")
        }
    }

    private init(channel: Channel, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.group = group
    }

    public var port: Int? { channel.localAddress?.port }

    public func stop() async {
        try? await channel.close().get()
        try? await group.shutdownGracefully()
    }
}
