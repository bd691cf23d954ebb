/// One bad field of a request: its path ("turns[3].tokens.input") and what is wrong with it.
public struct FieldViolation: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
