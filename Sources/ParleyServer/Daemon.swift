import Dispatch
import Foundation
import Logging
import ParleyStore
import ServiceLifecycle
import UnixSignals

/// parleyd's life: prepare the data directory and keys, serve, and on SIGTERM or SIGINT
/// shut down gracefully. Kept here, not in the executable, so tests can reach it.
public enum Daemon {
    public static func run(configuration: ServerConfiguration, logger: Logger,
                           storeOptions: StoreOptions = StoreOptions()) async throws {
        let instance = try prepare(configuration: configuration, logger: logger, storeOptions: storeOptions)
        try await instance.start()
        // The first SIGTERM or SIGINT starts the graceful shutdown (DaemonService); a
        // second one while it runs stops at once (Instance.stop).
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: DaemonService(instance: instance, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        try await group.run()
    }

    /// Creates the data directory and keys, opens the store, and makes the server with
    /// every built service.
    public static func prepare(configuration: ServerConfiguration, logger: Logger,
                               storeOptions: StoreOptions = StoreOptions()) throws -> Instance {
        do {
            try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ServerError.configuration("cannot create the data directory \(configuration.dataDirectory): \(error.localizedDescription)")
        }
        let keys = try KeyStore(dataDirectory: configuration.dataDirectory)
        if let path = keys.createdAdminKeyPath {
            logger.notice("created an admin API key", metadata: ["path": "\(path)"])
        }
        let dbPath = (configuration.dataDirectory as NSString).appendingPathComponent(Daemon.databaseFileName)
        let metrics = ServerMetrics()
        var storeOptions = storeOptions
        // Weak: the metrics watch the store (DatabaseWatch), so a strong capture here
        // would make store -> writer -> hook -> metrics -> store a cycle that is never freed.
        storeOptions.onCommit = { [weak metrics] in metrics?.commitFinished($0) }
        // One counter for intake and CountTokens, so both give the same numbers.
        storeOptions.tokenCounter = configuration.tokenCounting.counter
        let store: ParleyStore
        do {
            store = try ParleyStore(path: dbPath, options: storeOptions)
        } catch {
            throw ServerError.configuration("cannot open the database \(dbPath): \(error)")
        }
        logger.info("opened the database", metadata: ["path": "\(dbPath)"])
        metrics.watch(store)
        let server = ParleyServer(configuration: configuration, services: ServiceCatalog.registry(store: store, tokenCounting: configuration.tokenCounting),
                                  keys: keys, logger: logger, metrics: metrics)
        let retention = configuration.retainDays > 0 ? RetentionScheduler(store: store, days: configuration.retainDays, logger: logger) : nil
        let readiness = Readiness()
        readiness.databaseOpened()
        let operations = OperationsState(metrics: metrics, readiness: readiness, startedAt: server.statistics.startedAt, store: store)
        return Instance(server: server, store: store, retention: retention, operations: operations, logger: logger)
    }

    public static let databaseFileName = "parley.db"

    /// A server, the store it serves and the operations listener that reports on both.
    public final class Instance: Sendable {
        public let server: ParleyServer
        public let store: ParleyStore
        public let operations: OperationsState
        let retention: RetentionScheduler?
        private let logger: Logger
        private let listener = ListenerSlot()

        init(server: ParleyServer, store: ParleyStore, retention: RetentionScheduler?, operations: OperationsState, logger: Logger) {
            self.server = server
            self.store = store
            self.retention = retention
            self.operations = operations
            self.logger = logger
        }

        /// Writes the capture's buffered records; every call was answered, so none is lost.
        private func closeCapture() {
            guard let capture = server.configuration.capture else { return }
            do {
                try capture.close()
            } catch {
                server.logger.error("the capture did not close cleanly: \(error)")
            }
        }

        /// Binds the RPC port and, when configured, the metrics listener; returns the
        /// RPC port.
        @discardableResult
        public func start() async throws -> Int {
            let port = try await server.start()
            if let address = server.configuration.metricsAddress {
                listener.set(try await OperationsListener.start(host: address.host, port: address.port,
                                                                operations: operations, logger: logger))
            }
            return port
        }

        /// The metrics listener's port, once started with one.
        public var metricsPort: Int? { listener.current?.port }

        /// Graceful shutdown: /readyz turns 503, scheduled retention stops, accepted calls
        /// are answered within the grace period, the writer finishes and the file closes.
        /// A SIGTERM or SIGINT arriving meanwhile cuts the grace short.
        public func stop() async {
            operations.readiness.shutdownBegan()
            retention?.stop()
            let server = server
            let logger = logger
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await server.shutdownGracefully() }
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                        logger.notice("second signal: stopping now without waiting for calls in flight")
                        server.abandonGrace()
                        break
                    }
                }
                await group.next()
                group.cancelAll()
            }
            closeCapture()
            store.close()
            operations.readiness.databaseClosed()
            await listener.current?.stop()
        }
    }

    /// Runs an instance under the service group: returns when its graceful shutdown ends.
    struct DaemonService: Service {
        let instance: Instance
        let logger: Logger

        func run() async throws {
            // Throws only when the group is cancelled; either way, shut down.
            try? await gracefulShutdown()
            logger.info("shutdown signal received")
            await instance.stop()
        }
    }
}

/// The metrics listener, set once by `start` and read by `stop`.
private final class ListenerSlot: @unchecked Sendable {
    // Guarded by lock: start and stop run on different tasks.
    private let lock = NSLock()
    private var listener: OperationsListener?

    func set(_ listener: OperationsListener) { lock.withLock { self.listener = listener } }

    var current: OperationsListener? { lock.withLock { listener } }
}
