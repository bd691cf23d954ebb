import Foundation
import Logging
@testable import ParleyCLI
import ParleyClient
import ParleyServer
import ParleyStore
import ParleyWire
import XCTest

/// A full parleyd (store and every service) on 127.0.0.1 and an ephemeral port, with a
/// temporary data directory and `.nosync` commits, for running `parley` commands against.
final class LiveServer: @unchecked Sendable {
    let instance: Daemon.Instance
    let port: Int
    let dataDirectory: String
    let adminKey: String

    /// `configure` adjusts the configuration before the server starts (e.g. a capture).
    static func start(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> LiveServer {
        let dir = NSTemporaryDirectory() + "parley-cli-test-\(UUID().uuidString)"
        var config = ServerConfiguration(dataDirectory: dir)
        config.port = 0
        config.eventLoopThreads = 1
        config.shutdownGraceMs = 2_000
        configure(&config)
        var logger = Logger(label: "cli-test-server")
        logger.logLevel = .warning
        var options = StoreOptions()
        options.durability = .nosync
        let instance = try Daemon.prepare(configuration: config, logger: logger, storeOptions: options)
        let port = try await instance.server.start()
        let key = try String(contentsOfFile: dir + "/admin.key", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return LiveServer(instance: instance, port: port, dataDirectory: dir, adminKey: key)
    }

    private init(instance: Daemon.Instance, port: Int, dataDirectory: String, adminKey: String) {
        self.instance = instance
        self.port = port
        self.dataDirectory = dataDirectory
        self.adminKey = adminKey
    }

    func stop() async {
        await instance.stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    var address: String { "127.0.0.1:\(port)" }

    func client() -> ParleyClient {
        var c = ClientConfiguration(host: "127.0.0.1", port: port, apiKey: adminKey, clientName: "cli-test")
        c.defaultTimeoutMs = 20_000
        return ParleyClient(configuration: c)
    }

    /// Runs `parley ARGS --addr ... --key ...` in-process and captures what it wrote.
    func parley(_ args: [String], interactive: Bool = false, width: Int = 100) async -> CommandResult {
        await CommandResult.run(args + ["--addr", address, "--key", adminKey], interactive: interactive, width: width)
    }
}

/// What one in-process `parley` run produced.
struct CommandResult {
    let code: Int32
    let out: String
    let err: String

    static func run(_ args: [String], interactive: Bool = false, width: Int = 100) async -> CommandResult {
        let terminal = Terminal.capturing(width: width, interactive: interactive)
        let code = await ParleyCommand.run(arguments: args, terminal: terminal)
        return CommandResult(code: code, out: terminal.output, err: terminal.errors)
    }
}
