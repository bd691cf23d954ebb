import ParleyCore

extension ParleyStore {
    /// Rebuilds `sessions.by_start` of `organization` from the stored session metrics
    /// (one entry per session with a start) and `sessions.start_cells` from those
    /// entries, and lists the entries and cells that differ, in one snapshot: empty when
    /// every write kept both in step with the metrics.
    func sessionStartMismatches(organization: String) throws -> [AggregateMismatch] {
        try read { txn in
            let prefix = Keys.organization(organization)
            var rebuilt: [[UInt8]: SessionStartEntry] = [:]
            var cells = SessionStartCells.Rebuild()
            try txn.tree(TreeLayout.sessions).forEach(from: prefix, to: Keys.end(of: prefix)) { _, bytes in
                let metrics = try StoreTransaction.decode(SessionMetrics.self, bytes, tree: TreeLayout.sessions)
                if let key = SessionMetricsWriter.startKey(metrics), let start = metrics.conversationStart {
                    rebuilt[key] = SessionStartEntry(metrics)
                    cells.add(organization: organization, start: start, SessionStartEntry(metrics))
                }
                return true
            }
            let entries = try Self.differences(txn, tree: TreeLayout.sessionsByStart, organization: organization, rebuilt: rebuilt.mapValues(\.bytes),
                                               describe: { bytes in (try? SessionStartEntry(decoding: bytes)).map { "\($0)" } }) { key throws(DecodeError) in
                var decoder = KeyDecoder(key, from: prefix.count)
                let start = try decoder.readInt64()
                let session = try decoder.readString()
                try decoder.finish()
                return "(\(start), \"\(session)\")"
            }
            let startCells = try Self.differences(txn, tree: TreeLayout.sessionStartCells, organization: organization, rebuilt: cells.cells.mapValues(\.bytes),
                                                  describe: { bytes in (try? SessionStartCell(decoding: bytes)).map { "\($0)" } }) { key throws(DecodeError) in
                var decoder = KeyDecoder(key, from: prefix.count)
                let level = try decoder.readUInt8()
                let start = try decoder.readInt64()
                try decoder.finish()
                return "(\(CellLevel(rawValue: Int(level)).map { "\($0)" } ?? "level \(level)"), \(start))"
            }
            return entries + startCells
        }
    }

    /// The keys of `tree` under the organization whose stored value differs from the
    /// rebuilt one, as mismatches. Raw values are compared: the encodings are
    /// deterministic, and an undecodable value (such as a format-4 lead byte) is a
    /// mismatch to name, not a reason to stop the check.
    private static func differences(_ txn: StoreTransaction, tree: String, organization: String, rebuilt: [[UInt8]: [UInt8]],
                                    describe: ([UInt8]) -> String?, key describeKey: ([UInt8]) throws(DecodeError) -> String) throws -> [AggregateMismatch] {
        let prefix = Keys.organization(organization)
        var stored: [[UInt8]: [UInt8]] = [:]
        try txn.tree(tree).forEach(from: prefix, to: Keys.end(of: prefix)) { key, value in
            stored[key] = value
            return true
        }
        func shown(_ bytes: [UInt8]?) -> String {
            guard let bytes else { return "none" }
            return describe(bytes) ?? "an undecodable value of \(bytes.count) bytes"
        }
        return try Set(stored.keys).union(rebuilt.keys).sorted { $0.lexicographicallyPrecedes($1) }.compactMap { key in
            guard stored[key] != rebuilt[key] else { return nil }
            let name = try StoreTransaction.decodeKey(tree: tree) { () throws(DecodeError) in try describeKey(key) }
            return AggregateMismatch(organization: organization, aggregate: tree, key: name, expected: shown(rebuilt[key]), found: shown(stored[key]))
        }
    }
}
