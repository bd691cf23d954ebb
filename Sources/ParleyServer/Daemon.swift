import Dispatch
import Foundation
import Logging
import ParleyStore

/// parleyd's life: prepare the data directory and keys, serve, and on SIGTERM or SIGINT
/// shut down gracefully. Kept here, not in the executable, so tests can reach it.
public enum Daemon {
    public static func run(configuration: ServerConfiguration, logger: Logger,
                           storeOptions: StoreOptions = StoreOptions()) async throws {
        let instance = try prepare(configuration: configuration, logger: logger, storeOptions: storeOptions)
        try await instance.server.start()
        await waitForTerminationSignal(logger: logger)
        await instance.stop()
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
        let store: ParleyStore
        do {
            store = try ParleyStore(path: dbPath, options: storeOptions)
        } catch {
            throw ServerError.configuration("cannot open the database \(dbPath): \(error)")
        }
        logger.info("opened the database", metadata: ["path": "\(dbPath)"])
        let server = ParleyServer(configuration: configuration, services: ServiceCatalog.registry(store: store), keys: keys, logger: logger)
        let retention = configuration.retainDays > 0 ? RetentionScheduler(store: store, days: configuration.retainDays, logger: logger) : nil
        return Instance(server: server, store: store, retention: retention)
    }

    public static let databaseFileName = "parley.db"

    /// A server and the store it serves.
    public struct Instance: Sendable {
        public let server: ParleyServer
        public let store: ParleyStore
        let retention: RetentionScheduler?

        /// Graceful shutdown: stop scheduled retention, answer accepted calls, then let
        /// the writer finish and close.
        public func stop() async {
            retention?.stop()
            await server.shutdownGracefully()
            closeCapture()
            store.close()
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
    }

    private static func waitForTerminationSignal(logger: Logger) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = SignalLatch(continuation)
            for sig in [SIGTERM, SIGINT] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler {
                    logger.info("received signal \(sig)")
                    fired.fire()
                }
                source.resume()
                fired.keep(source)
            }
        }
    }
}

/// Resumes the waiting continuation once, whichever signal comes first.
private final class SignalLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = continuation
    }

    func keep(_ source: DispatchSourceSignal) {
        lock.withLock { sources.append(source) }
    }

    func fire() {
        let c = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil }
            return continuation
        }
        c?.resume()
    }
}
