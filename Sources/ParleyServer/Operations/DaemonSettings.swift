import Configuration
import Foundation
import SystemPackage

/// parleyd's settings, each from the first source that has it: the command-line flag,
/// then the `PARLEY_*` environment variable, then the JSON configuration file, then the
/// default. A setting's key is its flag's name (`max-connections`), its variable that
/// name upper-cased with `PARLEY_` in front (`PARLEY_MAX_CONNECTIONS`), and its file
/// entry the same name at the top level (`{"max-connections": 2048}`).
public struct DaemonSettings: Sendable, Equatable {
    public var listen = "127.0.0.1:7420"
    public var dataDir = "./data"
    public var logLevel = "info"
    public var logFormat = "text"
    public var maxConnections = 1024
    public var maxInFlight = 128
    public var maxFrameSize = 4 * 1024 * 1024
    public var idleTimeout = 300
    public var mapReserveGib = 64
    public var retainDays = 0
    public var metricsListen: String?
    public var shutdownGrace = 30
    public var slowCallMs = 1000
    public var helloTimeoutMs = 5_000
    public var frameTimeoutMs = 10_000
    /// nil: 256, or a quarter of max-connections if that is less.
    public var maxConnectionsPerPeer: Int?
    public var keyRate = 100_000
    public var maxBufferedMib = 256
    /// PEM files of the RPC listener's TLS identity; both or neither.
    public var tlsCert: String?
    public var tlsKey: String?
    /// The cl100k_base vocabulary file; nil: where Tools/install-vocab puts it.
    public var vocab: String?

    public init() {}

    /// The settings' keys, one per flag.
    public enum Key: String, CaseIterable, Sendable {
        case listen, dataDir = "data-dir", logLevel = "log-level", logFormat = "log-format"
        case maxConnections = "max-connections", maxInFlight = "max-in-flight", maxFrameSize = "max-frame-size"
        case idleTimeout = "idle-timeout", mapReserveGib = "map-reserve-gib", retainDays = "retain-days"
        case metricsListen = "metrics-listen", shutdownGrace = "shutdown-grace", slowCallMs = "slow-call-ms"
        case helloTimeoutMs = "hello-timeout-ms", frameTimeoutMs = "frame-timeout-ms"
        case maxConnectionsPerPeer = "max-connections-per-peer", keyRate = "key-rate", maxBufferedMib = "max-buffered-mib"
        case tlsCert = "tls-cert", tlsKey = "tls-key"
        case vocab

        var configKey: ConfigKey { ConfigKey(rawValue) }
        /// The environment variable that sets it.
        public var environmentVariable: String {
            "PARLEY_" + rawValue.uppercased().replacingOccurrences(of: "-", with: "_")
        }
    }

    /// A flag's value as parsed; flags not given are absent.
    public enum FlagValue: Sendable {
        case text(String)
        case number(Int)
    }

    /// Resolves every setting. `file` is the JSON configuration file (`--config` or
    /// `PARLEY_CONFIG`); a missing or malformed file is an error, not an empty source.
    public static func resolve(flags: [Key: FlagValue], environment: [String: String], file: String?) async throws -> DaemonSettings {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            switch value {
            case .text(let s): values[AbsoluteConfigKey(key.configKey)] = ConfigValue(.string(s), isSecret: false)
            case .number(let n): values[AbsoluteConfigKey(key.configKey)] = ConfigValue(.int(n), isSecret: false)
            }
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ConfigKey("parley")),
        ]
        if let file {
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(file)))
            } catch {
                throw ServerError.configuration("cannot read the configuration file \(file): \(error)")
            }
        }
        let reader = Reader(config: ConfigReader(providers: providers), file: file)
        var s = DaemonSettings()
        s.listen = try reader.text(.listen) ?? s.listen
        s.dataDir = try reader.text(.dataDir) ?? s.dataDir
        s.logLevel = try reader.text(.logLevel) ?? s.logLevel
        s.logFormat = try reader.text(.logFormat) ?? s.logFormat
        s.maxConnections = try reader.number(.maxConnections) ?? s.maxConnections
        s.maxInFlight = try reader.number(.maxInFlight) ?? s.maxInFlight
        s.maxFrameSize = try reader.number(.maxFrameSize) ?? s.maxFrameSize
        s.idleTimeout = try reader.number(.idleTimeout) ?? s.idleTimeout
        s.mapReserveGib = try reader.number(.mapReserveGib) ?? s.mapReserveGib
        s.retainDays = try reader.number(.retainDays) ?? s.retainDays
        s.metricsListen = try reader.text(.metricsListen) ?? s.metricsListen
        s.shutdownGrace = try reader.number(.shutdownGrace) ?? s.shutdownGrace
        s.slowCallMs = try reader.number(.slowCallMs) ?? s.slowCallMs
        s.helloTimeoutMs = try reader.number(.helloTimeoutMs) ?? s.helloTimeoutMs
        s.frameTimeoutMs = try reader.number(.frameTimeoutMs) ?? s.frameTimeoutMs
        s.maxConnectionsPerPeer = try reader.number(.maxConnectionsPerPeer) ?? s.maxConnectionsPerPeer
        s.keyRate = try reader.number(.keyRate) ?? s.keyRate
        s.maxBufferedMib = try reader.number(.maxBufferedMib) ?? s.maxBufferedMib
        s.tlsCert = try reader.text(.tlsCert) ?? s.tlsCert
        s.tlsKey = try reader.text(.tlsKey) ?? s.tlsKey
        s.vocab = try reader.text(.vocab) ?? s.vocab
        return s
    }

    /// Typed look-ups that turn a value of the wrong type into an error naming where to
    /// fix it, instead of silently falling back to the default.
    private struct Reader {
        let config: ConfigReader
        let file: String?

        func text(_ key: Key) throws -> String? {
            if let s = config.string(forKey: key.configKey) { return s }
            if config.int(forKey: key.configKey) != nil { throw mistyped(key, "text") }
            return nil
        }

        func number(_ key: Key) throws -> Int? {
            if let n = config.int(forKey: key.configKey) { return n }
            if let s = config.string(forKey: key.configKey) { throw mistyped(key, "a whole number, not \"\(s)\"") }
            return nil
        }

        private func mistyped(_ key: Key, _ expected: String) -> ServerError {
            let inFile = file.map { ", or \"\(key.rawValue)\" in \($0)" } ?? ""
            return .configuration("--\(key.rawValue) (or \(key.environmentVariable)\(inFile)) must be \(expected)")
        }
    }
}
