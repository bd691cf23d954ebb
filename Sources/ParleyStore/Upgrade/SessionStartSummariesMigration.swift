import ParleyCore
import ParleyStorage

extension FormatMigration {
    /// Version 4 kept only the lead flag in each `sessions.by_start` value; version 5
    /// keeps the session's `SessionStartEntry`, which the Sessions report sums. The step
    /// rebuilds the index from the stored metrics, as `SessionMetricsWriter.save` writes
    /// it. An archive holds metrics only if turns were logged into it directly, and then
    /// the same rebuild applies. `sessionStartMismatches` checks the result.
    static let sessionStartSummaries = FormatMigration(from: 4, summary: "each session's start-index entry carries the totals the Sessions report sums") { txn, _ in
        if try txn.tree(TreeLayout.sessionsByStart) != nil { try txn.dropTree(TreeLayout.sessionsByStart) }
        let index = try txn.createTree(TreeLayout.sessionsByStart)
        guard let sessions = try txn.tree(TreeLayout.sessions) else { return }
        try sessions.forEach { _, bytes in
            let metrics = try StoreTransaction.decode(SessionMetrics.self, bytes, tree: TreeLayout.sessions)
            if let key = SessionMetricsWriter.startKey(metrics) { try index.put(key, SessionStartEntry(metrics).bytes) }
            return true
        }
    }
}
