import ArgumentParser
import Foundation
import ParleyClient
import ParleyWire

/// `parley admin keys create|list|revoke`: API keys with a role and an organization.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (role ingest, read or admin; one organization or global).",
        discussion: """
        Examples:
          parley admin keys create --role ingest --org acme --label "chat backend"
          parley admin keys list --org acme
          parley admin keys revoke key_Ab12Cd34Ef56
        """,
        subcommands: [Create.self, List.self, Revoke.self])

    /// The roles as the command line spells them.
    enum RoleName: String, ExpressibleByArgument, CaseIterable {
        case ingest, read, admin

        var wire: V1.KeyRole {
            switch self {
            case .ingest: return .ingest
            case .read: return .read
            case .admin: return .admin
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key; its secret is printed once and cannot be shown again.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "ingest (writes), read (reports, threads, exports) or admin.")
        var role: RoleName
        @Option(help: "The organization the key acts for; leave out with an admin role for a global key.")
        var org: String?
        @Option(help: "A note saying who holds the key.")
        var label: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let request = V1.CreateKeyRequest(role: role.wire, organizationID: org, label: label)
            try await CLIRun.withClient(connection) { client in
                let answer = try await client.createKey(request)
                let info = answer.info ?? V1.ApiKeyInfo()
                switch output.format {
                case .json:
                    var object = KeysCommand.object(info)
                    object["secret"] = answer.secret ?? ""
                    Terminal.current.line(KeysCommand.json(object))
                case .table, .csv:
                    Terminal.current.write(KeysCommand.table([info], format: output.format))
                    Terminal.current.line()
                    Terminal.current.line("secret: \(answer.secret ?? "")")
                    Terminal.current.line("Keep it now: the server stores only its digest and cannot show it again.")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the keys this key may see (never their secrets).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only this organization's keys.")
        var org: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLIRun.withClient(connection) { client in
                let keys = try await client.listKeys(V1.ListKeysRequest(organizationID: org)).keys
                switch output.format {
                case .json: Terminal.current.line("[" + keys.map { KeysCommand.json(KeysCommand.object($0)) }.joined(separator: ",") + "]")
                case .table, .csv: Terminal.current.write(KeysCommand.table(keys, format: output.format))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: refused from its connections' next call on.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The key id that `parley admin keys list` shows.")
        var keyID: String

        func run() async throws {
            try await CLIRun.withClient(connection) { client in
                _ = try await client.revokeKey(V1.RevokeKeyRequest(keyID: keyID))
                Terminal.current.line("revoked \(keyID)")
            }
        }
    }

    static func roleName(_ role: V1.KeyRole?) -> String {
        switch role {
        case .ingest: return "ingest"
        case .read: return "read"
        case .admin: return "admin"
        case .keyRoleUnspecified, nil: return "unspecified"
        }
    }

    static func table(_ keys: [V1.ApiKeyInfo], format: OutputFormat) -> String {
        var t = Table(columns: ["key id", "role", "organization", "label", "created", "revoked"])
        for k in keys {
            t.add([k.keyID ?? "", roleName(k.role), k.organizationID ?? "(global)", k.label ?? "",
                   time(k.createdAtMs), k.revokedAtMs.map(time) ?? ""])
        }
        return format == .csv ? t.csv() : t.render() + "\n"
    }

    static func object(_ k: V1.ApiKeyInfo) -> [String: Any] {
        var o: [String: Any] = ["key_id": k.keyID ?? "", "role": roleName(k.role), "organization_id": k.organizationID ?? "",
                                "label": k.label ?? "", "created_at_ms": k.createdAtMs ?? 0]
        if let revoked = k.revokedAtMs { o["revoked_at_ms"] = revoked }
        return o
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func time(_ ms: Int64?) -> String {
        guard let ms, ms > 0 else { return "" }
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
