import ParleyCore

/// Logs one turn inside a batch. Prepare: validation, the idempotency check against the
/// stored turn of that id, and intake with the persona's default model, all reads.
/// Apply: the record, its indexes, the session's metrics and spend, and the rollups.
struct TurnWriter {
    let txn: StoreTransaction
    let intake: TurnIntake
    let receivedAt: Millis
    /// Retention's archive: a turn id moved there is still logged, so a late retry of it
    /// stays a retry instead of counting the turn a second time.
    var archive: ParleyStore? = nil

    func log(_ raw: Turn) throws -> TurnResult {
        do {
            try intake.validate(raw)
        } catch {
            return .rejected(error)
        }
        let key = Keys.entity(raw.organizationId, raw.turnId)
        if let stored = try txn.get(Turn.self, TreeLayout.turns, key) ?? archive?.turn(organization: raw.organizationId, id: raw.turnId) {
            return try retry(raw, of: stored)
        }
        let fallbackModel = try defaultModel(of: raw)
        let turn: Turn
        do {
            turn = try intake.accept(raw, personaDefaultModel: fallbackModel, receivedAt: receivedAt)
        } catch {
            return .rejected(error)
        }

        try txn.put(turn, TreeLayout.turns, key)
        try TurnIndexes(txn: txn).put(turn)
        let sessions = SessionMetricsWriter(txn: txn)
        let previous = try sessions.load(organization: turn.organizationId, session: turn.sessionId)
        let metrics = try sessions.apply(turn, to: previous, at: receivedAt)
        try RollupWriter(txn: txn).add(turn, sessionHasLead: metrics.hasLead)
        let spend = try SessionSpendWriter(txn: txn).record(turn)
        try ConversionCells(txn: txn).move(organization: turn.organizationId, from: (previous, spend.old), to: (metrics, spend.new))
        return .accepted(turn, .stored, metrics)
    }

    /// A stored id: the same content is the caller's retry, anything else a conflict.
    /// The stored model stands in for the persona default, so a retry stays a retry
    /// after the persona's default model changed.
    private func retry(_ raw: Turn, of stored: Turn) throws -> TurnResult {
        guard intake.isRetry(raw, of: stored, personaDefaultModel: stored.model) else {
            return .conflict("turn \(raw.turnId) of organization \(raw.organizationId) was already logged with different content; "
                + "resend exactly the same turn to retry, or give a new reply a new turn id")
        }
        let metrics = try SessionMetricsWriter(txn: txn).load(organization: stored.organizationId, session: stored.sessionId)
            ?? SessionMetrics(organizationId: stored.organizationId, sessionId: stored.sessionId)
        return .accepted(stored, .duplicate, metrics)
    }

    private func defaultModel(of turn: Turn) throws -> String? {
        guard turn.model.isEmpty, !turn.personaId.isEmpty else { return nil }
        let persona = try txn.get(Persona.self, TreeLayout.personas, Keys.entity(turn.organizationId, turn.personaId))
        return persona.map(\.defaultModel).flatMap { $0.isEmpty ? nil : $0 }
    }
}
