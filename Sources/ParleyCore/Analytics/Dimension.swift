/// What usage is grouped or filtered by; raw values match the proto enum Dimension.
public enum Dimension: Int32, Sendable, Equatable, Hashable, CaseIterable {
    /// Everything together (DIMENSION_NONE).
    case all = 0
    case device = 1
    case model = 2
    case persona = 3
    case contact = 4
    case widget = 5
    /// "lead" or "no_lead".
    case sessionOutcome = 6

    public static let leadOutcome = "lead"
    public static let noLeadOutcome = "no_lead"

    /// The value of this dimension that `turn` falls under (the model as stored, "" when unknown).
    public func value(of turn: Turn, sessionHasLead: Bool) -> String {
        switch self {
        case .all: return ""
        case .device: return turn.deviceId
        case .model: return turn.model
        case .persona: return turn.personaId
        case .contact: return turn.contactId
        case .widget: return turn.widgetId
        case .sessionOutcome: return sessionHasLead ? Self.leadOutcome : Self.noLeadOutcome
        }
    }
}

/// The size of a report's time buckets; raw values match the proto enum Granularity.
public enum Granularity: Int32, Sendable, Equatable, Hashable, CaseIterable {
    /// One bucket for the whole window.
    case none = 0
    case hour = 1
    case day = 2
    /// Weeks start on Monday, local time (ISO 8601 weeks).
    case week = 3
    case month = 4
    /// 0...23 local, folded over the window.
    case hourOfDay = 5
}

/// What a usage report orders by; raw values match the proto enum Measure.
public enum Measure: Int32, Sendable, Equatable, Hashable, CaseIterable {
    case count = 0
    case inputTokens = 1
    case outputTokens = 2
    case totalTokens = 3
    case cost = 4
    case lastActivity = 5
    case avgResponseTime = 6
}
