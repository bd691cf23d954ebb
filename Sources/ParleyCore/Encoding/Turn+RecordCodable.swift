extension Turn: RecordCodable {
    public static let recordName = "Turn"
    /// Version 2 appends the count method, reasoning tokens and the provider's usage;
    /// version 3 packs the user message and the reply (`TextCompression`).
    public static let recordVersion: UInt8 = 3
    public static let oldestReadableVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        var presence = PresenceBits()
        for present in [tokens != nil, userMessageAt != nil, repliedAt != nil, responseTime != nil,
                        sentimentScore != nil, errorCount != nil, feedbackScore != nil, receivedAt != nil] {
            presence.note(present)
        }
        writer.writeVarint(presence.bits)
        for id in [turnId, organizationId, sessionId, deviceId, messageId, contactId, personaId, widgetId, userId, model] {
            writer.writeString(id)
        }
        writer.writePackedString(userMessage)
        writer.writePackedString(aiResponse)
        writer.writeString(language)
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
        writer.writeByte(tokenCountMethod.map(\.recordTag) ?? 0)
        if let tokens { writer.writeSigned(tokens.reasoning) }
        writer.writeByte(usage?.convention.recordTag ?? 0)
        if let usage {
            for count in usage.recordCounts { writer.writeSigned(count) }
        }
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        let presence = try PresenceBits.read(from: &reader, count: 8, record: Self.recordName)
        self.init(
            turnId: try reader.readString(), organizationId: try reader.readString(),
            sessionId: try reader.readString(), deviceId: try reader.readString(),
            messageId: try reader.readString(), contactId: try reader.readString(),
            personaId: try reader.readString(), widgetId: try reader.readString(),
            userId: try reader.readString(), model: try reader.readString(),
            userMessage: try reader.readText(packed: version >= 3), aiResponse: try reader.readText(packed: version >= 3),
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
        let estimated = try reader.readBool(field: "tokens_estimated")
        guard version >= 2 else {
            // Version 1 knew only "estimated or not": everything else was the caller's.
            tokenCountMethod = estimated ? .estimated : (tokens == nil ? nil : .given)
            return
        }
        let methodTag = try reader.readByte()
        if methodTag != 0 {
            guard let method = TokenCountMethod(recordTag: methodTag) else {
                throw .valueOutOfRange(field: "token_count_method", value: Int64(methodTag))
            }
            tokenCountMethod = method
        }
        if tokens != nil { tokens?.reasoning = try reader.readSigned() }
        let usageTag = try reader.readByte()
        if usageTag != 0 {
            guard let convention = UsageConvention(recordTag: usageTag) else {
                throw .valueOutOfRange(field: "usage", value: Int64(usageTag))
            }
            usage = try ProviderUsage(convention: convention, reading: &reader)
        }
    }
}

extension TokenCountMethod {
    /// The byte a stored turn keeps; 0 is "not set". Never renumber.
    var recordTag: UInt8 {
        switch self {
        case .given: return 1
        case .counted: return 2
        case .estimated: return 3
        }
    }

    init?(recordTag: UInt8) {
        guard let method = Self.allCases.first(where: { $0.recordTag == recordTag }) else { return nil }
        self = method
    }
}

extension UsageConvention {
    /// The byte a stored turn keeps for its usage's shape; 0 is "no usage". Never renumber.
    var recordTag: UInt8 {
        switch self {
        case .openai: return 1
        case .anthropic: return 2
        case .gemini: return 3
        case .parley: return 4
        }
    }

    init?(recordTag: UInt8) {
        guard let convention = Self.allCases.first(where: { $0.recordTag == recordTag }) else { return nil }
        self = convention
    }
}

extension ProviderUsage {
    /// The shape's counts in a fixed order per convention; an absent total is -1.
    var recordCounts: [Int64] {
        switch self {
        case .openai(let u):
            return [u.promptTokens, u.cachedTokens, u.completionTokens, u.reasoningTokens, u.totalTokens ?? -1]
        case .anthropic(let u):
            return [u.inputTokens, u.cacheReadInputTokens, u.cacheCreationInputTokens, u.outputTokens]
        case .gemini(let u):
            return [u.promptTokenCount, u.cachedContentTokenCount, u.candidatesTokenCount, u.thoughtsTokenCount,
                    u.toolUsePromptTokenCount, u.totalTokenCount ?? -1]
        case .parley(let u):
            return [u.input, u.cachedRead, u.cacheWrite, u.output, u.reasoning]
        }
    }

    init(convention: UsageConvention, reading reader: inout ByteReader) throws(DecodeError) {
        func total(_ value: Int64) -> Int64? { value < 0 ? nil : value }
        switch convention {
        case .openai:
            self = .openai(OpenAIUsage(promptTokens: try reader.readSigned(), cachedTokens: try reader.readSigned(),
                                       completionTokens: try reader.readSigned(), reasoningTokens: try reader.readSigned(),
                                       totalTokens: total(try reader.readSigned())))
        case .anthropic:
            self = .anthropic(AnthropicUsage(inputTokens: try reader.readSigned(), cacheReadInputTokens: try reader.readSigned(),
                                             cacheCreationInputTokens: try reader.readSigned(), outputTokens: try reader.readSigned()))
        case .gemini:
            self = .gemini(GeminiUsage(promptTokenCount: try reader.readSigned(), cachedContentTokenCount: try reader.readSigned(),
                                       candidatesTokenCount: try reader.readSigned(), thoughtsTokenCount: try reader.readSigned(),
                                       toolUsePromptTokenCount: try reader.readSigned(), totalTokenCount: total(try reader.readSigned())))
        case .parley:
            self = .parley(NormalizedUsage(input: try reader.readSigned(), cachedRead: try reader.readSigned(),
                                           cacheWrite: try reader.readSigned(), output: try reader.readSigned(),
                                           reasoning: try reader.readSigned()))
        }
    }
}
