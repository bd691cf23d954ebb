/// One AI reply: a row of the seed's ai_conversations table, and more.
///
/// Identifier and text fields use "" for absent, because the proto gives them no
/// meaning beyond empty (a web chat turn has no device). Fields whose absence means
/// something to intake (token counts, times, scores) are optionals.
public struct Turn: Sendable, Equatable {
    /// Idempotency key of the write.
    public var turnId: String
    public var organizationId: String
    public var sessionId: String
    /// WhatsApp connection; empty for web chat.
    public var deviceId: String
    /// The inbound message this turn answers.
    public var messageId: String
    public var contactId: String
    public var personaId: String
    public var widgetId: String
    /// The widget owner.
    public var userId: String
    /// Empty: the persona's default model, or "(unknown)" in reports when that is missing too.
    public var model: String
    public var userMessage: String
    public var aiResponse: String
    /// In Parley's convention. nil on input: the caller knows no counts (or gave `usage`);
    /// intake fills them from `usage`, else counts them from the text.
    public var tokens: TokenCounts?
    /// The usage as the provider reported it, kept as given; intake normalises it into
    /// `tokens` once. Give this or `tokens`, not both.
    public var usage: ProviderUsage?
    public var userMessageAt: Millis?
    /// nil on input: the server's receive time.
    public var repliedAt: Millis?
    /// nil on input: repliedAt - userMessageAt when both are known.
    public var responseTime: Millis?
    public var language: String
    /// -1 ... 1.
    public var sentimentScore: Double?
    /// Retries before this reply.
    public var errorCount: Int32?
    /// 1 ... 5.
    public var feedbackScore: Int32?
    /// Set by the server: where `tokens` came from (nil before intake).
    public var tokenCountMethod: TokenCountMethod?
    /// Set by the server when it accepted the turn.
    public var receivedAt: Millis?

    public init(
        turnId: String = "", organizationId: String = "", sessionId: String = "",
        deviceId: String = "", messageId: String = "", contactId: String = "",
        personaId: String = "", widgetId: String = "", userId: String = "",
        model: String = "", userMessage: String = "", aiResponse: String = "",
        tokens: TokenCounts? = nil, usage: ProviderUsage? = nil, userMessageAt: Millis? = nil, repliedAt: Millis? = nil,
        responseTime: Millis? = nil, language: String = "", sentimentScore: Double? = nil,
        errorCount: Int32? = nil, feedbackScore: Int32? = nil,
        tokenCountMethod: TokenCountMethod? = nil, receivedAt: Millis? = nil
    ) {
        self.turnId = turnId
        self.organizationId = organizationId
        self.sessionId = sessionId
        self.deviceId = deviceId
        self.messageId = messageId
        self.contactId = contactId
        self.personaId = personaId
        self.widgetId = widgetId
        self.userId = userId
        self.model = model
        self.userMessage = userMessage
        self.aiResponse = aiResponse
        self.tokens = tokens
        self.usage = usage
        self.userMessageAt = userMessageAt
        self.repliedAt = repliedAt
        self.responseTime = responseTime
        self.language = language
        self.sentimentScore = sentimentScore
        self.errorCount = errorCount
        self.feedbackScore = feedbackScore
        self.tokenCountMethod = tokenCountMethod
        self.receivedAt = receivedAt
    }

    /// The token counts are Parley's character estimate, not the model's report or a count.
    public var tokensEstimated: Bool { tokenCountMethod == .estimated }

    /// When the exchange began: the user's message, else the reply, else receipt.
    public var startedAt: Millis? { userMessageAt ?? repliedAt ?? receivedAt }

    /// When the exchange ended: the reply, else receipt.
    public var endedAt: Millis? { repliedAt ?? receivedAt }

    /// The name reports show for the model.
    public var modelLabel: String { model.isEmpty ? Turn.unknownModelLabel : model }

    public static let unknownModelLabel = "(unknown)"

    /// Whether `other` carries the same caller-supplied content, for idempotent retries.
    ///
    /// Server-only fields (receivedAt) are ignored, and so are counts Parley made itself
    /// (a vocabulary installed between two tries changes them). Compare two turns
    /// that went through the same intake (see `TurnIntake.isRetry`), otherwise fields the
    /// server fills (model, repliedAt, token estimates) make honest retries look different.
    public func hasSameContent(as other: Turn) -> Bool {
        var mine = self
        var theirs = other
        mine.receivedAt = nil
        theirs.receivedAt = nil
        if mine.tokenCountMethod != .given && theirs.tokenCountMethod != .given {
            mine.tokens = nil
            theirs.tokens = nil
            mine.tokenCountMethod = nil
            theirs.tokenCountMethod = nil
        }
        return mine == theirs
    }
}
