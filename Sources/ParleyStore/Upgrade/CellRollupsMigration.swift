import ParleyCore
import ParleyStorage

extension FormatMigration {
    /// Version 1 kept rollups in whole UTC hours (`rollups.by_hour`, and `rollups.by_value`
    /// keyed by hour); version 2 keeps 15-minute cells (`rollups.by_time`, `rollups.by_value`
    /// by cell start; docs/STORE.md). An hour cell cannot be split, so the step drops the
    /// hour cells and adds every turn again, live and archived (a turn found in both,
    /// as a crash during retention can leave it, once), with its session's lead state,
    /// exactly as the writers would have. `rollupMismatches` checks the result.
    static let cellRollups = FormatMigration(from: 1, summary: "hour rollups rebuilt from the turns as 15-minute cells") { txn, role in
        let hourRollups = "rollups.by_hour"
        try txn.dropTree(hourRollups)
        try txn.dropTree(TreeLayout.rollupsByValue)
        // The writer keeps every level's cells; the next step (version 3) rebuilds them all.
        for name in TreeLayout.rollupTrees { _ = try txn.createTree(name) }
        guard case let .live(archivedTurns) = role else { return }
        let store = StoreTransaction(base: txn)
        let rollups = RollupWriter(txn: store)
        let sessions = SessionMetricsWriter(txn: store)
        let liveTurns = try store.storedTree(TreeLayout.turns)
        func add(_ turn: Turn) throws {
            let hasLead = try sessions.load(organization: turn.organizationId, session: turn.sessionId)?.hasLead ?? false
            try rollups.add(turn, sessionHasLead: hasLead)
        }
        try liveTurns.forEach { _, bytes in
            try add(StoreTransaction.decode(Turn.self, bytes, tree: TreeLayout.turns))
            return true
        }
        try archivedTurns { turn in
            if try liveTurns.get(Keys.entity(turn.organizationId, turn.turnId)) == nil { try add(turn) }
        }
        try store.flushRollups()
    }
}
