import ParleyCore

/// What a bulk load stored and refused.
public struct BulkLoadResult: Sendable, Equatable {
    public var turnsStored: Int = 0
    /// Turns already stored with the same content.
    public var turnsDuplicate: Int = 0
    public var leadsCaptured: Int = 0
    /// The first refusals (invalid turn, conflicting id, lead of a session without turns), for the caller to show.
    public var refusals: [String] = []
    public var refusedCount: Int = 0

    mutating func refuse(_ reason: String) {
        refusedCount += 1
        if refusals.count < 20 { refusals.append(reason) }
    }
}

extension ParleyStore {
    /// Loads many turns and then many leads in one write transaction: the same
    /// `TurnWriter` and `LeadWriter` as LogTurn and CaptureLead, so every aggregate
    /// (indexes, session metrics and spend, rollup cells of every level, the lead move)
    /// is kept exactly as those calls keep it, without a request per lead. Meant for
    /// generated or imported history (the queries benchmark); a refused turn or lead is
    /// counted and named in the result, and the rest of the load still applies.
    public func bulkLoad(turns: [Turn], leads: [Lead], receivedAt: Millis) async throws -> BulkLoadResult {
        let turnIntake = self.turnIntake
        let recordIntake = self.recordIntake
        let archive = self.archive
        let turns = turns.map(turnIntake.counted)
        return try await submit(items: turns.count + leads.count) { txn -> Result<BulkLoadResult, StoreError> in
            var result = BulkLoadResult()
            let turnWriter = TurnWriter(txn: txn, intake: turnIntake, receivedAt: receivedAt, archive: archive.current)
            for turn in turns {
                switch try turnWriter.log(turn) {
                case .accepted(_, .stored, _): result.turnsStored += 1
                case .accepted(_, .duplicate, _): result.turnsDuplicate += 1
                case .rejected(let error): result.refuse("turn \(turn.turnId): \(error)")
                case .conflict(let message): result.refuse(message)
                case .failed(let error): result.refuse("turn \(turn.turnId): \(error)")
                }
            }
            let leadWriter = LeadWriter(txn: txn, intake: recordIntake, receivedAt: receivedAt, archive: archive.current)
            for lead in leads {
                switch try leadWriter.capture(lead) {
                case .success: result.leadsCaptured += 1
                case .failure(let error): result.refuse("lead of session \(lead.sessionId): \(error)")
                }
            }
            return .success(result)
        }
    }
}
