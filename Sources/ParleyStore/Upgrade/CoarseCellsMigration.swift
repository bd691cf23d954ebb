import ParleyCore
import ParleyStorage

extension FormatMigration {
    /// Versions 2 and 3 kept 15-minute cells only; version 4 adds hour, day and month cells
    /// (`CellLevel`, their own trees) and `sessions.spend`. The step drops every rollup
    /// tree of every level and the spend tree, then adds every turn again, live and
    /// archived (once, if a crash during retention left it in both), with its session's
    /// lead state, exactly as the writers would have. `rollupMismatches` and
    /// `sessionSpendMismatches` check the result.
    static let coarseCellsAndSpend = FormatMigration(from: 3, summary: "hour, day and month rollup cells and each session's spend built from the turns") { txn, role in
        for name in TreeLayout.rollupTrees + [TreeLayout.sessionSpend] {
            if try txn.tree(name) != nil { try txn.dropTree(name) }
            _ = try txn.createTree(name)
        }
        guard case let .live(archivedTurns) = role else { return }
        let store = StoreTransaction(base: txn)
        let rollups = RollupWriter(txn: store)
        let spends = SessionSpendWriter(txn: store)
        let sessions = SessionMetricsWriter(txn: store)
        let liveTurns = try store.storedTree(TreeLayout.turns)
        func add(_ turn: Turn) throws {
            let hasLead = try sessions.load(organization: turn.organizationId, session: turn.sessionId)?.hasLead ?? false
            try rollups.add(turn, sessionHasLead: hasLead)
            try spends.record(turn)
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
