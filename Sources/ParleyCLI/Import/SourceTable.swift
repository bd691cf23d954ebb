import ArgumentParser

/// The seed's MySQL tables that `parley import` reads, with the column names each
/// uses and the Parley field each column feeds.
public enum SourceTable: String, CaseIterable, ExpressibleByArgument, Sendable {
    case aiConversations = "ai_conversations"
    case messages
    case whatsappConnections = "whatsapp_connections"
    case contacts
    case personas
    case conversationMetrics = "conversation_metrics"
    case leads

    /// The fields rows of this table can fill (the targets of --map).
    public var fields: [ImportField] {
        switch self {
        case .aiConversations:
            return [.turnId, .organizationId, .sessionId, .deviceId, .messageId, .contactId, .personaId, .widgetId, .userId, .model,
                    .userMessage, .aiResponse, .inputTokens, .outputTokens, .cachedReadTokens, .cacheWriteTokens, .reasoningTokens,
                    .tokensUsed, .userMessageAt, .repliedAt, .responseTimeMs, .language, .sentimentScore, .errorCount, .feedbackScore]
        case .messages:
            return [.messageId, .organizationId, .contactId, .deviceId, .sessionId, .direction, .content, .createdAt]
        case .whatsappConnections: return [.deviceId, .organizationId, .name, .phoneNumber]
        case .contacts: return [.contactId, .organizationId, .name, .phoneNumber]
        case .personas: return [.personaId, .organizationId, .name, .defaultModel]
        case .conversationMetrics:
            return [.sessionId, .organizationId, .hasLead, .leadName, .leadEmail, .leadCompany, .userSatisfaction, .leadCapturedAt]
        case .leads: return [.sessionId, .organizationId, .name, .email, .company, .capturedAt]
        }
    }

    /// The seed's column names where they differ from Parley's field names.
    public var defaultMap: [String: ImportField] {
        switch self {
        case .aiConversations:
            // The seed's MySQL names, then the flattened names `parley export turns` writes.
            return ["id": .turnId, "created_at": .repliedAt, "response_time": .responseTimeMs,
                    "sentiment": .sentimentScore, "user_message_at": .userMessageAt, "cached_tokens": .cachedReadTokens,
                    "tokens_input": .inputTokens, "tokens_output": .outputTokens, "tokens_cached_read": .cachedReadTokens,
                    "tokens_cache_write": .cacheWriteTokens, "tokens_total": .tokensUsed, "replied_at_ms": .repliedAt,
                    "user_message_at_ms": .userMessageAt]
        case .messages:
            return ["id": .messageId, "connection_id": .deviceId, "whatsapp_connection_id": .deviceId, "body": .content,
                    "text": .content, "message": .content, "timestamp": .createdAt, "created_at_ms": .createdAt]
        case .whatsappConnections: return ["id": .deviceId, "device_name": .name, "phone": .phoneNumber]
        case .contacts: return ["id": .contactId, "phone": .phoneNumber]
        case .personas: return ["id": .personaId, "model": .defaultModel]
        case .conversationMetrics: return ["updated_at": .leadCapturedAt]
        case .leads: return ["created_at": .capturedAt]
        }
    }

    /// Which table a header belongs to, from columns only that table has.
    public static func detect(columns: [String]) -> SourceTable? {
        let c = Set(columns)
        if c.contains("ai_response") || c.contains("tokens_used") || c.contains("turn_id") { return .aiConversations }
        if c.contains("has_lead") || c.contains("conversation_duration") || c.contains("user_satisfaction") { return .conversationMetrics }
        if c.contains("direction") && (c.contains("content") || c.contains("body")) { return .messages }
        if c.contains("device_name") { return .whatsappConnections }
        if c.contains("email") && c.contains("session_id") { return .leads }
        if c.contains("default_model") || (c.contains("model") && c.contains("name")) { return .personas }
        if c.contains("phone_number") && c.contains("name") { return .contacts }
        return nil
    }
}
