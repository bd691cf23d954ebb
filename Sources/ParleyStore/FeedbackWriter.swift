import ParleyCore

/// Records a feedback score for a session (or one turn of it) and applies it to the
/// session's metrics in the same transaction. Feedback equal to feedback the session
/// already has is stored once.
struct FeedbackWriter {
    let txn: StoreTransaction
    let intake: RecordIntake
    let receivedAt: Millis

    /// The session's metrics after the feedback, and whether it was new (`.stored`) or
    /// equal to feedback the session has (`.duplicate`: nothing was written).
    func record(_ raw: Feedback) throws -> Result<(metrics: SessionMetrics, outcome: WriteOutcome), StoreError> {
        let feedback: Feedback
        do {
            feedback = try intake.accept(raw, receivedAt: receivedAt)
        } catch {
            return .failure(.invalid(error))
        }
        let org = feedback.organizationId
        let sessions = SessionMetricsWriter(txn: txn)
        guard let previous = try sessions.load(organization: org, session: feedback.sessionId), previous.turnCount > 0 else {
            return .failure(.notFound("session \(feedback.sessionId) of organization \(org) has no turns; feedback is given on a logged conversation"))
        }
        if !feedback.turnId.isEmpty {
            guard let turn = try txn.get(Turn.self, TreeLayout.turns, Keys.entity(org, feedback.turnId)) else {
                return .failure(.notFound("turn \(feedback.turnId) of organization \(org) is not stored; leave turn_id empty to rate the whole session"))
            }
            guard turn.sessionId == feedback.sessionId else {
                return .failure(.invalid(field: "turn_id", "turn \(feedback.turnId) belongs to session \(turn.sessionId), not \(feedback.sessionId); give the turn's own session"))
            }
        }

        // The same feedback again (a retry, a re-import) changes nothing; one sent without
        // a time was stamped on arrival, so its time is not compared.
        let appended = try SessionLog<Feedback>(txn: txn, treeName: TreeLayout.feedback).append(feedback, organization: org, session: feedback.sessionId) { stored in
            var probe = feedback
            if raw.givenAt == nil { probe.givenAt = stored.givenAt }
            return probe == stored
        }
        guard appended else { return .success((previous, .duplicate)) }
        return .success((try sessions.apply(feedback, to: previous, at: receivedAt), .stored))
    }
}
