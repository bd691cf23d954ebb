import Foundation
import Logging
import NIOCore
import ParleyClient
import ParleyServer
import ParleyStorage
import ParleyStore
import ParleyWire

/// How a test reaches its server.
public enum HarnessTransport: Sendable, CaseIterable {
    /// 127.0.0.1 and an ephemeral port.
    case tcp
    /// The in-process transport: pipes into the same connection pipeline, no socket and
    /// no port bound.
    case inProcess
}

/// A real parleyd server, with its own temporary data directory, reached over TCP or in
/// process. It shuts itself down after `lifetime` even if a test forgets to.
///
/// `@unchecked Sendable`: `instance` and `watchdog` are set in `start` before the harness
/// is returned to the test, and only read afterwards.
public final class ServerHarness: @unchecked Sendable {
    public let server: ParleyServer
    public let transport: HarnessTransport
    /// The bound port; 0 in process.
    public let port: Int
    public let dataDirectory: String
    public let adminKey: String
    /// Deadline of the calls of `client()` that name none.
    public let clientTimeoutMs: UInt32
    /// Set when the harness serves the real services on a store.
    public private(set) var instance: Daemon.Instance?
    private var watchdog: Task<Void, Never>?

    /// A server with only `services` (and the built-in ServerInfo and key methods).
    public static func start(services: ServiceRegistry = ServiceRegistry(), transport: HarnessTransport = .tcp,
                             lifetime: TimeInterval = 120, port: Int = 0, dataDirectory: String? = nil,
                             logger: Logger? = nil,
                             configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerHarness {
        let dir = dataDirectory ?? NSTemporaryDirectory() + "parley-test-\(UUID().uuidString)"
        var config = ServerConfiguration(dataDirectory: dir)
        config.port = port
        config.eventLoopThreads = 2
        config.shutdownGraceMs = 5_000
        configure(&config)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let keys = try KeyStore(dataDirectory: dir)
        let server = ParleyServer(configuration: config, services: services, keys: keys, logger: logger ?? quietLogger())
        let bound = transport == .tcp ? try await server.start() : 0
        let key = (try? String(contentsOfFile: dir + "/admin.key", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let harness = ServerHarness(server: server, transport: transport, port: bound, dataDirectory: dir, adminKey: key,
                                    clientTimeoutMs: 10_000)
        harness.watchdog = Task {
            try? await Task.sleep(nanoseconds: UInt64(lifetime * 1e9))
            if !Task.isCancelled { await server.shutdownGracefully() }
        }
        return harness
    }

    /// A server with every real service on a store in a temporary directory. Tests use
    /// `.nosync` unless durability is what they test.
    public static func startWithStore(durability: Durability = .nosync, transport: HarnessTransport = .tcp,
                                      lifetime: TimeInterval = 120, dataDirectory: String? = nil,
                                      eventLoopThreads: Int = 2, shutdownGraceMs: Int64 = 5_000, clientTimeoutMs: UInt32 = 10_000,
                                      configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServerHarness {
        let dir = dataDirectory ?? NSTemporaryDirectory() + "parley-test-\(UUID().uuidString)"
        var config = ServerConfiguration(dataDirectory: dir)
        config.port = 0
        config.eventLoopThreads = eventLoopThreads
        config.shutdownGraceMs = shutdownGraceMs
        configure(&config)
        var options = StoreOptions()
        options.durability = durability
        let instance = try Daemon.prepare(configuration: config, logger: quietLogger(), storeOptions: options)
        let bound = transport == .tcp ? try await instance.start() : 0
        let key = try String(contentsOfFile: dir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let harness = ServerHarness(server: instance.server, transport: transport, port: bound, dataDirectory: dir,
                                    adminKey: key, clientTimeoutMs: clientTimeoutMs)
        harness.instance = instance
        harness.watchdog = Task {
            try? await Task.sleep(nanoseconds: UInt64(lifetime * 1e9))
            if !Task.isCancelled { await instance.stop() }
        }
        return harness
    }

    private static func quietLogger() -> Logger {
        var quiet = Logger(label: "test-server")
        quiet.logLevel = .warning
        return quiet
    }

    private init(server: ParleyServer, transport: HarnessTransport, port: Int, dataDirectory: String, adminKey: String,
                 clientTimeoutMs: UInt32) {
        self.server = server
        self.transport = transport
        self.port = port
        self.dataDirectory = dataDirectory
        self.adminKey = adminKey
        self.clientTimeoutMs = clientTimeoutMs
    }

    /// "127.0.0.1:PORT", for commands that take an address (TCP only).
    public var address: String { "127.0.0.1:\(port)" }

    /// A client over the harness's transport.
    public func client(key: String? = nil, timeoutMs: UInt32? = nil, clientName: String = "test") -> ParleyClient {
        var c = ClientConfiguration(host: "127.0.0.1", port: port, apiKey: key ?? adminKey, clientName: clientName)
        c.defaultTimeoutMs = timeoutMs ?? clientTimeoutMs
        if transport == .inProcess {
            let server = server
            c.inProcess = {
                let ends = try await server.connectInProcess()
                return (ends.input, ends.output)
            }
        }
        return ParleyClient(configuration: c)
    }

    /// A byte-level connection over the harness's transport.
    public func raw(timeoutSeconds: Int = 5) throws -> RawConnection {
        switch transport {
        case .tcp:
            return try RawConnection(port: port, timeoutSeconds: timeoutSeconds)
        case .inProcess:
            let ends = try server.makeInProcessConnection().wait()
            return RawConnection(input: ends.input, output: ends.output, timeoutSeconds: timeoutSeconds)
        }
    }

    public func stop() async {
        watchdog?.cancel()
        if let instance { await instance.stop() } else { await server.shutdownGracefully() }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
