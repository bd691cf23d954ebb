import ArgumentParser
import Foundation
import ParleyClient

/// Where the CLI connects, with which key, and whether over TLS. Resolution order: flags,
/// then PARLEY_ADDR / PARLEY_KEY / PARLEY_TLS / PARLEY_CA, then ~/.config/parley/config,
/// then (the key only) the admin.key of a local server's data directory ($PARLEY_DATA_DIR,
/// else ./data).
public struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Server address, HOST:PORT (default 127.0.0.1:7420).")
    public var addr: String?

    @Option(name: .long, help: "API key.")
    public var key: String?

    @Flag(name: .long, help: "Connect with TLS, trusting the system's CAs unless --ca names one (PARLEY_TLS=1).")
    public var tls = false

    @Option(name: .long, help: "PEM file of the CA that signed the server's certificate; implies --tls (PARLEY_CA).")
    public var ca: String?

    public init() {}

    /// The resolved client configuration, or a usage error naming what is missing.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClientConfiguration {
        let file = ConfigFile.load(environment: environment)
        let address = addr ?? environment["PARLEY_ADDR"] ?? file["addr"] ?? "127.0.0.1:7420"
        guard let (host, port) = ConnectionOptions.split(address) else {
            throw CLIError.usage("the address \"\(address)\" is not HOST:PORT")
        }
        let dataDir = environment["PARLEY_DATA_DIR"] ?? "data"
        let localKey = (try? String(contentsOfFile: (dataDir as NSString).appendingPathComponent("admin.key"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let givenKey = key ?? environment["PARLEY_KEY"] ?? file["key"]
        // The local admin.key is the global admin key: it never leaves this machine.
        if givenKey == nil, localKey != nil, !ConnectionOptions.isLoopback(host) {
            throw CLIError.usage("the local admin.key is sent only to a loopback address, not to \(host); pass --key or set PARLEY_KEY with a key made for that server")
        }
        guard let apiKey = givenKey ?? localKey, !apiKey.isEmpty else {
            throw CLIError.usage("no API key: pass --key, set PARLEY_KEY, add key=... to ~/.config/parley/config, or run next to a local server's data directory")
        }
        var config = ClientConfiguration(host: host, port: port, apiKey: apiKey, clientName: "parley-cli")
        config.connectTimeoutMs = 3_000
        config.tls = try resolveTLS(environment: environment, file: file)
        return config
    }

    /// TLS when --tls, --ca, PARLEY_TLS, PARLEY_CA or the file's `tls`/`ca` ask for it.
    func resolveTLS(environment: [String: String], file: [String: String]) throws -> ClientTLS? {
        let caFile = ca ?? environment["PARLEY_CA"] ?? file["ca"]
        if tls || caFile != nil { return ClientTLS(caFile: caFile) }
        // The variable wins over the file, as for the address and the key.
        guard let (source, value) = environment["PARLEY_TLS"].map({ ("PARLEY_TLS", $0) }) ?? file["tls"].map({ ("tls in the config file", $0) })
        else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return ClientTLS()
        case "0", "false", "no", "off", "": return nil
        default: throw CLIError.usage("\(source) must be 1 or 0 (true or false), not \"\(value)\"")
        }
    }

    /// 127.0.0.0/8, ::1 and localhost: addresses that never leave the machine.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    static func split(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        let host = String(address[..<colon])
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

/// ~/.config/parley/config: `name = value` lines (addr, key, tls, ca); # starts a comment.
enum ConfigFile {
    static func load(environment: [String: String]) -> [String: String] {
        let base = environment["XDG_CONFIG_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        guard let text = try? String(contentsOfFile: base + "/parley/config", encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let parts = content.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }
}
