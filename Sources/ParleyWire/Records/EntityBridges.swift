import ParleyCore

/// The directory, messages, leads and feedback <-> their protos.
extension Message {
    /// Converts; an unknown direction number is a violation, not a guess.
    public init(proto m: ProtoMessage) throws(ValidationError) {
        let raw = Int32(truncatingIfNeeded: m.int("direction") ?? 0)
        guard let direction = Direction(rawValue: raw) else {
            throw ValidationError([FieldViolation(field: "direction", reason: "\(raw) is not a direction; use 1 INBOUND or 2 OUTBOUND")])
        }
        self.init(messageId: m.string("message_id") ?? "", organizationId: m.string("organization_id") ?? "",
                  contactId: m.string("contact_id") ?? "", deviceId: m.string("device_id") ?? "",
                  sessionId: m.string("session_id") ?? "", direction: direction,
                  content: m.string("content") ?? "", createdAt: m.int("created_at_ms"))
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.message)
        m.setNonEmpty("message_id", messageId)
        m.setNonEmpty("organization_id", organizationId)
        m.setNonEmpty("contact_id", contactId)
        m.setNonEmpty("device_id", deviceId)
        m.setNonEmpty("session_id", sessionId)
        m.set("direction", direction.rawValue)
        m.setNonEmpty("content", content)
        m.set("created_at_ms", createdAt)
        return m
    }
}

extension Device {
    public init(proto m: ProtoMessage) {
        self.init(organizationId: m.string("organization_id") ?? "", deviceId: m.string("device_id") ?? "",
                  name: m.string("name") ?? "", phoneNumber: m.string("phone_number") ?? "")
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.device)
        m.setNonEmpty("organization_id", organizationId)
        m.setNonEmpty("device_id", deviceId)
        m.setNonEmpty("name", name)
        m.setNonEmpty("phone_number", phoneNumber)
        return m
    }
}

extension Contact {
    public init(proto m: ProtoMessage) {
        self.init(organizationId: m.string("organization_id") ?? "", contactId: m.string("contact_id") ?? "",
                  name: m.string("name") ?? "", phoneNumber: m.string("phone_number") ?? "")
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.contact)
        m.setNonEmpty("organization_id", organizationId)
        m.setNonEmpty("contact_id", contactId)
        m.setNonEmpty("name", name)
        m.setNonEmpty("phone_number", phoneNumber)
        return m
    }
}

extension Persona {
    public init(proto m: ProtoMessage) {
        self.init(organizationId: m.string("organization_id") ?? "", personaId: m.string("persona_id") ?? "",
                  name: m.string("name") ?? "", defaultModel: m.string("default_model") ?? "")
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.persona)
        m.setNonEmpty("organization_id", organizationId)
        m.setNonEmpty("persona_id", personaId)
        m.setNonEmpty("name", name)
        m.setNonEmpty("default_model", defaultModel)
        return m
    }
}

extension Widget {
    public init(proto m: ProtoMessage) {
        self.init(organizationId: m.string("organization_id") ?? "", widgetId: m.string("widget_id") ?? "",
                  userId: m.string("user_id") ?? "", name: m.string("name") ?? "")
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.widget)
        m.setNonEmpty("organization_id", organizationId)
        m.setNonEmpty("widget_id", widgetId)
        m.setNonEmpty("user_id", userId)
        m.setNonEmpty("name", name)
        return m
    }
}

extension Lead {
    public init(proto m: ProtoMessage) {
        self.init(organizationId: m.string("organization_id") ?? "", sessionId: m.string("session_id") ?? "",
                  name: m.string("name") ?? "", email: m.string("email") ?? "", company: m.string("company") ?? "",
                  capturedAt: m.int("captured_at_ms"))
    }
}

extension Feedback {
    public init(proto m: ProtoMessage) {
        self.init(organizationId: m.string("organization_id") ?? "", sessionId: m.string("session_id") ?? "",
                  turnId: m.string("turn_id") ?? "", score: Int32(truncatingIfNeeded: m.int("score") ?? 0),
                  givenAt: m.int("given_at_ms"))
    }
}

extension SessionMetrics {
    public var proto: ProtoMessage {
        var m = ProtoMessage(RecordTypes.sessionMetrics)
        m.setNonEmpty("organization_id", organizationId)
        m.setNonEmpty("session_id", sessionId)
        m.setNonEmpty("widget_id", widgetId)
        m.setNonEmpty("user_id", userId)
        m.setNonEmpty("first_turn_id", firstTurnId)
        m.set("total_messages", totalMessages)
        m.set("total_tokens", totalTokens)
        m.set("prompt_tokens", promptTokens)
        m.set("completion_tokens", completionTokens)
        m.set("conversation_start_ms", conversationStart)
        m.set("conversation_end_ms", conversationEnd)
        m.set("duration_ms", duration)
        m.set("average_response_time_ms", averageResponseTime)
        m.set("has_lead", hasLead)
        m.setNonEmpty("lead_name", leadName)
        m.setNonEmpty("lead_email", leadEmail)
        m.setNonEmpty("lead_company", leadCompany)
        m.set("user_satisfaction", userSatisfaction)
        m.set("created_at_ms", createdAt)
        m.set("updated_at_ms", updatedAt)
        m.set("turn_count", turnCount)
        m.set("lead_captured_at_ms", leadCapturedAt)
        return m
    }
}
