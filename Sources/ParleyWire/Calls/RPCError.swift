/// The failure of a call as both ends see it: a status other than OK, a message a person
/// can act on, the fields that were wrong, and when to retry.
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: StatusCode
    public var message: String
    public var violations: [FieldViolation]
    public var retryAfterMs: UInt32?

    public init(_ status: StatusCode, _ message: String, violations: [FieldViolation] = [], retryAfterMs: UInt32? = nil) {
        self.status = status
        self.message = message
        self.violations = violations
        self.retryAfterMs = retryAfterMs
    }

    public var description: String {
        var s = "\(status.name): \(message)"
        if !violations.isEmpty { s += " (" + violations.map(\.description).joined(separator: "; ") + ")" }
        return s
    }

    public static func invalidArgument(_ violations: [FieldViolation]) -> RPCError {
        let what = violations.count == 1 ? "1 field is invalid" : "\(violations.count) fields are invalid"
        return RPCError(.invalidArgument, what, violations: violations)
    }
}
