import ParleyCore

extension ParleyStore {
    /// Rebuilds `sessions.by_start` of `organization` from the stored session metrics
    /// (one entry per session with a start) and lists the entries that differ, in one
    /// snapshot: empty when every write kept the index in step with the metrics.
    func sessionStartMismatches(organization: String) throws -> [AggregateMismatch] {
        try read { txn in
            let prefix = Keys.organization(organization)
            var rebuilt: [[UInt8]: SessionStartEntry] = [:]
            try txn.tree(TreeLayout.sessions).forEach(from: prefix, to: Keys.end(of: prefix)) { _, bytes in
                let metrics = try StoreTransaction.decode(SessionMetrics.self, bytes, tree: TreeLayout.sessions)
                if let key = SessionMetricsWriter.startKey(metrics) { rebuilt[key] = SessionStartEntry(metrics) }
                return true
            }
            // Raw values: the encoding is deterministic, and an undecodable value (such as a
            // format-4 lead byte) is a mismatch to name, not a reason to stop the check.
            var stored: [[UInt8]: [UInt8]] = [:]
            try txn.tree(TreeLayout.sessionsByStart).forEach(from: prefix, to: Keys.end(of: prefix)) { key, value in
                stored[key] = value
                return true
            }
            return try Set(stored.keys).union(rebuilt.keys).sorted { $0.lexicographicallyPrecedes($1) }.compactMap { key in
                guard stored[key] != rebuilt[key]?.bytes else { return nil }
                let (start, session) = try StoreTransaction.decodeKey(tree: TreeLayout.sessionsByStart) { () throws(DecodeError) in
                    var decoder = KeyDecoder(key, from: prefix.count)
                    let start = try decoder.readInt64()
                    let session = try decoder.readString()
                    try decoder.finish()
                    return (start, session)
                }
                return AggregateMismatch(organization: organization, aggregate: TreeLayout.sessionsByStart, key: "(\(start), \"\(session)\")",
                                         expected: rebuilt[key].map { "\($0)" } ?? "none", found: stored[key].map(Self.describeStartEntry) ?? "none")
            }
        }
    }

    private static func describeStartEntry(_ bytes: [UInt8]) -> String {
        (try? SessionStartEntry(decoding: bytes)).map { "\($0)" } ?? "an undecodable value of \(bytes.count) bytes"
    }
}
