import Foundation
import Logging
import NIOCore
import ParleyClient
import ParleyServer
import ParleyStorage
import ParleyStore
import ParleyWire

/// A real parleyd server on 127.0.0.1 and an ephemeral port, with its own temporary data
/// directory. It shuts itself down after `lifetime` even if a test forgets to.
final class ServerHarness: @unchecked Sendable {
    let server: ParleyServer
    let port: Int
    let dataDirectory: String
    let adminKey: String
    /// Set when the harness serves the real services on a store.
    private(set) var instance: Daemon.Instance?
    private var watchdog: Task<Void, Never>?

    static func start(services: ServiceRegistry = ServiceRegistry(), lifetime: TimeInterval = 120,
                      port: Int = 0, dataDirectory: String? = nil, logger: Logger? = nil,
                      configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerHarness {
        let dir = dataDirectory ?? NSTemporaryDirectory() + "parley-test-\(UUID().uuidString)"
        var config = ServerConfiguration(dataDirectory: dir)
        config.port = port
        config.eventLoopThreads = 2
        config.shutdownGraceMs = 5_000
        configure(&config)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let keys = try KeyStore(dataDirectory: dir)
        let logger = logger ?? {
            var quiet = Logger(label: "test-server")
            quiet.logLevel = .warning
            return quiet
        }()
        let server = ParleyServer(configuration: config, services: services, keys: keys, logger: logger)
        let bound = try await server.start()
        let key = (try? String(contentsOfFile: dir + "/admin.key", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let harness = ServerHarness(server: server, port: bound, dataDirectory: dir, adminKey: key)
        harness.watchdog = Task {
            try? await Task.sleep(nanoseconds: UInt64(lifetime * 1e9))
            if !Task.isCancelled { await server.shutdownGracefully() }
        }
        return harness
    }

    /// A server with every real service on a store in a temporary directory. Tests use
    /// `.nosync` unless durability is what they test.
    static func startWithStore(durability: Durability = .nosync, lifetime: TimeInterval = 120, dataDirectory: String? = nil,
                               configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerHarness {
        let dir = dataDirectory ?? NSTemporaryDirectory() + "parley-test-\(UUID().uuidString)"
        var config = ServerConfiguration(dataDirectory: dir)
        config.port = 0
        config.eventLoopThreads = 2
        config.shutdownGraceMs = 5_000
        configure(&config)
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        var options = StoreOptions()
        options.durability = durability
        let instance = try Daemon.prepare(configuration: config, logger: logger, storeOptions: options)
        let bound = try await instance.start()
        let key = try String(contentsOfFile: dir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let harness = ServerHarness(server: instance.server, port: bound, dataDirectory: dir, adminKey: key)
        harness.instance = instance
        harness.watchdog = Task {
            try? await Task.sleep(nanoseconds: UInt64(lifetime * 1e9))
            if !Task.isCancelled { await instance.stop() }
        }
        return harness
    }

    private init(server: ParleyServer, port: Int, dataDirectory: String, adminKey: String) {
        self.server = server
        self.port = port
        self.dataDirectory = dataDirectory
        self.adminKey = adminKey
    }

    func client(key: String? = nil, timeoutMs: UInt32? = 10_000) -> ParleyClient {
        var c = ClientConfiguration(host: "127.0.0.1", port: port, apiKey: key ?? adminKey, clientName: "test")
        c.defaultTimeoutMs = timeoutMs
        return ParleyClient(configuration: c)
    }

    func raw(timeoutSeconds: Int = 5) throws -> RawConnection { try RawConnection(port: port, timeoutSeconds: timeoutSeconds) }

    func stop() async {
        watchdog?.cancel()
        if let instance { await instance.stop() } else { await server.shutdownGracefully() }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
