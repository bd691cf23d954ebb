/// A peer broke the framing rules. The connection answers with GOAWAY carrying `status`
/// and `message`, then closes.
public struct ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: StatusCode
    public var message: String

    public init(_ status: StatusCode, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.name): \(message)" }
}
