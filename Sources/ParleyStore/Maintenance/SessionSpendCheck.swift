import ParleyCore

/// A session whose stored `SessionSpend` differs from the one rebuilt from its turns.
public struct SessionSpendMismatch: Sendable, Equatable, CustomStringConvertible {
    public var sessionId: String
    /// nil when `sessions.spend` has no record for the session.
    public var stored: SessionSpend?
    /// nil when the session has no turns.
    public var rebuilt: SessionSpend?

    public var description: String {
        "sessions.spend of session \(sessionId): stored \(stored.map { "\($0.entries.count) entries" } ?? "none"), "
            + "rebuilt from turns \(rebuilt.map { "\($0.entries.count) entries" } ?? "none")"
    }
}

extension ParleyStore {
    /// Rebuilds every session's spend of `organization` from its turns, live and
    /// archived, and lists the sessions whose stored record differs: empty when what each
    /// write kept equals a rebuild. Turns and records are read in one snapshot and held in memory, as `rollupMismatches`.
    public func sessionSpendMismatches(organization: String) throws -> [SessionSpendMismatch] {
        let (rebuilt, stored): ([String: SessionSpend], [String: SessionSpend]) = try read { txn in
            var bySession: [String: [Turn]] = [:]
            try detailTurns(organization: organization, window: TimeWindow(since: .min, until: .max), live: txn) { turn, _ in
                bySession[turn.sessionId, default: []].append(turn)
            }
            var stored: [String: SessionSpend] = [:]
            let prefix = Keys.organization(organization)
            try txn.tree(TreeLayout.sessionSpend).forEach(from: prefix, to: Keys.end(of: prefix)) { key, bytes in
                let session = try StoreTransaction.decodeKey(tree: TreeLayout.sessionSpend) { () throws(DecodeError) in
                    var decoder = KeyDecoder(key, from: prefix.count)
                    let session = try decoder.readString()
                    try decoder.finish()
                    return session
                }
                stored[session] = try StoreTransaction.decode(SessionSpend.self, bytes, tree: TreeLayout.sessionSpend)
                return true
            }
            return (bySession.mapValues { SessionSpend(of: $0) }, stored)
        }
        return Set(stored.keys).union(rebuilt.keys).sorted().compactMap { session in
            stored[session] == rebuilt[session] ? nil : SessionSpendMismatch(sessionId: session, stored: stored[session], rebuilt: rebuilt[session])
        }
    }
}
