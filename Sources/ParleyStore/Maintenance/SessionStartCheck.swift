import ParleyCore

extension ParleyStore {
    /// Rebuilds `sessions.by_start` of `organization` from the stored session metrics
    /// (one entry per session with a start) and `sessions.start_cells` from those
    /// entries, and lists the entries and cells that differ, in one snapshot: empty when
    /// every write kept both in step with the metrics.
    func sessionStartMismatches(organization: String) throws -> [AggregateMismatch] {
        try read { txn in
            let prefix = Keys.organization(organization)
            let (rebuilt, cells) = try Self.startAggregates(txn, organization: organization)
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

    /// The start index entries and start cells the stored metrics of `organization` call for.
    static func startAggregates(_ txn: StoreTransaction, organization: String) throws -> (entries: [[UInt8]: SessionStartEntry], cells: SessionStartCells.Rebuild) {
        let prefix = Keys.organization(organization)
        var entries: [[UInt8]: SessionStartEntry] = [:]
        var cells = SessionStartCells.Rebuild()
        try txn.tree(TreeLayout.sessions).forEach(from: prefix, to: Keys.end(of: prefix)) { _, bytes in
            let metrics = try StoreTransaction.decode(SessionMetrics.self, bytes, tree: TreeLayout.sessions)
            if let key = SessionMetricsWriter.startKey(metrics), let start = metrics.conversationStart {
                entries[key] = SessionStartEntry(metrics)
                cells.add(organization: organization, start: start, SessionStartEntry(metrics))
            }
            return true
        }
        return (entries, cells)
    }
}
