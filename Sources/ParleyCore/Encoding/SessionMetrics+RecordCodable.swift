extension SessionMetrics: RecordCodable {
    public static let recordName = "SessionMetrics"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        var presence = PresenceBits()
        for present in [conversationStart != nil, conversationEnd != nil, duration != nil,
                        averageResponseTime != nil, userSatisfaction != nil, createdAt != nil,
                        updatedAt != nil, leadCapturedAt != nil, tallies.shownLeadCapturedAt != nil] {
            presence.note(present)
        }
        writer.writeVarint(presence.bits)
        for text in [organizationId, sessionId, widgetId, userId, firstTurnId, leadName, leadEmail, leadCompany] {
            writer.writeString(text)
        }
        for count in [totalMessages, totalTokens, promptTokens, completionTokens, turnCount,
                      tallies.responseTimeSum, tallies.responseTimeCount,
                      tallies.feedbackScoreSum, tallies.feedbackCount] {
            writer.writeSigned(count)
        }
        writer.writeBool(hasLead)
        writer.writeOptionalSigned(conversationStart)
        writer.writeOptionalSigned(conversationEnd)
        writer.writeOptionalSigned(duration)
        writer.writeOptionalSigned(averageResponseTime)
        writer.writeOptionalDouble(userSatisfaction)
        writer.writeOptionalSigned(createdAt)
        writer.writeOptionalSigned(updatedAt)
        writer.writeOptionalSigned(leadCapturedAt)
        writer.writeOptionalSigned(tallies.shownLeadCapturedAt)
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        let presence = try PresenceBits.read(from: &reader, count: 9, record: Self.recordName)
        self.init(organizationId: try reader.readString(), sessionId: try reader.readString(),
                  widgetId: try reader.readString(), userId: try reader.readString(),
                  firstTurnId: try reader.readString())
        leadName = try reader.readString()
        leadEmail = try reader.readString()
        leadCompany = try reader.readString()
        totalMessages = try reader.readSigned()
        totalTokens = try reader.readSigned()
        promptTokens = try reader.readSigned()
        completionTokens = try reader.readSigned()
        turnCount = try reader.readSigned()
        tallies.responseTimeSum = try reader.readSigned()
        tallies.responseTimeCount = try reader.readSigned()
        tallies.feedbackScoreSum = try reader.readSigned()
        tallies.feedbackCount = try reader.readSigned()
        hasLead = try reader.readBool(field: "has_lead")
        conversationStart = try reader.readSigned(if: presence.has(0))
        conversationEnd = try reader.readSigned(if: presence.has(1))
        duration = try reader.readSigned(if: presence.has(2))
        averageResponseTime = try reader.readSigned(if: presence.has(3))
        userSatisfaction = try reader.readDouble(if: presence.has(4))
        createdAt = try reader.readSigned(if: presence.has(5))
        updatedAt = try reader.readSigned(if: presence.has(6))
        leadCapturedAt = try reader.readSigned(if: presence.has(7))
        tallies.shownLeadCapturedAt = try reader.readSigned(if: presence.has(8))
    }
}
