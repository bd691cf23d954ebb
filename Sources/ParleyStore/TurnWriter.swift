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
        // The session's metrics and spend change in the batch's pending state; they, the
        // index entry and the cells they move are written once when the batch ends.
        let metrics = try txn.pendingSessions.update(session(of: turn), load: { try storedState(of: turn) }) { state in
            var metrics = state.metrics ?? SessionMetrics(organizationId: turn.organizationId, sessionId: turn.sessionId)
            metrics.apply(turn)
            metrics.touch(at: receivedAt)
            state.metrics = metrics
            if state.spend == nil { state.spend = SessionSpend() }
            state.spend?.record(turn)
            return metrics
        }
        try RollupWriter(txn: txn).add(turn, sessionHasLead: metrics.hasLead)
        return .accepted(turn, .stored, metrics)
    }

    private func session(of turn: Turn) -> PendingSessions.ID {
        PendingSessions.ID(organization: turn.organizationId, session: turn.sessionId)
    }

    /// The session as stored before the batch, read without writing the pending state.
    private func storedState(of turn: Turn) throws -> PendingSessions.State {
        let key = Keys.entity(turn.organizationId, turn.sessionId)
        return PendingSessions.State(metrics: try txn.storedGet(SessionMetrics.self, TreeLayout.sessions, key),
                                     spend: try txn.storedGet(SessionSpend.self, TreeLayout.sessionSpend, key))
    }

    /// A stored id: the same content is the caller's retry, anything else a conflict.
    /// The stored model stands in for the persona default, so a retry stays a retry
    /// after the persona's default model changed.
    private func retry(_ raw: Turn, of stored: Turn) throws -> TurnResult {
        guard intake.isRetry(raw, of: stored, personaDefaultModel: stored.model) else {
            return .conflict("turn \(raw.turnId) of organization \(raw.organizationId) was already logged with different content; "
                + "resend exactly the same turn to retry, or give a new reply a new turn id")
        }
        let metrics = try txn.pendingSessions.state(of: session(of: stored), load: { try storedState(of: stored) }).metrics
            ?? SessionMetrics(organizationId: stored.organizationId, sessionId: stored.sessionId)
        return .accepted(stored, .duplicate, metrics)
    }

    private func defaultModel(of turn: Turn) throws -> String? {
        guard turn.model.isEmpty, !turn.personaId.isEmpty else { return nil }
        let persona = try txn.get(Persona.self, TreeLayout.personas, Keys.entity(turn.organizationId, turn.personaId))
        return persona.map(\.defaultModel).flatMap { $0.isEmpty ? nil : $0 }
    }
}
