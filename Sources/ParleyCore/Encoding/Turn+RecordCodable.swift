extension Turn: RecordCodable {
    public static let recordName = "Turn"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        var presence = PresenceBits()
        for present in [tokens != nil, userMessageAt != nil, repliedAt != nil, responseTime != nil,
                        sentimentScore != nil, errorCount != nil, feedbackScore != nil, receivedAt != nil] {
            presence.note(present)
        }
        writer.writeVarint(presence.bits)
        for text in [turnId, organizationId, sessionId, deviceId, messageId, contactId, personaId,
                     widgetId, userId, model, userMessage, aiResponse, language] {
            writer.writeString(text)
        }
        if let tokens {
            for count in [tokens.input, tokens.output, tokens.cachedRead, tokens.cacheWrite, tokens.total] {
                writer.writeSigned(count)
            }
        }
        writer.writeOptionalSigned(userMessageAt)
        writer.writeOptionalSigned(repliedAt)
        writer.writeOptionalSigned(responseTime)
        writer.writeOptionalDouble(sentimentScore)
        writer.writeOptionalSigned(errorCount.map(Int64.init))
        writer.writeOptionalSigned(feedbackScore.map(Int64.init))
        writer.writeOptionalSigned(receivedAt)
        writer.writeBool(tokensEstimated)
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        let presence = try PresenceBits.read(from: &reader, count: 8, record: Self.recordName)
        self.init(
            turnId: try reader.readString(), organizationId: try reader.readString(),
            sessionId: try reader.readString(), deviceId: try reader.readString(),
            messageId: try reader.readString(), contactId: try reader.readString(),
            personaId: try reader.readString(), widgetId: try reader.readString(),
            userId: try reader.readString(), model: try reader.readString(),
            userMessage: try reader.readString(), aiResponse: try reader.readString(),
            language: try reader.readString()
        )
        if presence.has(0) {
            tokens = TokenCounts(input: try reader.readSigned(), output: try reader.readSigned(),
                                 cachedRead: try reader.readSigned(), cacheWrite: try reader.readSigned(),
                                 total: try reader.readSigned())
        }
        userMessageAt = try reader.readSigned(if: presence.has(1))
        repliedAt = try reader.readSigned(if: presence.has(2))
        responseTime = try reader.readSigned(if: presence.has(3))
        sentimentScore = try reader.readDouble(if: presence.has(4))
        errorCount = try reader.readInt32(if: presence.has(5), field: "error_count")
        feedbackScore = try reader.readInt32(if: presence.has(6), field: "feedback_score")
        receivedAt = try reader.readSigned(if: presence.has(7))
        tokensEstimated = try reader.readBool(field: "tokens_estimated")
    }
}
