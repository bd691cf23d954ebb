import ParleyCore

/// The sum of the `SessionStartEntry` summaries of every session whose conversation
/// started in one UTC cell (a quarter or a day, `SessionStartCells.levels`), kept in
/// `sessions.start_cells` (store format 6). The Sessions report adds a few cells for the whole cells of its window instead of
/// walking one index entry per session.
///
/// Every field is an integer so that a summary taken out and put back (a session whose
/// totals changed, or whose start moved) leaves the cell exactly as a rebuild makes it.
/// Satisfaction is a mean of integer scores, a `Double` with far fewer than 60
/// fractional bits, so its sum is kept in 2^-60 units in an `Int128`: exact for every
/// mean a session can have, and the report's average rounds only once, at the end.
struct SessionStartCell: Sendable, Equatable, CustomStringConvertible {
    var sessions: Int64 = 0
    var sessionsWithLead: Int64 = 0
    var totalMessages: Int64 = 0
    var totalTokens: Int64 = 0
    var durationSum: Int64 = 0
    var durations: Int64 = 0
    var responseTimeSum: Int64 = 0
    var responseTimes: Int64 = 0
    /// Sum of the present satisfaction values, in units of 2^-60.
    var satisfactionSum: Int128 = 0
    var ratedSessions: Int64 = 0

    static let satisfactionScale: Double = 0x1p60

    init() {}

    init(_ entry: SessionStartEntry) {
        add(entry, sign: 1)
    }

    var isEmpty: Bool { self == SessionStartCell() }

    /// Adds (`sign` 1) or takes out (`sign` -1) one session's summary.
    mutating func add(_ entry: SessionStartEntry, sign: Int64) {
        sessions += sign
        if entry.hasLead { sessionsWithLead += sign }
        totalMessages += sign * entry.totalMessages
        totalTokens += sign * entry.totalTokens
        if let duration = entry.duration {
            durationSum += sign * duration
            durations += sign
        }
        if let response = entry.averageResponseTime {
            responseTimeSum += sign * response
            responseTimes += sign
        }
        if let satisfaction = entry.userSatisfaction {
            satisfactionSum += Int128(sign) * Int128((satisfaction * Self.satisfactionScale).rounded())
            ratedSessions += sign
        }
    }

    mutating func add(_ other: SessionStartCell) {
        sessions += other.sessions
        sessionsWithLead += other.sessionsWithLead
        totalMessages += other.totalMessages
        totalTokens += other.totalTokens
        durationSum += other.durationSum
        durations += other.durations
        responseTimeSum += other.responseTimeSum
        responseTimes += other.responseTimes
        satisfactionSum += other.satisfactionSum
        ratedSessions += other.ratedSessions
    }

    /// Eleven fixed-width big-endian fields (`KeyEncoder`'s integers), the satisfaction
    /// sum as its high then low 64 bits.
    var bytes: [UInt8] {
        var encoder = KeyEncoder()
        for field in [sessions, sessionsWithLead, totalMessages, totalTokens, durationSum, durations, responseTimeSum, responseTimes] {
            encoder.append(field)
        }
        encoder.append(Int64(truncatingIfNeeded: satisfactionSum >> 64))
        encoder.append(UInt64(truncatingIfNeeded: satisfactionSum))
        encoder.append(ratedSessions)
        return encoder.bytes
    }

    init(decoding bytes: [UInt8]) throws(DecodeError) {
        var decoder = KeyDecoder(bytes)
        sessions = try decoder.readInt64()
        sessionsWithLead = try decoder.readInt64()
        totalMessages = try decoder.readInt64()
        totalTokens = try decoder.readInt64()
        durationSum = try decoder.readInt64()
        durations = try decoder.readInt64()
        responseTimeSum = try decoder.readInt64()
        responseTimes = try decoder.readInt64()
        let high = try decoder.readInt64()
        let low = try decoder.readUInt64()
        satisfactionSum = Int128(high) << 64 | Int128(low)
        ratedSessions = try decoder.readInt64()
        try decoder.finish()
    }

    var description: String {
        "sessions \(sessions), with lead \(sessionsWithLead), messages \(totalMessages), tokens \(totalTokens), "
            + "durations \(durationSum)/\(durations), response times \(responseTimeSum)/\(responseTimes), "
            + "satisfaction \(Double(satisfactionSum) / Self.satisfactionScale)/\(ratedSessions)"
    }
}
