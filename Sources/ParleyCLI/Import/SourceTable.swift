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
    public var fields: [String] {
        switch self {
        case .aiConversations:
            return ["turn_id", "organization_id", "session_id", "device_id", "message_id", "contact_id", "persona_id",
                    "widget_id", "user_id", "model", "user_message", "ai_response", "input_tokens", "output_tokens",
                    "cached_read_tokens", "cache_write_tokens", "reasoning_tokens", "tokens_used", "user_message_at", "replied_at",
                    "response_time_ms", "language", "sentiment_score", "error_count", "feedback_score"]
        case .messages:
            return ["message_id", "organization_id", "contact_id", "device_id", "session_id", "direction", "content", "created_at"]
        case .whatsappConnections: return ["device_id", "organization_id", "name", "phone_number"]
        case .contacts: return ["contact_id", "organization_id", "name", "phone_number"]
        case .personas: return ["persona_id", "organization_id", "name", "default_model"]
        case .conversationMetrics:
            return ["session_id", "organization_id", "has_lead", "lead_name", "lead_email", "lead_company",
                    "user_satisfaction", "lead_captured_at"]
        case .leads: return ["session_id", "organization_id", "name", "email", "company", "captured_at"]
        }
    }

    /// The seed's column names where they differ from Parley's field names.
    public var defaultMap: [String: String] {
        switch self {
        case .aiConversations:
            // The seed's MySQL names, then the flattened names `parley export turns` writes.
            return ["id": "turn_id", "created_at": "replied_at", "response_time": "response_time_ms",
                    "sentiment": "sentiment_score", "user_message_at": "user_message_at", "cached_tokens": "cached_read_tokens",
                    "tokens_input": "input_tokens", "tokens_output": "output_tokens", "tokens_cached_read": "cached_read_tokens",
                    "tokens_cache_write": "cache_write_tokens", "tokens_total": "tokens_used", "replied_at_ms": "replied_at",
                    "user_message_at_ms": "user_message_at"]
        case .messages:
            return ["id": "message_id", "connection_id": "device_id", "whatsapp_connection_id": "device_id", "body": "content",
                    "text": "content", "message": "content", "timestamp": "created_at", "created_at_ms": "created_at"]
        case .whatsappConnections: return ["id": "device_id", "device_name": "name", "phone": "phone_number"]
        case .contacts: return ["id": "contact_id", "phone": "phone_number"]
        case .personas: return ["id": "persona_id", "model": "default_model"]
        case .conversationMetrics: return ["updated_at": "lead_captured_at"]
        case .leads: return ["created_at": "captured_at"]
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
