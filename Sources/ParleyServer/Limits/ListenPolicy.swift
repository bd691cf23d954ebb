import Foundation

/// Keys and conversations cross the network in clear text without TLS, so parleyd listens
/// beyond the machine only with TLS, or when told to in so many words.
enum ListenPolicy {
    /// 127.0.0.0/8, ::1 and localhost: addresses no other machine reaches.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    static func check(_ configuration: ServerConfiguration) throws {
        guard isLoopback(configuration.host) || configuration.tls != nil || configuration.insecureListen else {
            throw ServerError.configuration(
                "refusing to listen on \(configuration.host) without TLS: keys and conversations would cross the network in clear text; pass --tls-cert FILE and --tls-key FILE (docs/SECURITY.md), or --insecure-listen to accept the risk")
        }
    }
}
