import Foundation

/// Keys and conversations travel in clear text without TLS, so parleyd listens beyond
/// the machine only when told to in so many words.
enum ListenPolicy {
    /// 127.0.0.0/8, ::1 and localhost: addresses no other machine reaches.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    static func check(_ configuration: ServerConfiguration) throws {
        guard isLoopback(configuration.host) || configuration.insecureListen else {
            throw ServerError.configuration(
                "refusing to listen on \(configuration.host): this build has no TLS, so keys and conversations would cross the network in clear text; listen on 127.0.0.1 behind a TLS proxy, or pass --insecure-listen to accept the risk")
        }
    }
}
