import ParleyCore

/// What a generated stream holds, counted by the generator as it made the events, so a
/// test can compare a server's reports after a replay with what was sent.
public struct TrafficTotals: Sendable, Equatable {
    /// Distinct turns (a duplicate delivery stores nothing new).
    public var turns = 0
    public var duplicateDeliveries = 0
    public var sessions = 0
    public var leads = 0
    public var feedback = 0
    public var turnsByModel: [String: Int] = [:]
    public var tokensByModel: [String: TokenCounts] = [:]
    public var turnsByDevice: [String: Int] = [:]
    public var tokensByDevice: [String: TokenCounts] = [:]
    /// Turns by the local day of their reply in their device's time zone.
    public var turnsByZoneDay: [ZoneDay: Int] = [:]

    public init() {}

    mutating func countTurn(_ turn: Turn, day: ZoneDay) {
        turns += 1
        let tokens = turn.tokens ?? .zero
        turnsByModel[turn.model, default: 0] += 1
        tokensByModel[turn.model, default: .zero].add(tokens)
        turnsByDevice[turn.deviceId, default: 0] += 1
        tokensByDevice[turn.deviceId, default: .zero].add(tokens)
        turnsByZoneDay[day, default: 0] += 1
    }
}

extension TokenCounts {
    mutating func add(_ other: TokenCounts) {
        input += other.input
        output += other.output
        cachedRead += other.cachedRead
        cacheWrite += other.cacheWrite
        total += other.total
    }
}
