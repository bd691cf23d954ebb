import Foundation
import Logging
import ParleyClient
import ParleyServer
import ParleyStore
import ParleyWire

/// A complete parleyd (every service of the catalog on a real store) made the way the
/// daemon makes it, with `.nosync` durability for speed, on an ephemeral port.
final class FullServer: @unchecked Sendable {
    let instance: Daemon.Instance
    let dataDirectory: String
    let adminKey: String
    let port: Int

    static func start(dataDirectory: String? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> FullServer {
        let dir = dataDirectory ?? NSTemporaryDirectory() + "parley-full-\(UUID().uuidString)"
        var config = ServerConfiguration(dataDirectory: dir)
        config.port = 0
        config.eventLoopThreads = 2
        config.shutdownGraceMs = 5_000
        configure(&config)
        var logger = Logger(label: "full-server")
        logger.logLevel = .warning
        var options = StoreOptions()
        options.durability = .nosync
        let instance = try Daemon.prepare(configuration: config, logger: logger, storeOptions: options)
        let port = try await instance.server.start()
        let key = (try? String(contentsOfFile: dir + "/admin.key", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return FullServer(instance: instance, dataDirectory: dir, adminKey: key, port: port)
    }

    private init(instance: Daemon.Instance, dataDirectory: String, adminKey: String, port: Int) {
        self.instance = instance
        self.dataDirectory = dataDirectory
        self.adminKey = adminKey
        self.port = port
    }

    func client() -> ParleyClient {
        var c = ClientConfiguration(host: "127.0.0.1", port: port, apiKey: adminKey, clientName: "test")
        c.defaultTimeoutMs = 30_000
        return ParleyClient(configuration: c)
    }

    func stop() async {
        await instance.stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
