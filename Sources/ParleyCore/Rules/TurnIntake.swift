/// Validates a turn as the caller sent it and produces the turn as stored.
///
/// Fills, in order: token counts (estimated when absent, total = input + output when
/// left 0), the model (the persona's default when empty), the reply time (the receive
/// time when absent) and the response time (repliedAt - userMessageAt when both are
/// known and not reversed; a reply stamped before its message, from clock skew, leaves
/// the response time unknown rather than negative).
public struct TurnIntake: Sendable {
    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public func accept(_ raw: Turn, personaDefaultModel: String?, receivedAt: Millis) throws(ValidationError) -> Turn {
        try validate(raw)
        var turn = raw
        turn.receivedAt = receivedAt
        if let given = raw.tokens {
            var tokens = given
            if tokens.total == 0 { tokens.total = given.input + given.output } // cannot overflow: validate() capped each count
            turn.tokens = tokens
            turn.tokensEstimated = false
        } else {
            let input = TokenEstimator.estimate(raw.userMessage)
            let output = TokenEstimator.estimate(raw.aiResponse)
            turn.tokens = TokenCounts(input: input, output: output, total: input + output)
            turn.tokensEstimated = true
        }
        if turn.model.isEmpty, let fallback = personaDefaultModel {
            turn.model = fallback
        }
        let repliedAt = raw.repliedAt ?? receivedAt
        turn.repliedAt = repliedAt
        if raw.responseTime == nil, let asked = raw.userMessageAt, repliedAt >= asked {
            turn.responseTime = repliedAt - asked
        }
        return turn
    }

    /// Whether `raw`, sent again with an id already stored as `stored`, is the same write.
    /// `raw` goes through the same intake with the stored receive time, so fields the
    /// server filled the first time are filled the same way.
    public func isRetry(_ raw: Turn, of stored: Turn, personaDefaultModel: String?) -> Bool {
        guard let normalized = try? accept(raw, personaDefaultModel: personaDefaultModel, receivedAt: stored.receivedAt ?? 0) else {
            return false
        }
        return normalized.hasSameContent(as: stored)
    }

    public func validate(_ turn: Turn) throws(ValidationError) {
        var check = ViolationCollector()
        check.requireIdentifier(turn.turnId, field: "turn_id")
        check.requireIdentifier(turn.organizationId, field: "organization_id")
        check.requireIdentifier(turn.sessionId, field: "session_id")
        for (value, field) in [
            (turn.deviceId, "device_id"), (turn.messageId, "message_id"), (turn.contactId, "contact_id"),
            (turn.personaId, "persona_id"), (turn.widgetId, "widget_id"), (turn.userId, "user_id"),
        ] where !value.isEmpty {
            check.checkIdentifier(value, field: field)
        }
        check.checkText(turn.model, field: "model", maxBytes: limits.maxNameBytes)
        check.checkText(turn.language, field: "language", maxBytes: limits.maxNameBytes)
        check.checkText(turn.userMessage, field: "user_message", maxBytes: limits.maxTextBytes)
        check.checkText(turn.aiResponse, field: "ai_response", maxBytes: limits.maxTextBytes)
        if let tokens = turn.tokens {
            for (value, field) in [
                (tokens.input, "tokens.input"), (tokens.output, "tokens.output"),
                (tokens.cachedRead, "tokens.cached_read"), (tokens.cacheWrite, "tokens.cache_write"),
                (tokens.total, "tokens.total"),
            ] {
                if value < 0 {
                    check.add(field, "is \(value); token counts are 0 or more")
                } else if value > limits.maxTokensPerTurn {
                    check.add(field, "is \(value); at most \(limits.maxTokensPerTurn) per turn, send the counts the model reported")
                }
            }
        }
        check.checkTime(turn.userMessageAt, field: "user_message_at_ms")
        check.checkTime(turn.repliedAt, field: "replied_at_ms")
        if let responseTime = turn.responseTime, responseTime < 0 {
            check.add("response_time_ms", "is \(responseTime); a response time is 0 ms or more")
        }
        if let sentiment = turn.sentimentScore, !(sentiment >= -1 && sentiment <= 1) {
            check.add("sentiment_score", "is \(sentiment); sentiment is a number from -1 to 1")
        }
        if let errors = turn.errorCount, errors < 0 {
            check.add("error_count", "is \(errors); the retry count is 0 or more")
        }
        check.checkScore(turn.feedbackScore, field: "feedback_score")
        try check.finish()
    }
}
