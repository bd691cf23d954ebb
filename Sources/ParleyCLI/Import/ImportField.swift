/// A Parley field an imported column can feed (the targets of `--map`). Rows keep their
/// values in a `MappedRow` indexed by the field's number, so converting a row looks
/// nothing up by name.
public enum ImportField: Int, CaseIterable, Sendable {
    case turnId, organizationId, sessionId, deviceId, messageId, contactId, personaId, widgetId, userId, model
    case userMessage, aiResponse, inputTokens, outputTokens, cachedReadTokens, cacheWriteTokens, reasoningTokens, tokensUsed
    case userMessageAt, repliedAt, responseTimeMs, language, sentimentScore, errorCount, feedbackScore
    case direction, content, createdAt
    case name, phoneNumber, defaultModel
    case hasLead, leadName, leadEmail, leadCompany, userSatisfaction, leadCapturedAt
    case email, company, capturedAt

    /// The name users write in `--map` and see in messages (snake case, as the seed's columns).
    public var name: String {
        switch self {
        case .turnId: return "turn_id"
        case .organizationId: return "organization_id"
        case .sessionId: return "session_id"
        case .deviceId: return "device_id"
        case .messageId: return "message_id"
        case .contactId: return "contact_id"
        case .personaId: return "persona_id"
        case .widgetId: return "widget_id"
        case .userId: return "user_id"
        case .model: return "model"
        case .userMessage: return "user_message"
        case .aiResponse: return "ai_response"
        case .inputTokens: return "input_tokens"
        case .outputTokens: return "output_tokens"
        case .cachedReadTokens: return "cached_read_tokens"
        case .cacheWriteTokens: return "cache_write_tokens"
        case .reasoningTokens: return "reasoning_tokens"
        case .tokensUsed: return "tokens_used"
        case .userMessageAt: return "user_message_at"
        case .repliedAt: return "replied_at"
        case .responseTimeMs: return "response_time_ms"
        case .language: return "language"
        case .sentimentScore: return "sentiment_score"
        case .errorCount: return "error_count"
        case .feedbackScore: return "feedback_score"
        case .direction: return "direction"
        case .content: return "content"
        case .createdAt: return "created_at"
        case .name: return "name"
        case .phoneNumber: return "phone_number"
        case .defaultModel: return "default_model"
        case .hasLead: return "has_lead"
        case .leadName: return "lead_name"
        case .leadEmail: return "lead_email"
        case .leadCompany: return "lead_company"
        case .userSatisfaction: return "user_satisfaction"
        case .leadCapturedAt: return "lead_captured_at"
        case .email: return "email"
        case .company: return "company"
        case .capturedAt: return "captured_at"
        }
    }

    private static let byName: [String: ImportField] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    public init?(name: String) {
        guard let field = ImportField.byName[name] else { return nil }
        self = field
    }
}

/// One row's values by field, absent where the file had no column for it, an empty
/// value or MySQL's `\N`.
struct MappedRow {
    private var values = [String?](repeating: nil, count: ImportField.allCases.count)

    subscript(field: ImportField) -> String? {
        get { values[field.rawValue] }
        set { values[field.rawValue] = newValue }
    }
}
