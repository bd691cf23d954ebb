/// Why the server could not start or keep running.
public enum ServerError: Error, CustomStringConvertible {
    case configuration(String)
    case bind(String)

    public var description: String {
        switch self {
        case .configuration(let s): return "configuration: \(s)"
        case .bind(let s): return "cannot listen: \(s)"
        }
    }
}
