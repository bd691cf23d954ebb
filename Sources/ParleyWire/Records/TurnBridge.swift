import ParleyCore

/// Turn <-> parley.v1.Turn. The bridge converts types only; the rules (required fields,
/// ranges, defaults) are ParleyCore's TurnIntake, applied by the store. The records use
/// "" for an absent text, so empty text stays absent on the wire.
extension Turn {
    /// Throws when `usage` sets more than one provider's shape: which convention the
    /// counts have must be unambiguous.
    public init(wire m: V1.Turn) throws(ValidationError) {
        let usage = try m.usage.map { (u: V1.ProviderUsage) throws(ValidationError) in try ProviderUsage(wire: u) }
        self.init(
            turnId: m.turnID ?? "", organizationId: m.organizationID ?? "",
            sessionId: m.sessionID ?? "", deviceId: m.deviceID ?? "",
            messageId: m.messageID ?? "", contactId: m.contactID ?? "",
            personaId: m.personaID ?? "", widgetId: m.widgetID ?? "",
            userId: m.userID ?? "", model: m.model ?? "",
            userMessage: m.userMessage ?? "", aiResponse: m.aiResponse ?? "",
            tokens: m.tokens.map(TokenCounts.init(wire:)), usage: usage,
            userMessageAt: m.userMessageAtMs, repliedAt: m.repliedAtMs,
            responseTime: m.responseTimeMs, language: m.language ?? "",
            sentimentScore: m.sentimentScore,
            errorCount: m.errorCount, feedbackScore: m.feedbackScore)
    }

    public var wire: V1.Turn {
        V1.Turn(
            turnID: turnId.nonEmpty, organizationID: organizationId.nonEmpty, sessionID: sessionId.nonEmpty,
            deviceID: deviceId.nonEmpty, messageID: messageId.nonEmpty, contactID: contactId.nonEmpty,
            personaID: personaId.nonEmpty, widgetID: widgetId.nonEmpty, userID: userId.nonEmpty,
            model: model.nonEmpty, userMessage: userMessage.nonEmpty, aiResponse: aiResponse.nonEmpty,
            tokens: tokens?.wire, userMessageAtMs: userMessageAt, repliedAtMs: repliedAt,
            responseTimeMs: responseTime, language: language.nonEmpty, sentimentScore: sentimentScore,
            errorCount: errorCount, feedbackScore: feedbackScore,
            tokensEstimated: tokensEstimated ? true : nil, receivedAtMs: receivedAt,
            usage: usage?.wire ?? nil, tokenCountMethod: tokenCountMethod.map(V1.TokenCountMethod.init))
    }
}

extension TokenCounts {
    public init(wire m: V1.TokenCounts) {
        self.init(input: m.input ?? 0, output: m.output ?? 0, cachedRead: m.cachedRead ?? 0,
                  cacheWrite: m.cacheWrite ?? 0, total: m.total ?? 0, reasoning: m.reasoning ?? 0)
    }

    public var wire: V1.TokenCounts {
        V1.TokenCounts(input: input, output: output, cachedRead: cachedRead == 0 ? nil : cachedRead,
                       cacheWrite: cacheWrite == 0 ? nil : cacheWrite, total: total, reasoning: reasoning == 0 ? nil : reasoning)
    }
}

extension String {
    /// nil for "": the records' absent text is absent on the wire.
    public var nonEmpty: String? { isEmpty ? nil : self }
}
