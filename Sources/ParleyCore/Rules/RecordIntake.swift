/// Validation for the records other than turns: each requires its organization and own
/// id, checks optional references, sizes and ranges, and fills the capture time a lead
/// left out. Turns have their own, richer rules in `TurnIntake`.
public struct RecordIntake: Sendable {
    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public func accept(_ message: Message, receivedAt: Millis) throws(ValidationError) -> Message {
        var check = ViolationCollector()
        check.requireIdentifier(message.messageId, field: "message_id")
        check.requireIdentifier(message.organizationId, field: "organization_id")
        for (value, field) in [(message.contactId, "contact_id"), (message.deviceId, "device_id"), (message.sessionId, "session_id")] where !value.isEmpty {
            check.checkIdentifier(value, field: field)
        }
        if message.direction == .unspecified {
            check.add("direction", "is unspecified; say INBOUND (from the contact) or OUTBOUND (to the contact)")
        }
        check.checkText(message.content, field: "content", maxBytes: limits.maxTextBytes)
        check.checkTime(message.createdAt, field: "created_at_ms")
        try check.finish()
        var stored = message
        if stored.createdAt == nil { stored.createdAt = receivedAt }
        return stored
    }

    public func accept(_ device: Device) throws(ValidationError) -> Device {
        try checkEntry(organizationId: device.organizationId, id: device.deviceId, idField: "device_id", names: [(device.name, "name"), (device.phoneNumber, "phone_number")])
        return device
    }

    public func accept(_ contact: Contact) throws(ValidationError) -> Contact {
        try checkEntry(organizationId: contact.organizationId, id: contact.contactId, idField: "contact_id", names: [(contact.name, "name"), (contact.phoneNumber, "phone_number")])
        return contact
    }

    public func accept(_ persona: Persona) throws(ValidationError) -> Persona {
        try checkEntry(organizationId: persona.organizationId, id: persona.personaId, idField: "persona_id", names: [(persona.name, "name"), (persona.defaultModel, "default_model")])
        return persona
    }

    public func accept(_ widget: Widget) throws(ValidationError) -> Widget {
        var check = ViolationCollector()
        check.requireIdentifier(widget.organizationId, field: "organization_id")
        check.requireIdentifier(widget.widgetId, field: "widget_id")
        if !widget.userId.isEmpty { check.checkIdentifier(widget.userId, field: "user_id") }
        check.checkText(widget.name, field: "name", maxBytes: limits.maxNameBytes)
        try check.finish()
        return widget
    }

    public func accept(_ lead: Lead, receivedAt: Millis) throws(ValidationError) -> Lead {
        var check = ViolationCollector()
        check.requireIdentifier(lead.organizationId, field: "organization_id")
        check.requireIdentifier(lead.sessionId, field: "session_id")
        for (value, field) in [(lead.name, "name"), (lead.email, "email"), (lead.company, "company")] {
            check.checkText(value, field: field, maxBytes: limits.maxNameBytes)
        }
        check.checkTime(lead.capturedAt, field: "captured_at_ms")
        try check.finish()
        var stored = lead
        if stored.capturedAt == nil { stored.capturedAt = receivedAt }
        return stored
    }

    public func accept(_ feedback: Feedback, receivedAt: Millis) throws(ValidationError) -> Feedback {
        var check = ViolationCollector()
        check.requireIdentifier(feedback.organizationId, field: "organization_id")
        check.requireIdentifier(feedback.sessionId, field: "session_id")
        if !feedback.turnId.isEmpty { check.checkIdentifier(feedback.turnId, field: "turn_id") }
        check.checkScore(feedback.score, field: "score")
        check.checkTime(feedback.givenAt, field: "given_at_ms")
        try check.finish()
        var stored = feedback
        if stored.givenAt == nil { stored.givenAt = receivedAt }
        return stored
    }

    private func checkEntry(organizationId: String, id: String, idField: String, names: [(String, String)]) throws(ValidationError) {
        var check = ViolationCollector()
        check.requireIdentifier(organizationId, field: "organization_id")
        check.requireIdentifier(id, field: idField)
        for (value, field) in names {
            check.checkText(value, field: field, maxBytes: limits.maxNameBytes)
        }
        try check.finish()
    }
}
