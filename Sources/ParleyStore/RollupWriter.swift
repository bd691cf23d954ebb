import ParleyCore

/// Keeps the rollups: every turn adds to one cell per dimension and `CellLevel` (15
/// minutes, hour, day, month) in both rollup trees of that level (same value, two key
/// orders; see docs/STORE.md), in the turn's transaction; the cells reach the trees
/// when the batch ends (PendingRollups).
struct RollupWriter {
    let txn: StoreTransaction

    func add(_ turn: Turn, sessionHasLead: Bool) throws {
        for dimension in Dimension.allCases {
            try update(turn, dimension: dimension, value: dimension.value(of: turn, sessionHasLead: sessionHasLead)) { $0.add(turn) }
        }
    }

    /// Moves every turn of a session that just captured its first lead from the
    /// "no_lead" outcome to "lead", so conversion reports count the whole session as won;
    /// turns retention moved to `archive` too (once, if a crash left one in both files).
    func moveToLead(organization: String, session: String, archive: ParleyStore?) throws {
        var turns = try SessionTurns(txn: txn).all(organization: organization, session: session)
        if let archive {
            var seen = Set(turns.map(\.turnId))
            try archive.turns(organization: organization, session: session, window: TimeWindow(since: .min, until: .max)) { turn in
                if seen.insert(turn.turnId).inserted { turns.append(turn) }
                return true
            }
        }
        for turn in turns {
            try update(turn, dimension: .sessionOutcome, value: Dimension.noLeadOutcome) { $0.subtract(turn) }
            try update(turn, dimension: .sessionOutcome, value: Dimension.leadOutcome) { $0.add(turn) }
        }
    }

    /// Takes `old` out of its cells and adds `new` to its own, for a turn whose tokens or
    /// model were repaired.
    func replace(_ old: Turn, with new: Turn, sessionHasLead: Bool) throws {
        for dimension in Dimension.allCases {
            try update(old, dimension: dimension, value: dimension.value(of: old, sessionHasLead: sessionHasLead)) { $0.subtract(old) }
            try update(new, dimension: dimension, value: dimension.value(of: new, sessionHasLead: sessionHasLead)) { $0.add(new) }
        }
    }

    private func update(_ turn: Turn, dimension: Dimension, value: String, _ change: (inout CellRollup) -> Void) throws {
        let group = PendingRollups.GroupID(organization: turn.organizationId, dimension: dimension, value: value, model: turn.model)
        try txn.pendingRollups.update(group, time: Keys.time(of: turn), load: storedRollup, change)
    }

    private func storedRollup(_ level: CellLevel, _ byTimeKey: [UInt8]) throws -> CellRollup? {
        let tree = TreeLayout.rollupsByTime(level)
        guard let bytes = try txn.storedTree(tree).get(byTimeKey) else { return nil }
        return try StoreTransaction.decode(CellRollup.self, bytes, tree: tree)
    }
}
