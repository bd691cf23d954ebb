import ArgumentParser
import Dispatch
import Foundation
import Logging
import ParleyLoad
import ParleyServer
import ParleyStore
import ParleyTokenizer
import ParleyWire

/// parleyd: flags and wiring only; the daemon's life is in ParleyServer.Daemon.
@main
// A synchronous main that waits for the async daemon: valgrind 3.19 cannot run Swift's
// async main (it crashes in libdispatch's signal thread), and the leak check needs it.
struct Parleyd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parleyd",
        abstract: "The Parley server: records AI conversation turns and answers analytics over framed RPC.",
        version: ParleyVersion.string,
        subcommands: [Serve.self, RestoreCommand.self, UpgradeCommand.self],
        defaultSubcommand: Serve.self)
}

/// `parleyd [serve]`: runs the server until SIGTERM or SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve (the default when no subcommand is named).",
        discussion: """
        Every option can also come from its PARLEY_* environment variable (--max-connections:
        PARLEY_MAX_CONNECTIONS) or from the JSON file named by --config or PARLEY_CONFIG
        ({"max-connections": 2048}). A flag wins over the variable, the variable over the file.
        """)

    @Option(help: "JSON configuration file; its keys are the option names without dashes in front.")
    var config: String?

    @Option(help: "Address to listen on, HOST:PORT (default 127.0.0.1:7420).")
    var listen: String?

    @Option(help: "Directory for the database and keys (default ./data).")
    var dataDir: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    @Option(help: "text, or json for one JSON object per line (default text).")
    var logFormat: String?

    @Option(help: "Maximum simultaneous connections (default 1024).")
    var maxConnections: Int?

    @Option(help: "Calls one connection may have outstanding before the server stops reading it (default 128).")
    var maxInFlight: Int?

    @Option(help: "Largest frame accepted, in bytes, meta + body (default 4194304).")
    var maxFrameSize: Int?

    @Option(help: "Seconds without a frame before an idle connection is closed (default 300).")
    var idleTimeout: Int?

    @Option(help: "GiB of address space reserved for the database map, the largest the file can grow (default 64).")
    var mapReserveGib: Int?

    @Option(help: "Move turns and messages older than this many days to <data-dir>/archive.db, hourly; reports keep their numbers. 0: off (default).")
    var retainDays: Int?

    @Option(help: "HOST:PORT for the HTTP listener serving /metrics, /healthz and /readyz (no key). Off when absent.")
    var metricsListen: String?

    @Option(help: "Seconds a graceful shutdown (SIGTERM/SIGINT) waits for accepted calls; a second signal stops at once (default 30).")
    var shutdownGrace: Int?

    @Option(help: "A call slower than this many milliseconds is logged at notice with its id, method, peer, status and duration (default 1000); failed calls always are.")
    var slowCallMs: Int?

    @Option(help: "The cl100k_base vocabulary, to count turns logged without counts (default: where Tools/install-vocab puts it). Without it counts are estimated.")
    var vocab: String?

    @Option(help: "Record every request accepted after HELLO into this capture file (docs/LOAD.md); API keys are never written. Off by default.")
    var record: String?

    @Option(help: "With --record: MiB a capture part may take before it rotates to FILE.1, FILE.2, ...")
    var recordMaxMib = 256

    @Option(help: "With --record: parts kept; the oldest is deleted on rotation.")
    var recordParts = 8

    @Option(help: "Milliseconds after connect by which HELLO must have arrived (default 5000).")
    var helloTimeoutMs: Int?

    @Option(help: "Milliseconds within which a started frame must be complete, the slowloris guard (default 10000).")
    var frameTimeoutMs: Int?

    @Option(help: "Connections one peer address may hold, at most --max-connections (default 256, or a quarter of --max-connections if that is less).")
    var maxConnectionsPerPeer: Int?

    @Option(help: "Requests per second one API key may make over all its connections; 0: no limit (default 100000).")
    var keyRate: Int?

    @Option(help: "MiB of accepted, unanswered requests held over all connections before new ones get 8 RESOURCE_EXHAUSTED (default 256).")
    var maxBufferedMib: Int?

    @Option(help: "PEM certificate (then any intermediates) to serve TLS with; needs --tls-key. The metrics listener stays plain HTTP.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert, read from this file at start (never logged). Both are read again only at restart.")
    var tlsKey: String?

    @Flag(help: "Allow a non-loopback --listen address without --tls-cert and --tls-key, in clear text.")
    var insecureListen = false

    func run() throws {
        let flags = flagValues()
        let insecureListen = insecureListen
        let environment = ProcessInfo.processInfo.environment
        let file = config ?? environment["PARLEY_CONFIG"]
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            do {
                let settings = try await DaemonSettings.resolve(flags: flags, environment: environment, file: file)
                let (validated, storeOptions) = try Self.validate(settings)
                var configuration = validated
                configuration.insecureListen = insecureListen
                let logFormat = try LogFormat(flag: settings.logFormat)
                guard let level = Logger.Level(rawValue: settings.logLevel) else {
                    throw ArgumentParser.ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                LoggingSystem.bootstrap { label in logFormat.handler(label: label, level: level) }
                outcome.bootstrapped = true
                let logger = Logger(label: "parleyd")
                let counter = SharedTokenCounter(vocabularyAt: settings.vocab ?? VocabularyLocation.defaultPath())
                configuration.tokenCounting = TokenCounting(counter: counter, summary: counter.summary)
                configuration.capture = try captureWriter()
                // Said once, at start: every turn without counts is counted this way.
                if counter.method == .counted {
                    logger.info("token counts: \(counter.summary)")
                } else {
                    logger.warning("token counts: \(counter.summary)")
                }
                try await Daemon.run(configuration: configuration, logger: logger, storeOptions: storeOptions)
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            if let validation = error as? ArgumentParser.ValidationError { Serve.exit(withError: validation) }
            if outcome.bootstrapped {
                Logger(label: "parleyd").critical("\(error)")
            } else {
                FileHandle.standardError.write(Data("parleyd: \(error)\n".utf8))
            }
            throw ExitCode(1)
        }
    }

    /// The flags given on the command line, by setting.
    /// `--record`: the capture writer, or nil when recording is off.
    private func captureWriter() throws -> CaptureWriter? {
        guard let record else { return nil }
        guard recordMaxMib > 0, recordParts > 0 else {
            throw ArgumentParser.ValidationError("--record-max-mib and --record-parts must be positive numbers")
        }
        do {
            return try CaptureWriter(path: record, limits: CaptureLimits(maxPartBytes: recordMaxMib << 20, maxParts: recordParts))
        } catch {
            throw ArgumentParser.ValidationError("--record \(record): \(error)")
        }
    }

    private func flagValues() -> [DaemonSettings.Key: DaemonSettings.FlagValue] {
        var flags: [DaemonSettings.Key: DaemonSettings.FlagValue] = [:]
        let texts: [(DaemonSettings.Key, String?)] = [
            (.listen, listen), (.dataDir, dataDir), (.logLevel, logLevel), (.logFormat, logFormat), (.metricsListen, metricsListen),
            (.tlsCert, tlsCert), (.tlsKey, tlsKey),
            (.vocab, vocab),
        ]
        let numbers: [(DaemonSettings.Key, Int?)] = [
            (.maxConnections, maxConnections), (.maxInFlight, maxInFlight), (.maxFrameSize, maxFrameSize),
            (.idleTimeout, idleTimeout), (.mapReserveGib, mapReserveGib), (.retainDays, retainDays),
            (.shutdownGrace, shutdownGrace), (.slowCallMs, slowCallMs),
            (.helloTimeoutMs, helloTimeoutMs), (.frameTimeoutMs, frameTimeoutMs), (.maxConnectionsPerPeer, maxConnectionsPerPeer),
            (.keyRate, keyRate), (.maxBufferedMib, maxBufferedMib),
        ]
        for (key, value) in texts { if let value { flags[key] = .text(value) } }
        for (key, value) in numbers { if let value { flags[key] = .number(value) } }
        return flags
    }

    /// Checks the resolved settings' ranges and turns them into the server's and store's
    /// configuration.
    static func validate(_ s: DaemonSettings) throws -> (ServerConfiguration, StoreOptions) {
        var config = ServerConfiguration(dataDirectory: s.dataDir)
        let address = try hostAndPort(s.listen, flag: "--listen", example: "127.0.0.1:7420")
        config.host = address.host
        config.port = address.port
        if let metricsListen = s.metricsListen {
            config.metricsAddress = try hostAndPort(metricsListen, flag: "--metrics-listen", example: "127.0.0.1:9420")
        }
        config.maxConnections = s.maxConnections
        config.maxInFlightCalls = s.maxInFlight
        config.maxFrameSize = s.maxFrameSize
        config.idleTimeoutMs = Int64(s.idleTimeout) * 1000
        guard s.retainDays >= 0 else { throw ArgumentParser.ValidationError("--retain-days must be 0 (off) or a number of days") }
        config.retainDays = s.retainDays
        guard (0...3600).contains(s.shutdownGrace) else { throw ArgumentParser.ValidationError("--shutdown-grace must be between 0 and 3600 seconds") }
        config.shutdownGraceMs = Int64(s.shutdownGrace) * 1000
        guard s.slowCallMs >= 0 else { throw ArgumentParser.ValidationError("--slow-call-ms must be 0 or more milliseconds") }
        config.slowCallMs = Int64(s.slowCallMs)
        guard (1...4096).contains(s.mapReserveGib) else {
            throw ArgumentParser.ValidationError("--map-reserve-gib must be between 1 and 4096")
        }
        guard s.helloTimeoutMs > 0, s.frameTimeoutMs > 0 else {
            throw ArgumentParser.ValidationError("--hello-timeout-ms and --frame-timeout-ms must be positive")
        }
        config.helloTimeoutMs = Int64(s.helloTimeoutMs)
        config.frameTimeoutMs = Int64(s.frameTimeoutMs)
        let perPeer = s.maxConnectionsPerPeer ?? min(256, max(1, s.maxConnections / 4))
        guard perPeer > 0, perPeer <= s.maxConnections else {
            throw ArgumentParser.ValidationError("--max-connections-per-peer must be between 1 and --max-connections (\(s.maxConnections))")
        }
        config.maxConnectionsPerPeer = perPeer
        guard s.keyRate >= 0, s.maxBufferedMib > 0 else {
            throw ArgumentParser.ValidationError("--key-rate must be 0 (off) or more, --max-buffered-mib positive")
        }
        config.keyRequestsPerSecond = s.keyRate
        config.maxBufferedRequestBytes = s.maxBufferedMib << 20
        switch (s.tlsCert, s.tlsKey) {
        case (let cert?, let key?): config.tls = ServerTLS(certificatePath: cert, keyPath: key)
        case (nil, nil): break
        default: throw ArgumentParser.ValidationError("--tls-cert and --tls-key go together: give both (or PARLEY_TLS_CERT and PARLEY_TLS_KEY), or neither")
        }
        var storeOptions = StoreOptions()
        storeOptions.mapReserve = s.mapReserveGib << 30
        return (config, storeOptions)
    }

    static func hostAndPort(_ text: String, flag: String, example: String) throws -> (host: String, port: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let port = Int(parts.last ?? ""), (0...65535).contains(port) else {
            throw ArgumentParser.ValidationError("\(flag) must be HOST:PORT, e.g. \(example)")
        }
        return (parts.dropLast().joined(separator: ":"), port)
    }
}

/// The daemon's failure, handed from its task to the waiting main thread.
private final class Outcome: @unchecked Sendable {
    // Written by the task before it signals the semaphore, read by main after waiting.
    var error: Error?
    var bootstrapped = false
}
