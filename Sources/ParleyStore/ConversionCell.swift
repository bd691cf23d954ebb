import ParleyCore

/// What the Conversion report needs of the sessions whose conversation started in one
/// UTC cell (a quarter or a day, `ConversionCells.levels`), for one `ConversionScope`,
/// kept in `sessions.conversion_cells` (store format 8).
///
/// - The `.session` scope counts every session of the cell once, with the lead timing
///   the report averages.
/// - A `.persona` scope counts the sessions with a turn of that persona, and their
///   leads, and keeps that persona's tokens by model and by the UTC day of each turn's
///   reply. Nothing is priced: the report prices a day's tokens at that day's rate, so
///   SetPrice and DeletePrice need no rewrite (a day whose rate changes within it is
///   priced turn by turn instead).
///
/// Every field is an integer and sums wrap, so a summary taken out and put back leaves
/// the cell exactly as a rebuild makes it.
struct ConversionCell: Sendable, Equatable, CustomStringConvertible {
    /// Where a persona's tokens were spent: the model, and the UTC day of the replies.
    struct SpendSlot: Sendable, Hashable {
        var model: String
        var day: Millis

        static func precedes(_ a: SpendSlot, _ b: SpendSlot) -> Bool {
            a.model != b.model ? a.model.utf8.lexicographicallyPrecedes(b.model.utf8) : a.day < b.day
        }
    }

    var sessions: Int64 = 0
    var leads: Int64 = 0
    /// Sum of lead capture minus conversation start, over `timedLeads` sessions.
    var timeToLeadSum: Int64 = 0
    var timedLeads: Int64 = 0
    /// Sum of the turns replied at or before the lead's capture, over the `countedLeads`
    /// sessions that had at least one (the seed's SQL joins the turns, so a session
    /// whose lead came before every turn is not in its average).
    var turnsToLeadSum: Int64 = 0
    var countedLeads: Int64 = 0
    /// Tokens per slot; a slot whose counts are all zero is never kept.
    private(set) var spend: [SpendSlot: TokenCounts] = [:]

    init() {}

    var isEmpty: Bool { self == ConversionCell() }

    mutating func spent(_ tokens: TokenCounts, on slot: SpendSlot, sign: Int64 = 1) {
        var sum = spend[slot] ?? TokenCounts()
        sum.input &+= sign &* tokens.input
        sum.output &+= sign &* tokens.output
        sum.cachedRead &+= sign &* tokens.cachedRead
        sum.cacheWrite &+= sign &* tokens.cacheWrite
        sum.total &+= sign &* tokens.total
        spend[slot] = sum == TokenCounts() ? nil : sum
    }

    /// Adds (`sign` 1) or takes out (`sign` -1) `other`.
    mutating func add(_ other: ConversionCell, sign: Int64) {
        sessions &+= sign &* other.sessions
        leads &+= sign &* other.leads
        timeToLeadSum &+= sign &* other.timeToLeadSum
        timedLeads &+= sign &* other.timedLeads
        turnsToLeadSum &+= sign &* other.turnsToLeadSum
        countedLeads &+= sign &* other.countedLeads
        for (slot, tokens) in other.spend { spent(tokens, on: slot, sign: sign) }
    }

    /// Six big-endian integers (`KeyEncoder`'s), the slot count, then each slot in
    /// (model, day) order with its five token counts (reasoning is not kept: it is
    /// billed as output).
    var bytes: [UInt8] {
        var encoder = KeyEncoder()
        for field in [sessions, leads, timeToLeadSum, timedLeads, turnsToLeadSum, countedLeads] { encoder.append(field) }
        encoder.append(UInt32(spend.count))
        for slot in spend.keys.sorted(by: SpendSlot.precedes) {
            let tokens = spend[slot] ?? TokenCounts()
            encoder.append(slot.model)
            encoder.append(slot.day)
            for count in [tokens.input, tokens.output, tokens.cachedRead, tokens.cacheWrite, tokens.total] { encoder.append(count) }
        }
        return encoder.bytes
    }

    init(decoding bytes: [UInt8]) throws(DecodeError) {
        var decoder = KeyDecoder(bytes)
        sessions = try decoder.readInt64()
        leads = try decoder.readInt64()
        timeToLeadSum = try decoder.readInt64()
        timedLeads = try decoder.readInt64()
        turnsToLeadSum = try decoder.readInt64()
        countedLeads = try decoder.readInt64()
        let slots = try decoder.readUInt32()
        for _ in 0..<slots {
            let slot = SpendSlot(model: try decoder.readString(), day: try decoder.readInt64())
            let tokens = TokenCounts(input: try decoder.readInt64(), output: try decoder.readInt64(), cachedRead: try decoder.readInt64(),
                                     cacheWrite: try decoder.readInt64(), total: try decoder.readInt64())
            spend[slot] = tokens
        }
        try decoder.finish()
    }

    var description: String {
        let slots = spend.keys.sorted(by: SpendSlot.precedes).map { slot in
            let t = spend[slot] ?? TokenCounts()
            return "\(slot.model)@\(slot.day): \(t.input)/\(t.output)/\(t.cachedRead)/\(t.cacheWrite)/\(t.total)"
        }
        return "sessions \(sessions), leads \(leads), time to lead \(timeToLeadSum)/\(timedLeads), "
            + "turns to lead \(turnsToLeadSum)/\(countedLeads), spend [\(slots.joined(separator: ", "))]"
    }
}
