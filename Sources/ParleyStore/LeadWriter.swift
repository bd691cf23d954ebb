import ParleyCore

/// Captures a lead: stored in the session's log, applied to its metrics, and on the
/// session's first lead its rollups move from "no_lead" to "lead", all in one transaction.
/// A lead equal to one the session already has is stored once.
struct LeadWriter {
    let txn: StoreTransaction
    let intake: RecordIntake
    let receivedAt: Millis
    /// Retention's archive, read in the lead's transaction: the rollups of a session's
    /// archived turns stay in the live file and move with the rest.
    var archive: ParleyStore? = nil

    /// The session's metrics after the lead, and whether the lead was new (`.stored`) or
    /// equal to one the session has (`.duplicate`: nothing was written).
    func capture(_ raw: Lead) throws -> Result<(metrics: SessionMetrics, outcome: WriteOutcome), StoreError> {
        let lead: Lead
        do {
            lead = try intake.accept(raw, receivedAt: receivedAt)
        } catch {
            return .failure(.invalid(error))
        }
        let sessions = SessionMetricsWriter(txn: txn)
        guard let previous = try sessions.load(organization: lead.organizationId, session: lead.sessionId), previous.turnCount > 0 else {
            return .failure(.notFound("session \(lead.sessionId) of organization \(lead.organizationId) has no turns; log the conversation's turns before capturing its lead"))
        }

        // The same lead again (a retry, a re-import) changes nothing; one sent without a
        // time was stamped on arrival, so its time is not compared.
        let appended = try SessionLog<Lead>(txn: txn, treeName: TreeLayout.leads).append(lead, organization: lead.organizationId, session: lead.sessionId) { stored in
            var probe = lead
            if raw.capturedAt == nil { probe.capturedAt = stored.capturedAt }
            return probe == stored
        }
        guard appended else { return .success((previous, .duplicate)) }
        let metrics = try sessions.apply(lead, to: previous, at: receivedAt)
        let spend = try SessionSpendWriter(txn: txn).load(organization: lead.organizationId, session: lead.sessionId)
        try ConversionCells(txn: txn).move(organization: lead.organizationId, from: (previous, spend), to: (metrics, spend))
        if !previous.hasLead {
            try RollupWriter(txn: txn).moveToLead(organization: lead.organizationId, session: lead.sessionId, archive: archive)
        }
        return .success((metrics, .stored))
    }
}
