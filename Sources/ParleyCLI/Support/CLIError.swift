import ArgumentParser
import ParleyClient
import ParleyWire

/// The one line a failed command prints, and its exit code. Scripts can tell the kinds
/// of failure apart by the code alone.
public enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case unreachable(String)
    /// The TLS handshake failed: an untrusted certificate, or TLS on one side only.
    case tls(String)
    case authentication(String)
    case server(RPCError)
    case local(String)

    /// 64 usage, 69 unreachable or TLS refused, 77 authentication or permission, 65 the server rejected
    /// the input, 70 any other server-side failure, 1 a local failure.
    public var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .unreachable, .tls: return 69
        case .authentication: return 77
        case .server(let e):
            switch e.status {
            case .unauthenticated, .permissionDenied: return 77
            case .invalidArgument, .notFound, .alreadyExists, .outOfRange, .failedPrecondition: return 65
            case .unavailable: return 69
            default: return 70
            }
        case .local: return 1
        }
    }

    public var description: String {
        switch self {
        case .usage(let s): return "parley: \(s)"
        case .unreachable(let s): return "parley: cannot reach the server: \(s). Is parleyd running (Tools/serve), and is --addr right?"
        case .tls(let s): return "parley: TLS: \(s)"
        case .authentication(let s): return "parley: the server refused the key: \(s). Check --key or PARLEY_KEY."
        case .server(let e):
            var line = "parley: the server answered \(e.status.name): \(e.message)"
            if !e.violations.isEmpty { line += " [" + e.violations.map(\.description).joined(separator: "; ") + "]" }
            if e.status == .unimplemented { line += ". The server is older than this parley: upgrade parleyd." }
            return line
        case .local(let s): return "parley: \(s)"
        }
    }

    /// Any error from the client library, as the CLI reports it.
    public init(_ error: Error) {
        switch error {
        case let e as CLIError: self = e
        case let e as RPCError: self = e.status == .unauthenticated ? .authentication(e.message) : .server(e)
        case let e as ClientError:
            switch e {
            case .unreachable(let s): self = .unreachable(s)
            case .rejected(let r): self = r.status == .unauthenticated ? .authentication(r.message) : .server(r)
            case .connectionLost(let s): self = .unreachable(s)
            case .tls(let s): self = .tls(s)
            }
        default: self = .local("\(error)")
        }
    }
}
