import ParleyCore

/// Backfill's unit of work: rebuilds the metrics and spend (`SessionSpend`) of a
/// bounded run of sessions from their stored turns, leads and feedback, in one transaction. Sessions are found
/// through `turns.by_session`, so a session whose metrics went missing is rebuilt too.
/// Turns that retention moved to the archive count as well: without them a backfill
/// after retention would shrink every session that straddles the cutoff.
struct SessionRebuilder {
    let txn: StoreTransaction
    /// Retention's archive, when one exists.
    var archive: ParleyStore? = nil

    /// Rebuilds up to `limit` sessions whose index keys lie in [from, to); returns how
    /// many, where the next run starts (nil when the range is done), and the
    /// organizations of sessions that had turns but no metrics: what those were summed
    /// into cannot be taken out, so backfill rewrites those aggregates afterwards
    /// (`replaceSessionAggregates`).
    func rebuild(from: [UInt8], to: [UInt8], limit: Int, at time: Millis) throws -> (rebuilt: Int64, next: [UInt8]?, lostMetrics: Set<String>) {
        let found = try sessions(from: from, to: to, limit: limit)
        let writer = SessionMetricsWriter(txn: txn)
        var lostMetrics = Set<String>()
        for (organization, session) in found.sessions {
            let turns = try allTurns(organization: organization, session: session)
            let leads = try SessionLog<Lead>(txn: txn, treeName: TreeLayout.leads).all(organization: organization, session: session)
            let feedback = try SessionLog<Feedback>(txn: txn, treeName: TreeLayout.feedback).all(organization: organization, session: session)
            let spend = SessionSpend(of: turns)
            let spendWriter = SessionSpendWriter(txn: txn)
            let oldSpend = try spendWriter.load(organization: organization, session: session)
            if oldSpend != spend {
                try spendWriter.save(spend, organization: organization, session: session)
            }
            var rebuilt = SessionMetrics.recompute(turns: turns, leads: leads, feedback: feedback)
            let previous = try writer.load(organization: organization, session: session)
            if previous == nil { lostMetrics.insert(organization) }
            rebuilt.createdAt = previous?.createdAt
            rebuilt.updatedAt = previous?.updatedAt
            try ConversionCells(txn: txn).move(organization: organization, from: (previous, oldSpend), to: (rebuilt, spend))
            // Unchanged metrics keep their update time and cost no write.
            guard rebuilt != previous else { continue }
            rebuilt.touch(at: time)
            try writer.save(rebuilt, replacing: previous)
        }
        return (Int64(found.sessions.count), found.next, lostMetrics)
    }

    private func allTurns(organization: String, session: String) throws -> [Turn] {
        var turns = try SessionTurns(txn: txn).all(organization: organization, session: session)
        guard let archive else { return turns }
        // A turn caught between the two files by a crash during retention is in both.
        var seen = Set(turns.map(\.turnId))
        try archive.turns(organization: organization, session: session, window: TimeWindow(since: .min, until: .max)) { turn in
            if seen.insert(turn.turnId).inserted { turns.append(turn) }
            return true
        }
        return turns
    }

    /// Distinct (org, session) pairs of `turns.by_session` in [from, to), skipping
    /// each session's turns with a seek past its prefix.
    func sessions(from: [UInt8], to: [UInt8], limit: Int) throws -> (sessions: [(String, String)], next: [UInt8]?) {
        let cursor = try txn.tree(TreeLayout.turnsBySession).cursor()
        var found: [(String, String)] = []
        var entry = try cursor.seek(from)
        while let current = entry, current.key.lexicographicallyPrecedes(to) {
            let pair = try StoreTransaction.decodeKey(tree: TreeLayout.turnsBySession) { () throws(DecodeError) in
                var decoder = KeyDecoder(current.key)
                return (try decoder.readString(), try decoder.readString())
            }
            let after = Keys.end(of: Keys.entity(pair.0, pair.1))
            guard found.count < limit else { return (found, Keys.entity(pair.0, pair.1)) }
            found.append(pair)
            entry = try cursor.seek(after)
        }
        return (found, nil)
    }
}
