/// Validates a turn as the caller sent it and produces the turn as stored.
///
/// Fills, in order: token counts (the provider's `usage` normalised once into Parley's
/// convention; else the given counts with total = input + cachedRead + cacheWrite +
/// output when left 0; else counted from the text by `tokenCounter`), where they came
/// from (`tokenCountMethod`), the model (the persona's default when empty), the reply time (the receive
/// time when absent) and the response time (repliedAt - userMessageAt when both are
/// known and not reversed; a reply stamped before its message, from clock skew, leaves
/// the response time unknown rather than negative).
public struct TurnIntake: Sendable {
    public var limits: Limits
    /// Counts the text of turns that come with no counts and no usage.
    public var tokenCounter: any TurnTokenCounter

    public init(limits: Limits = Limits(), tokenCounter: any TurnTokenCounter = EstimatingTokenCounter()) {
        self.limits = limits
        self.tokenCounter = tokenCounter
    }

    public func accept(_ raw: Turn, personaDefaultModel: String?, receivedAt: Millis) throws(ValidationError) -> Turn {
        try validate(raw)
        var turn = raw
        turn.receivedAt = receivedAt
        if let usage = raw.usage {
            turn.tokens = try normalized(usage)
            turn.tokenCountMethod = .given
        } else if let given = raw.tokens {
            var tokens = given
            if tokens.total == 0 { tokens.total = given.sumOfKinds } // cannot overflow: validate() capped each count
            turn.tokens = tokens
            turn.tokenCountMethod = raw.tokenCountMethod ?? .given // set only by `counted(_:)`
        } else {
            turn = counted(turn)
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

    /// `raw` with its text counted when it came with neither counts nor usage. The store
    /// calls this on the caller's task before the turn reaches the one writer thread, so
    /// counting runs in parallel and adds nothing to the writer's time per turn.
    public func counted(_ raw: Turn) -> Turn {
        guard raw.tokens == nil, raw.usage == nil else { return raw }
        var turn = raw
        let input = tokenCounter.count(raw.userMessage)
        let output = tokenCounter.count(raw.aiResponse)
        turn.tokens = TokenCounts(input: input, output: output, total: input + output) // each count is at most its text's bytes: no overflow
        turn.tokenCountMethod = tokenCounter.method
        return turn
    }

    /// The provider's usage in Parley's convention, its total within the turn limit.
    private func normalized(_ usage: ProviderUsage) throws(ValidationError) -> TokenCounts {
        let field = "usage.\(usage.convention.rawValue)"
        let counts: TokenCounts
        do {
            counts = try usage.normalized().tokenCounts
        } catch {
            throw ValidationError([FieldViolation(field: field, reason: error.description)])
        }
        if counts.total > limits.maxTokensPerTurn {
            throw ValidationError([FieldViolation(field: field, reason: "adds up to \(counts.total) tokens; at most \(limits.maxTokensPerTurn) per turn, send the counts the model reported")])
        }
        return counts
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
        if turn.tokens != nil && turn.usage != nil {
            check.add("usage", "is given with tokens; send the provider's usage or Parley's counts, not both")
        }
        if let tokens = turn.tokens {
            if tokens.reasoning > tokens.output {
                check.add("tokens.reasoning", "is \(tokens.reasoning) but output is \(tokens.output); reasoning is the part of output that was reasoning")
            }
            for (value, field) in [
                (tokens.input, "tokens.input"), (tokens.output, "tokens.output"),
                (tokens.cachedRead, "tokens.cached_read"), (tokens.cacheWrite, "tokens.cache_write"),
                (tokens.total, "tokens.total"), (tokens.reasoning, "tokens.reasoning"),
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
