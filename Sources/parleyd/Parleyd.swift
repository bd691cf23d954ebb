import ArgumentParser
import Dispatch
import Logging
import ParleyServer
import ParleyStore

/// parleyd: flags and wiring only; the daemon's life is in ParleyServer.Daemon.
@main
// A synchronous main that waits for the async daemon: valgrind 3.19 cannot run Swift's
// async main (it crashes in libdispatch's signal thread), and the leak check needs it.
struct Parleyd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parleyd",
        abstract: "The Parley server: records AI conversation turns and answers analytics over framed RPC.")

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen = "127.0.0.1:7420"

    @Option(help: "Directory for the database and keys.")
    var dataDir = "./data"

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "Maximum simultaneous connections.")
    var maxConnections = 1024

    @Option(help: "Calls one connection may have outstanding before the server stops reading it.")
    var maxInFlight = 128

    @Option(help: "Largest frame accepted, in bytes (meta + body).")
    var maxFrameSize = 4 * 1024 * 1024

    @Option(help: "Seconds without a frame before an idle connection is closed.")
    var idleTimeout = 300

    @Option(help: "Milliseconds after connect by which HELLO must have arrived.")
    var helloTimeoutMs = 5_000

    @Option(help: "Milliseconds within which a started frame must be complete (slowloris guard).")
    var frameTimeoutMs = 10_000

    @Option(help: "Connections one peer address may hold, at most --max-connections (default: 256, or a quarter of --max-connections if that is less).")
    var maxConnectionsPerPeer: Int?

    @Option(help: "Requests per second one API key may make over all its connections; 0: no limit.")
    var keyRate = 100_000

    @Option(help: "MiB of accepted, unanswered requests held over all connections before new ones get 8 RESOURCE_EXHAUSTED.")
    var maxBufferedMib = 256

    @Flag(help: "Allow a non-loopback --listen address although traffic is not encrypted (this build has no TLS).")
    var insecureListen = false

    @Option(help: "GiB of address space reserved for the database map (the largest the file can grow).")
    var mapReserveGib = 64

    @Option(help: "Move turns and messages older than this many days to <data-dir>/archive.db, hourly; reports keep their numbers. 0: off.")
    var retainDays = 0

    func run() throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let port = Int(parts.last ?? ""), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:7420")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var config = ServerConfiguration(dataDirectory: dataDir)
        config.host = parts.dropLast().joined(separator: ":")
        config.port = port
        config.maxConnections = maxConnections
        config.insecureListen = insecureListen
        config.maxInFlightCalls = maxInFlight
        config.maxFrameSize = maxFrameSize
        config.idleTimeoutMs = Int64(idleTimeout) * 1000
        guard helloTimeoutMs > 0, frameTimeoutMs > 0 else {
            throw ValidationError("--hello-timeout-ms and --frame-timeout-ms must be positive")
        }
        config.helloTimeoutMs = Int64(helloTimeoutMs)
        config.frameTimeoutMs = Int64(frameTimeoutMs)
        let perPeer = maxConnectionsPerPeer ?? min(256, max(1, maxConnections / 4))
        guard perPeer > 0, perPeer <= maxConnections else {
            throw ValidationError("--max-connections-per-peer must be between 1 and --max-connections (\(maxConnections))")
        }
        config.maxConnectionsPerPeer = perPeer
        guard keyRate >= 0, maxBufferedMib > 0 else {
            throw ValidationError("--key-rate must be 0 (off) or more, --max-buffered-mib positive")
        }
        config.keyRequestsPerSecond = keyRate
        config.maxBufferedRequestBytes = maxBufferedMib << 20
        guard retainDays >= 0 else { throw ValidationError("--retain-days must be 0 (off) or a number of days") }
        config.retainDays = retainDays
        guard (1...4096).contains(mapReserveGib) else {
            throw ValidationError("--map-reserve-gib must be between 1 and 4096")
        }
        var storeOptions = StoreOptions()
        storeOptions.mapReserve = mapReserveGib << 30
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            do {
                try await Daemon.run(configuration: config, logger: Logger(label: "parleyd"), storeOptions: storeOptions)
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            Logger(label: "parleyd").critical("\(error)")
            throw ExitCode(1)
        }
    }
}

/// The daemon's failure, handed from its task to the waiting main thread.
private final class Outcome: @unchecked Sendable {
    var error: Error?
}
