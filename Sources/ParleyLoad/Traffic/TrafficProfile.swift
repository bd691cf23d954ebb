import ParleyCore

/// The shape of a generated traffic stream. The defaults describe one organisation with
/// WhatsApp devices in three time zones; every field can be changed for a test.
public struct TrafficProfile: Sendable, Equatable {
    public var seed: UInt64
    public var size: TrafficSize
    public var organizationId: String
    /// Midnight UTC of the first day.
    public var start: Millis
    /// Mean distinct turns per day (a day's real count varies with the draw).
    public var turnsPerDay: Int
    public var devices: Int
    /// Each device serves customers in one of these IANA zones, round robin.
    public var timeZones: [String]
    public var contacts: Int
    /// Zipf exponent of contact activity: the contact of rank k starts sessions in
    /// proportion to 1 / k^s.
    public var zipfExponent: Double
    public var personas: Int
    public var models: [ModelShare]
    /// Mean turns of a session (at least 1; geometric, so most are short, some long).
    public var meanTurnsPerSession: Double
    /// Share of sessions that end with a lead, and with feedback.
    public var leadRate: Double
    public var feedbackRate: Double
    /// Share of turns delivered twice (a client retry after a lost answer).
    public var duplicateRate: Double

    public init(
        seed: UInt64, size: TrafficSize, organizationId: String = "org-load",
        start: Millis = 1_767_571_200_000, // Monday 2026-01-05 00:00 UTC
        turnsPerDay: Int = 20_000, devices: Int = 12,
        timeZones: [String] = ["Europe/Berlin", "America/New_York", "Asia/Kolkata"],
        contacts: Int = 5_000, zipfExponent: Double = 1.1, personas: Int = 6,
        models: [ModelShare] = TrafficProfile.defaultModels,
        meanTurnsPerSession: Double = 4, leadRate: Double = 0.06, feedbackRate: Double = 0.12,
        duplicateRate: Double = 0.02
    ) {
        self.seed = seed
        self.size = size
        self.organizationId = organizationId
        self.start = start
        self.turnsPerDay = turnsPerDay
        self.devices = devices
        self.timeZones = timeZones
        self.contacts = contacts
        self.zipfExponent = zipfExponent
        self.personas = personas
        self.models = models
        self.meanTurnsPerSession = meanTurnsPerSession
        self.leadRate = leadRate
        self.feedbackRate = feedbackRate
        self.duplicateRate = duplicateRate
    }

    public static let defaultModels: [ModelShare] = [
        ModelShare(model: "gpt-4o-mini", weight: 0.55, medianInputTokens: 900, medianOutputTokens: 180),
        ModelShare(model: "claude-3-5-haiku", weight: 0.25, medianInputTokens: 1_100, medianOutputTokens: 220),
        ModelShare(model: "gpt-4o", weight: 0.15, medianInputTokens: 1_400, medianOutputTokens: 320),
        ModelShare(model: "claude-sonnet-4", weight: 0.05, medianInputTokens: 2_000, medianOutputTokens: 450),
    ]

    func validate() throws(TrafficProfileError) {
        switch size {
        case .turns(let n) where n < 0: throw .invalid("the number of turns must not be negative, not \(n)")
        case .days(let n) where n < 0: throw .invalid("the number of days must not be negative, not \(n)")
        default: break
        }
        guard turnsPerDay > 0 else { throw .invalid("turns per day must be positive") }
        guard devices > 0, contacts > 0, personas > 0 else { throw .invalid("devices, contacts and personas must be positive") }
        guard !timeZones.isEmpty else { throw .invalid("name at least one time zone") }
        guard !models.isEmpty, models.allSatisfy({ $0.weight > 0 }) else { throw .invalid("name at least one model, each with a positive weight") }
        guard zipfExponent >= 0 else { throw .invalid("the Zipf exponent must not be negative") }
        guard meanTurnsPerSession >= 1 else { throw .invalid("a session has at least 1 turn on average") }
        for (name, rate) in [("lead", leadRate), ("feedback", feedbackRate), ("duplicate", duplicateRate)] where !(0...1).contains(rate) {
            throw .invalid("the \(name) rate must be between 0 and 1, not \(rate)")
        }
        guard !organizationId.isEmpty else { throw .invalid("name the organization") }
    }
}
