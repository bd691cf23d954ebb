import ParleyCore

/// Reads and writes a session's metrics and keeps `sessions.by_start` in step, inside
/// the transaction of the turn, lead or feedback that changes them. The single writer
/// applies every change to the value it just read in the same transaction, so
/// concurrent requests for one session never lose or double an update.
struct SessionMetricsWriter {
    let txn: StoreTransaction

    func load(organization: String, session: String) throws -> SessionMetrics? {
        try txn.get(SessionMetrics.self, TreeLayout.sessions, Keys.entity(organization, session))
    }

    /// Stores `metrics`; `previous` is what was stored before (nil when new), so a
    /// moved conversation start replaces its old index entry, an entry whose summary
    /// (`SessionStartEntry`) changed is rewritten, and the start cells move with both.
    func save(_ metrics: SessionMetrics, replacing previous: SessionMetrics?) throws {
        var cells = SessionStartCells.Changes()
        try save(metrics, replacing: previous, startCells: &cells)
        try cells.apply(to: txn.tree(TreeLayout.sessionStartCells))
    }

    /// `save`, with the start cells' move added to `startCells` for the caller to apply.
    func save(_ metrics: SessionMetrics, replacing previous: SessionMetrics?, startCells: inout SessionStartCells.Changes) throws {
        try txn.put(metrics, TreeLayout.sessions, Keys.entity(metrics.organizationId, metrics.sessionId))
        let index = try txn.tree(TreeLayout.sessionsByStart)
        let oldKey = previous.flatMap(Self.startKey)
        let newKey = Self.startKey(metrics)
        if let oldKey, oldKey != newKey { try index.delete(oldKey) }
        let oldEntry = previous.map(SessionStartEntry.init)
        let entry = SessionStartEntry(metrics)
        guard oldKey != newKey || oldEntry != entry else { return }
        if let newKey { try index.put(newKey, entry.bytes) }
        startCells.move(organization: metrics.organizationId,
                        from: oldEntry.flatMap { e in previous?.conversationStart.map { ($0, e) } },
                        to: metrics.conversationStart.map { ($0, entry) })
    }

    /// `previous` is what `load` gave for the turn's session in this transaction.
    func apply(_ turn: Turn, to previous: SessionMetrics?, at time: Millis) throws -> SessionMetrics {
        var metrics = previous ?? SessionMetrics(organizationId: turn.organizationId, sessionId: turn.sessionId)
        metrics.apply(turn)
        metrics.touch(at: time)
        try save(metrics, replacing: previous)
        return metrics
    }

    func apply(_ feedback: Feedback, to previous: SessionMetrics, at time: Millis) throws -> SessionMetrics {
        var metrics = previous
        metrics.apply(feedback)
        metrics.touch(at: time)
        try save(metrics, replacing: previous)
        return metrics
    }

    func apply(_ lead: Lead, to previous: SessionMetrics, at time: Millis) throws -> SessionMetrics {
        var metrics = previous
        metrics.apply(lead)
        metrics.touch(at: time)
        try save(metrics, replacing: previous)
        return metrics
    }

    /// (org, conversation start, session); the value is the session's
    /// `SessionStartEntry`. A session without a start (no turn) is not listed.
    static func startKey(_ metrics: SessionMetrics) -> [UInt8]? {
        metrics.conversationStart.map { Keys.timed(metrics.organizationId, $0, metrics.sessionId) }
    }
}
