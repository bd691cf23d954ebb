import ParleyCore

/// Keeps `sessions.spend` (one `SessionSpend` per session) in the transaction of the
/// turn that changes it: logged, or repaired by token repair. Retention leaves it in the
/// live file, so the conversion report never needs archived turns.
struct SessionSpendWriter {
    let txn: StoreTransaction

    func load(organization: String, session: String) throws -> SessionSpend? {
        try txn.get(SessionSpend.self, TreeLayout.sessionSpend, Keys.entity(organization, session))
    }

    /// Adds `turn` to its session's spend (or replaces its entry); returns the spend as
    /// it was and as it is now, for the conversion cells.
    @discardableResult
    func record(_ turn: Turn) throws -> (old: SessionSpend?, new: SessionSpend) {
        let old = try load(organization: turn.organizationId, session: turn.sessionId)
        var spend = old ?? SessionSpend()
        spend.record(turn)
        try save(spend, organization: turn.organizationId, session: turn.sessionId)
        return (old, spend)
    }

    func save(_ spend: SessionSpend, organization: String, session: String) throws {
        try txn.put(spend, TreeLayout.sessionSpend, Keys.entity(organization, session))
    }
}
