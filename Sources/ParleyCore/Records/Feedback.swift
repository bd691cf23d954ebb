/// Satisfaction for a whole session, or for one turn of it.
public struct Feedback: Sendable, Equatable {
    public var organizationId: String
    public var sessionId: String
    /// Empty: the feedback is for the session.
    public var turnId: String
    /// 1 ... 5.
    public var score: Int32
    public var givenAt: Millis?

    public init(organizationId: String = "", sessionId: String = "", turnId: String = "", score: Int32 = 0, givenAt: Millis? = nil) {
        self.organizationId = organizationId
        self.sessionId = sessionId
        self.turnId = turnId
        self.score = score
        self.givenAt = givenAt
    }
}
