/// A replay plan that cannot run, with the reason.
public enum ReplayPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let reason): return "invalid replay: \(reason)"
        }
    }
}
