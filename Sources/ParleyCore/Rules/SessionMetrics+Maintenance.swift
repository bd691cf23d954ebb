// The conversation_metrics rules. Every rule here is a commutative fold, so applying
// turns, leads and feedback in any order gives the same metrics as `recompute`:
// - total_messages: 2 per turn (user message + AI reply), 1 when the user message is empty;
// - prompt/completion/total tokens: sums of the turns' input/output/total tokens;
// - start: min over turns of (userMessageAt ?? repliedAt ?? receivedAt); end: max of
//   (repliedAt ?? receivedAt); duration = end - start;
// - first turn (and the widget and user the session shows): the turn with the least
//   (start, turn id), a turn without any time sorting last;
// - average response time: mean of the known response times in integer ms, rounded
//   half up (sum + count/2) / count;
// - satisfaction: mean of every feedback score of the session, both Feedback records
//   and turns' own feedback_score;
// - lead: has_lead once any lead arrives; lead_captured_at is the earliest capture
//   (when the session became a lead); name/email/company come from the latest capture,
//   ties broken by the greater (name, email, company) so the choice is order-free.
// created/updated times are the caller's (see `touch`).

extension SessionMetrics {
    /// Empty metrics for a session that has seen nothing yet.
    public init(organizationId: String, sessionId: String) {
        self.init(organizationId: organizationId, sessionId: sessionId, widgetId: "")
    }

    public static func recompute(turns: [Turn], leads: [Lead], feedback: [Feedback]) -> SessionMetrics {
        let organizationId = turns.first?.organizationId ?? leads.first?.organizationId ?? feedback.first?.organizationId ?? ""
        let sessionId = turns.first?.sessionId ?? leads.first?.sessionId ?? feedback.first?.sessionId ?? ""
        var metrics = SessionMetrics(organizationId: organizationId, sessionId: sessionId)
        for turn in turns { metrics.apply(turn) }
        for lead in leads { metrics.apply(lead) }
        for item in feedback { metrics.apply(item) }
        return metrics
    }

    public mutating func apply(_ turn: Turn) {
        adoptIdentity(organizationId: turn.organizationId, sessionId: turn.sessionId)
        let isFirst = turnCount == 0 || Self.turnSortKey(turn.startedAt, turn.turnId) < Self.turnSortKey(conversationStart, firstTurnId)
        if isFirst {
            firstTurnId = turn.turnId
            widgetId = turn.widgetId
            userId = turn.userId
        }
        turnCount += 1
        totalMessages += turn.userMessage.isEmpty ? 1 : 2
        let tokens = turn.tokens ?? .zero
        promptTokens += tokens.input
        completionTokens += tokens.output
        totalTokens += tokens.total
        if let started = turn.startedAt {
            conversationStart = min(conversationStart ?? started, started)
        }
        if let ended = turn.endedAt {
            conversationEnd = max(conversationEnd ?? ended, ended)
        }
        if let start = conversationStart, let end = conversationEnd {
            duration = end - start
        }
        if let responseTime = turn.responseTime {
            tallies.responseTimeSum += responseTime
            tallies.responseTimeCount += 1
            averageResponseTime = Self.roundedMean(sum: tallies.responseTimeSum, count: tallies.responseTimeCount)
        }
        if let score = turn.feedbackScore {
            addFeedbackScore(score)
        }
    }

    public mutating func apply(_ lead: Lead) {
        adoptIdentity(organizationId: lead.organizationId, sessionId: lead.sessionId)
        if let captured = lead.capturedAt {
            leadCapturedAt = min(leadCapturedAt ?? captured, captured)
        }
        let incoming = Self.leadSortKey(lead.capturedAt, lead.name, lead.email, lead.company)
        let shown = Self.leadSortKey(tallies.shownLeadCapturedAt, leadName, leadEmail, leadCompany)
        if !hasLead || shown < incoming {
            leadName = lead.name
            leadEmail = lead.email
            leadCompany = lead.company
            tallies.shownLeadCapturedAt = lead.capturedAt
        }
        hasLead = true
    }

    public mutating func apply(_ feedback: Feedback) {
        adoptIdentity(organizationId: feedback.organizationId, sessionId: feedback.sessionId)
        addFeedbackScore(feedback.score)
    }

    /// Marks a write at `time`: sets createdAt on the first write and updatedAt always.
    public mutating func touch(at time: Millis) {
        if createdAt == nil { createdAt = time }
        updatedAt = time
    }

    /// Integer mean rounded half up; response times are never negative.
    static func roundedMean(sum: Int64, count: Int64) -> Int64? {
        guard count > 0 else { return nil }
        return (sum + count / 2) / count
    }

    private mutating func addFeedbackScore(_ score: Int32) {
        tallies.feedbackScoreSum += Int64(score)
        tallies.feedbackCount += 1
        userSatisfaction = Double(tallies.feedbackScoreSum) / Double(tallies.feedbackCount)
    }

    private mutating func adoptIdentity(organizationId: String, sessionId: String) {
        if self.organizationId.isEmpty { self.organizationId = organizationId }
        if self.sessionId.isEmpty { self.sessionId = sessionId }
    }

    private struct TurnSortKey: Comparable {
        let start: Millis
        let turnId: String
        static func < (a: TurnSortKey, b: TurnSortKey) -> Bool {
            if a.start != b.start { return a.start < b.start }
            return a.turnId.utf8.lexicographicallyPrecedes(b.turnId.utf8)
        }
    }

    private static func turnSortKey(_ start: Millis?, _ turnId: String) -> TurnSortKey {
        TurnSortKey(start: start ?? .max, turnId: turnId)
    }

    private struct LeadSortKey: Comparable {
        let capturedAt: Millis
        let fields: [[UInt8]]
        static func < (a: LeadSortKey, b: LeadSortKey) -> Bool {
            if a.capturedAt != b.capturedAt { return a.capturedAt < b.capturedAt }
            return a.fields.lexicographicallyPrecedes(b.fields) { $0.lexicographicallyPrecedes($1) }
        }
    }

    private static func leadSortKey(_ capturedAt: Millis?, _ name: String, _ email: String, _ company: String) -> LeadSortKey {
        LeadSortKey(capturedAt: capturedAt ?? .min, fields: [Array(name.utf8), Array(email.utf8), Array(company.utf8)])
    }
}
