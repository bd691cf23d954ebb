import ParleyCore

/// The directory, messages, leads and feedback <-> their protos.
extension Message {
    /// Converts; the decoder already rejected direction numbers the enum does not define,
    /// and the store's rules reject an unspecified one.
    public init(wire m: V1.Message) {
        let direction = m.direction.flatMap { Direction(rawValue: $0.rawValue) } ?? .unspecified
        self.init(messageId: m.messageID ?? "", organizationId: m.organizationID ?? "",
                  contactId: m.contactID ?? "", deviceId: m.deviceID ?? "",
                  sessionId: m.sessionID ?? "", direction: direction,
                  content: m.content ?? "", createdAt: m.createdAtMs)
    }

    public var wire: V1.Message {
        V1.Message(messageID: messageId.nonEmpty, organizationID: organizationId.nonEmpty,
                   contactID: contactId.nonEmpty, deviceID: deviceId.nonEmpty, sessionID: sessionId.nonEmpty,
                   direction: V1.Direction(rawValue: direction.rawValue), content: content.nonEmpty,
                   createdAtMs: createdAt)
    }
}

extension Device {
    public init(wire m: V1.Device) {
        self.init(organizationId: m.organizationID ?? "", deviceId: m.deviceID ?? "",
                  name: m.name ?? "", phoneNumber: m.phoneNumber ?? "")
    }

    public var wire: V1.Device {
        V1.Device(organizationID: organizationId.nonEmpty, deviceID: deviceId.nonEmpty,
                  name: name.nonEmpty, phoneNumber: phoneNumber.nonEmpty)
    }
}

extension Contact {
    public init(wire m: V1.Contact) {
        self.init(organizationId: m.organizationID ?? "", contactId: m.contactID ?? "",
                  name: m.name ?? "", phoneNumber: m.phoneNumber ?? "")
    }

    public var wire: V1.Contact {
        V1.Contact(organizationID: organizationId.nonEmpty, contactID: contactId.nonEmpty,
                   name: name.nonEmpty, phoneNumber: phoneNumber.nonEmpty)
    }
}

extension Persona {
    public init(wire m: V1.Persona) {
        self.init(organizationId: m.organizationID ?? "", personaId: m.personaID ?? "",
                  name: m.name ?? "", defaultModel: m.defaultModel ?? "")
    }

    public var wire: V1.Persona {
        V1.Persona(organizationID: organizationId.nonEmpty, personaID: personaId.nonEmpty,
                   name: name.nonEmpty, defaultModel: defaultModel.nonEmpty)
    }
}

extension Widget {
    public init(wire m: V1.Widget) {
        self.init(organizationId: m.organizationID ?? "", widgetId: m.widgetID ?? "",
                  userId: m.userID ?? "", name: m.name ?? "")
    }

    public var wire: V1.Widget {
        V1.Widget(organizationID: organizationId.nonEmpty, widgetID: widgetId.nonEmpty,
                  userID: userId.nonEmpty, name: name.nonEmpty)
    }
}

extension Lead {
    public init(wire m: V1.Lead) {
        self.init(organizationId: m.organizationID ?? "", sessionId: m.sessionID ?? "",
                  name: m.name ?? "", email: m.email ?? "", company: m.company ?? "",
                  capturedAt: m.capturedAtMs)
    }

    public var wire: V1.Lead {
        V1.Lead(organizationID: organizationId.nonEmpty, sessionID: sessionId.nonEmpty, name: name.nonEmpty,
                email: email.nonEmpty, company: company.nonEmpty, capturedAtMs: capturedAt)
    }
}

extension Feedback {
    public init(wire m: V1.Feedback) {
        self.init(organizationId: m.organizationID ?? "", sessionId: m.sessionID ?? "",
                  turnId: m.turnID ?? "", score: m.score ?? 0, givenAt: m.givenAtMs)
    }

    public var wire: V1.Feedback {
        V1.Feedback(organizationID: organizationId.nonEmpty, sessionID: sessionId.nonEmpty, turnID: turnId.nonEmpty,
                    score: score, givenAtMs: givenAt)
    }
}

extension SessionMetrics {
    public var wire: V1.SessionMetrics {
        V1.SessionMetrics(
            organizationID: organizationId.nonEmpty, sessionID: sessionId.nonEmpty, widgetID: widgetId.nonEmpty,
            userID: userId.nonEmpty, firstTurnID: firstTurnId.nonEmpty, totalMessages: totalMessages,
            totalTokens: totalTokens, promptTokens: promptTokens, completionTokens: completionTokens,
            conversationStartMs: conversationStart, conversationEndMs: conversationEnd, durationMs: duration,
            averageResponseTimeMs: averageResponseTime, hasLead: hasLead, leadName: leadName.nonEmpty,
            leadEmail: leadEmail.nonEmpty, leadCompany: leadCompany.nonEmpty, userSatisfaction: userSatisfaction,
            createdAtMs: createdAt, updatedAtMs: updatedAt, turnCount: turnCount, leadCapturedAtMs: leadCapturedAt)
    }
}
