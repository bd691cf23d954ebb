/// A profile that cannot generate traffic, with the reason.
public enum TrafficProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .invalid(let reason): return "invalid traffic profile: \(reason)"
        case .unknownTimeZone(let name): return "unknown time zone \"\(name)\"; give an IANA name such as \"Europe/Berlin\""
        }
    }
}
