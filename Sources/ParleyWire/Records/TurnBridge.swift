import ParleyCore

/// Turn <-> parley.v1.Turn. The bridge converts types only; the rules (required fields,
/// ranges, defaults) are ParleyCore's TurnIntake, applied by the store.
extension Turn {
    public init(proto m: ProtoMessage) {
        self.init(
            turnId: m.string("turn_id") ?? "", organizationId: m.string("organization_id") ?? "",
            sessionId: m.string("session_id") ?? "", deviceId: m.string("device_id") ?? "",
            messageId: m.string("message_id") ?? "", contactId: m.string("contact_id") ?? "",
            personaId: m.string("persona_id") ?? "", widgetId: m.string("widget_id") ?? "",
            userId: m.string("user_id") ?? "", model: m.string("model") ?? "",
            userMessage: m.string("user_message") ?? "", aiResponse: m.string("ai_response") ?? "",
            tokens: m.message("tokens").map(TokenCounts.init(proto:)),
            userMessageAt: m.int("user_message_at_ms"), repliedAt: m.int("replied_at_ms"),
            responseTime: m.int("response_time_ms"), language: m.string("language") ?? "",
            sentimentScore: m.double("sentiment_score"),
            errorCount: m.int("error_count").map { Int32(truncatingIfNeeded: $0) },
            feedbackScore: m.int("feedback_score").map { Int32(truncatingIfNeeded: $0) })
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.turn)
        m.setNonEmpty("turn_id", turnId)
        m.setNonEmpty("organization_id", organizationId)
        m.setNonEmpty("session_id", sessionId)
        m.setNonEmpty("device_id", deviceId)
        m.setNonEmpty("message_id", messageId)
        m.setNonEmpty("contact_id", contactId)
        m.setNonEmpty("persona_id", personaId)
        m.setNonEmpty("widget_id", widgetId)
        m.setNonEmpty("user_id", userId)
        m.setNonEmpty("model", model)
        m.setNonEmpty("user_message", userMessage)
        m.setNonEmpty("ai_response", aiResponse)
        m.set("tokens", tokens?.proto)
        m.set("user_message_at_ms", userMessageAt)
        m.set("replied_at_ms", repliedAt)
        m.set("response_time_ms", responseTime)
        m.setNonEmpty("language", language)
        m.set("sentiment_score", sentimentScore)
        m.set("error_count", errorCount)
        m.set("feedback_score", feedbackScore)
        if tokensEstimated { m.set("tokens_estimated", true) }
        m.set("received_at_ms", receivedAt)
        return m
    }
}

extension TokenCounts {
    public init(proto m: ProtoMessage) {
        self.init(input: m.int("input") ?? 0, output: m.int("output") ?? 0, cachedRead: m.int("cached_read") ?? 0,
                  cacheWrite: m.int("cache_write") ?? 0, total: m.int("total") ?? 0)
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.tokenCounts)
        m.set("input", input)
        m.set("output", output)
        if cachedRead != 0 { m.set("cached_read", cachedRead) }
        if cacheWrite != 0 { m.set("cache_write", cacheWrite) }
        m.set("total", total)
        return m
    }
}

extension ProtoMessage {
    /// Sets a text field, leaving it absent when empty (the records use "" for absent).
    public mutating func setNonEmpty(_ name: String, _ value: String) {
        set(name, value.isEmpty ? nil : value)
    }
}
