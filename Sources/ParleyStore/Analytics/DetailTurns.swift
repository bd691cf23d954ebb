import ParleyCore

extension ParleyStore {
    /// Every turn of a window, live and archived (`archived` tells which), in no
    /// particular order across the two: for aggregates that must not change when
    /// retention moves detail into the archive. A turn in both files (retention copies
    /// before it deletes, so a crash or a concurrent run can leave one there) is handed
    /// out once: live turns no later than the archive's newest are remembered by id.
    func detailTurns(organization: String, window: TimeWindow, _ body: (Turn, _ archived: Bool) throws -> Void) throws {
        try read { txn in try detailTurns(organization: organization, window: window, live: txn, body) }
    }

    /// As above, with the live turns read in `live`: a check compares them with
    /// aggregates read in that same snapshot, so concurrent writes cannot show as a
    /// difference.
    func detailTurns(organization: String, window: TimeWindow, live: StoreTransaction, _ body: (Turn, _ archived: Bool) throws -> Void) throws {
        let archived = archive.current
        let newestArchived = try archived?.read { txn in try Queries(txn: txn).newestTurnTime(organization: organization, before: window.until) } ?? nil
        var bothPossible = Set<String>()
        try Queries(txn: live).turns(organization: organization, window: window) { turn in
            if let newestArchived, Keys.time(of: turn) <= newestArchived { bothPossible.insert(turn.turnId) }
            try body(turn, false)
            return true
        }
        try archived?.turns(organization: organization, window: window) { turn in
            if !bothPossible.contains(turn.turnId) { try body(turn, true) }
            return true
        }
    }
}
