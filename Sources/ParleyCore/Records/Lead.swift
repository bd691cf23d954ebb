/// A lead captured during a session.
public struct Lead: Sendable, Equatable {
    public var organizationId: String
    public var sessionId: String
    public var name: String
    public var email: String
    public var company: String
    /// nil on input: the server's receive time.
    public var capturedAt: Millis?

    public init(organizationId: String = "", sessionId: String = "", name: String = "", email: String = "", company: String = "", capturedAt: Millis? = nil) {
        self.organizationId = organizationId
        self.sessionId = sessionId
        self.name = name
        self.email = email
        self.company = company
        self.capturedAt = capturedAt
    }
}
