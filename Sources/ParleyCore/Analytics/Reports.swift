// The shapes of the seed's named reports, as the store answers them and the wire carries them.

/// The seed's "most active devices": conversations and tokens per device over the
/// window, with the device's name and phone, average tokens and last conversation.
public struct DeviceUsage: Sendable, Equatable, TokenPartsRow {
    public var deviceId: String
    /// The directory's name, or the id when the device has no directory entry.
    public var deviceName: String
    public var phoneNumber: String
    public var conversations: Int64
    public var totalTokens: Int64
    public var avgTokens: Double
    public var lastConversation: Millis?
    /// Cache reads and writes (neither is in input) and reasoning (part of output): TokenPartsRow.
    public var cachedReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0

    public init(deviceId: String, deviceName: String, phoneNumber: String, conversations: Int64, totalTokens: Int64, avgTokens: Double, lastConversation: Millis? = nil) {
        self.deviceId = deviceId
        self.deviceName = deviceName
        self.phoneNumber = phoneNumber
        self.conversations = conversations
        self.totalTokens = totalTokens
        self.avgTokens = avgTokens
        self.lastConversation = lastConversation
    }
}

/// The seed's "cost analysis by model": per model, conversations, input, output and
/// total tokens, and the cost with the price in force at each hour.
public struct ModelCost: Sendable, Equatable {
    /// As stored; "(unknown)" when neither the turn nor its persona named one.
    public var model: String
    public var conversations: Int64
    public var inputTokens: Int64
    public var outputTokens: Int64
    public var totalTokens: Int64
    public var cost: Cost
    /// Prompt tokens read from / written to the provider's cache (not in inputTokens).
    public var cachedReadTokens: Int64
    public var cacheWriteTokens: Int64
    /// The part of outputTokens that was reasoning.
    public var reasoningTokens: Int64
    /// False when some of the model's tokens had no price: their cost is unknown, not 0.
    public var priced: Bool { cost.isFullyPriced }

    public init(model: String, conversations: Int64, inputTokens: Int64, outputTokens: Int64, totalTokens: Int64, cost: Cost,
                cachedReadTokens: Int64 = 0, cacheWriteTokens: Int64 = 0, reasoningTokens: Int64 = 0) {
        self.model = model
        self.conversations = conversations
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.cost = cost
        self.cachedReadTokens = cachedReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
    }
}

public struct ModelsReport: Sendable, Equatable {
    public var rows: [ModelCost]
    public var totalCost: Cost

    public init(rows: [ModelCost], totalCost: Cost) {
        self.rows = rows
        self.totalCost = totalCost
    }
}

/// The seed's "daily token usage trend": per local day and model, tokens, count and
/// average tokens per conversation.
public struct DailyModelTokens: Sendable, Equatable, TokenPartsRow {
    /// Local date in the query's zone, YYYY-MM-DD.
    public var date: String
    public var model: String
    public var tokens: Int64
    public var conversations: Int64
    public var avgTokens: Double
    /// Cache reads and writes (neither is in input) and reasoning (part of output): TokenPartsRow.
    public var cachedReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0

    public init(date: String, model: String, tokens: Int64, conversations: Int64, avgTokens: Double) {
        self.date = date
        self.model = model
        self.tokens = tokens
        self.conversations = conversations
        self.avgTokens = avgTokens
    }
}

/// The seed's "persona performance": per persona and model, conversations, average and
/// total tokens.
public struct PersonaUsage: Sendable, Equatable, TokenPartsRow {
    public var personaId: String
    /// The directory's name, or the id when the persona has no directory entry.
    public var personaName: String
    public var model: String
    public var conversations: Int64
    public var avgTokens: Double
    public var totalTokens: Int64
    /// Cache reads and writes (neither is in input) and reasoning (part of output): TokenPartsRow.
    public var cachedReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0

    public init(personaId: String, personaName: String, model: String, conversations: Int64, avgTokens: Double, totalTokens: Int64) {
        self.personaId = personaId
        self.personaName = personaName
        self.model = model
        self.conversations = conversations
        self.avgTokens = avgTokens
        self.totalTokens = totalTokens
    }
}

/// The seed's "cost per contact": interactions, tokens and cost per contact.
public struct ContactCost: Sendable, Equatable, TokenPartsRow {
    public var contactId: String
    /// The directory's name, or the id when the contact has no directory entry.
    public var name: String
    public var phoneNumber: String
    public var interactions: Int64
    public var totalTokens: Int64
    public var cost: Cost
    /// Cache reads and writes (neither is in input) and reasoning (part of output): TokenPartsRow.
    public var cachedReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0

    public init(contactId: String, name: String, phoneNumber: String, interactions: Int64, totalTokens: Int64, cost: Cost) {
        self.contactId = contactId
        self.name = name
        self.phoneNumber = phoneNumber
        self.interactions = interactions
        self.totalTokens = totalTokens
        self.cost = cost
    }
}

/// The seed's "hourly usage pattern": conversations and average tokens per local hour
/// of the day.
public struct HourUsage: Sendable, Equatable, TokenPartsRow {
    /// 0...23 in the query's zone.
    public var hour: Int
    public var conversations: Int64
    public var avgTokens: Double
    /// Cache reads and writes (neither is in input) and reasoning (part of output): TokenPartsRow.
    public var cachedReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0

    public init(hour: Int, conversations: Int64, avgTokens: Double) {
        self.hour = hour
        self.conversations = conversations
        self.avgTokens = avgTokens
    }
}

/// One line of a contact's thread: a message with the AI reply that answered it (the
/// seed's `messages LEFT JOIN ai_conversations ON m.id = ac.message_id`), or a reply
/// whose message was never logged.
public struct ThreadEntry: Sendable, Equatable {
    public var message: Message?
    public var reply: Turn?
    /// Read from the archive: retention moved it out of the live file.
    public var archived: Bool
    /// The message's creation time, or the reply's time for a reply without a message.
    public var time: Millis

    public init(message: Message? = nil, reply: Turn? = nil, archived: Bool, time: Millis) {
        self.message = message
        self.reply = reply
        self.archived = archived
        self.time = time
    }
}

public struct ThreadPage: Sendable, Equatable {
    /// Newest first.
    public var entries: [ThreadEntry]
    public var nextPageToken: String?

    public init(entries: [ThreadEntry], nextPageToken: String? = nil) {
        self.entries = entries
        self.nextPageToken = nextPageToken
    }
}

/// Sessions of one organization that started in a window: how many, how many captured
/// a lead, and the conversation_metrics figures averaged the way SQL's AVG does (over
/// the sessions that have the value).
public struct SessionsReport: Sendable, Equatable {
    public var sessions: Int64 = 0
    public var sessionsWithLead: Int64 = 0
    public var totalMessages: Int64 = 0
    public var totalTokens: Int64 = 0
    public var avgDuration: Double?
    public var avgResponseTime: Double?
    public var avgSatisfaction: Double?
    public var ratedSessions: Int64 = 0
    /// Up to `top` sessions, newest start first.
    public var rows: [SessionMetrics] = []

    public init(sessions: Int64 = 0, sessionsWithLead: Int64 = 0, totalMessages: Int64 = 0, totalTokens: Int64 = 0, avgDuration: Double? = nil, avgResponseTime: Double? = nil, avgSatisfaction: Double? = nil, ratedSessions: Int64 = 0, rows: [SessionMetrics] = []) {
        self.sessions = sessions
        self.sessionsWithLead = sessionsWithLead
        self.totalMessages = totalMessages
        self.totalTokens = totalTokens
        self.avgDuration = avgDuration
        self.avgResponseTime = avgResponseTime
        self.avgSatisfaction = avgSatisfaction
        self.ratedSessions = ratedSessions
        self.rows = rows
    }
}

/// Lead capture of the sessions that started in a window, and cost per lead by persona.
public struct ConversionReport: Sendable, Equatable {
    public var sessions: Int64 = 0
    public var sessionsWithLead: Int64 = 0
    /// sessionsWithLead / sessions; 0 without sessions.
    public var leadRate: Double = 0
    /// Mean number of turns up to and including the lead's capture, over won sessions.
    public var avgTurnsToLead: Double?
    /// Mean time from conversation start to the first lead, over won sessions.
    public var avgTimeToLead: Double?
    public var personas: [PersonaConversion] = []

    public init(sessions: Int64 = 0, sessionsWithLead: Int64 = 0, leadRate: Double = 0, avgTurnsToLead: Double? = nil, avgTimeToLead: Double? = nil, personas: [PersonaConversion] = []) {
        self.sessions = sessions
        self.sessionsWithLead = sessionsWithLead
        self.leadRate = leadRate
        self.avgTurnsToLead = avgTurnsToLead
        self.avgTimeToLead = avgTimeToLead
        self.personas = personas
    }
}

/// A persona's part: the sessions of the window in which it replied at least once, the
/// leads among them, and the cost of its replies in those sessions.
public struct PersonaConversion: Sendable, Equatable {
    public var personaId: String
    public var personaName: String
    public var sessions: Int64
    public var leads: Int64
    public var cost: Cost
    /// cost / leads, nil without leads. Unpriced tokens are shared out the same way.
    public var costPerLead: Cost?

    public init(personaId: String, personaName: String, sessions: Int64, leads: Int64, cost: Cost, costPerLead: Cost? = nil) {
        self.personaId = personaId
        self.personaName = personaName
        self.sessions = sessions
        self.leads = leads
        self.cost = cost
        self.costPerLead = costPerLead
    }
}
