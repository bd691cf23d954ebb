import ParleyWire

/// Failures that are not a server's answer: no connection, or a broken one.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The server could not be reached at all.
    case unreachable(String)
    /// The server rejected the HELLO (usually the key).
    case rejected(RPCError)
    /// The connection closed while the call was in flight: it may or may not have run.
    case connectionLost(String)
    /// TLS could not be set up or the handshake failed (an untrusted certificate, a server
    /// without TLS); the text says which.
    case tls(String)

    public var description: String {
        switch self {
        case .unreachable(let s): return "cannot reach the server: \(s)"
        case .rejected(let e): return "the server refused the connection: \(e)"
        case .connectionLost(let s): return "the connection was lost: \(s)"
        case .tls(let s): return "TLS: \(s)"
        }
    }
}
