/// The seed's conversation_metrics row for one session, kept up to date incrementally
/// (see SessionMetrics+Maintenance.swift for the rules).
///
/// `averageResponseTime` and `userSatisfaction` are the wire shape; `tallies` hold the
/// sums and counts they derive from, so that each increment stays exact. A value built
/// from the wire alone carries the averages with empty tallies.
public struct SessionMetrics: Sendable, Equatable {
    public var organizationId: String
    public var sessionId: String
    public var widgetId: String
    public var userId: String
    /// The seed's conversation_id: the session's earliest turn.
    public var firstTurnId: String
    /// User messages + AI replies.
    public var totalMessages: Int64
    public var totalTokens: Int64
    public var promptTokens: Int64
    public var completionTokens: Int64
    public var conversationStart: Millis?
    public var conversationEnd: Millis?
    public var duration: Millis?
    public var averageResponseTime: Millis?
    public var hasLead: Bool
    public var leadName: String
    public var leadEmail: String
    public var leadCompany: String
    /// Mean feedback score; nil when nobody rated the session.
    public var userSatisfaction: Double?
    /// Set by the caller (the writer), not by the maintenance rules.
    public var createdAt: Millis?
    /// Set by the caller (the writer), not by the maintenance rules.
    public var updatedAt: Millis?
    public var turnCount: Int64
    public var leadCapturedAt: Millis?
    public var tallies: SessionTallies

    public init(
        organizationId: String = "", sessionId: String = "", widgetId: String = "",
        userId: String = "", firstTurnId: String = "", totalMessages: Int64 = 0,
        totalTokens: Int64 = 0, promptTokens: Int64 = 0, completionTokens: Int64 = 0,
        conversationStart: Millis? = nil, conversationEnd: Millis? = nil, duration: Millis? = nil,
        averageResponseTime: Millis? = nil, hasLead: Bool = false, leadName: String = "",
        leadEmail: String = "", leadCompany: String = "", userSatisfaction: Double? = nil,
        createdAt: Millis? = nil, updatedAt: Millis? = nil, turnCount: Int64 = 0,
        leadCapturedAt: Millis? = nil, tallies: SessionTallies = SessionTallies()
    ) {
        self.organizationId = organizationId
        self.sessionId = sessionId
        self.widgetId = widgetId
        self.userId = userId
        self.firstTurnId = firstTurnId
        self.totalMessages = totalMessages
        self.totalTokens = totalTokens
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.conversationStart = conversationStart
        self.conversationEnd = conversationEnd
        self.duration = duration
        self.averageResponseTime = averageResponseTime
        self.hasLead = hasLead
        self.leadName = leadName
        self.leadEmail = leadEmail
        self.leadCompany = leadCompany
        self.userSatisfaction = userSatisfaction
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.turnCount = turnCount
        self.leadCapturedAt = leadCapturedAt
        self.tallies = tallies
    }
}

/// The running sums behind a session's averages, and the capture time of the lead
/// whose details the session shows.
public struct SessionTallies: Sendable, Equatable {
    public var responseTimeSum: Int64
    public var responseTimeCount: Int64
    public var feedbackScoreSum: Int64
    public var feedbackCount: Int64
    /// Capture time of the lead shown in leadName/leadEmail/leadCompany.
    public var shownLeadCapturedAt: Millis?

    public init(responseTimeSum: Int64 = 0, responseTimeCount: Int64 = 0, feedbackScoreSum: Int64 = 0, feedbackCount: Int64 = 0, shownLeadCapturedAt: Millis? = nil) {
        self.responseTimeSum = responseTimeSum
        self.responseTimeCount = responseTimeCount
        self.feedbackScoreSum = feedbackScoreSum
        self.feedbackCount = feedbackCount
        self.shownLeadCapturedAt = shownLeadCapturedAt
    }
}
