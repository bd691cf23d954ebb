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
            return try entryMismatches(txn, organization: organization, rebuilt: rebuilt)
                + cellMismatches(txn, organization: organization, rebuilt: cells.cells)
        }
    }

    private func cellMismatches(_ txn: StoreTransaction, organization: String, rebuilt: [[UInt8]: SessionStartCell]) throws -> [AggregateMismatch] {
        let prefix = Keys.organization(organization)
        var stored: [[UInt8]: [UInt8]] = [:]
        try txn.tree(TreeLayout.sessionStartCells).forEach(from: prefix, to: Keys.end(of: prefix)) { key, value in
            stored[key] = value
            return true
        }
        return try Set(stored.keys).union(rebuilt.keys).sorted { $0.lexicographicallyPrecedes($1) }.compactMap { key in
            guard stored[key] != rebuilt[key]?.bytes else { return nil }
            let (level, start) = try StoreTransaction.decodeKey(tree: TreeLayout.sessionStartCells) { () throws(DecodeError) in
                var decoder = KeyDecoder(key, from: prefix.count)
                let level = try decoder.readUInt8()
                let start = try decoder.readInt64()
                try decoder.finish()
                return (level, start)
            }
            let levelName = CellLevel(rawValue: Int(level)).map { "\($0)" } ?? "level \(level)"
            return AggregateMismatch(organization: organization, aggregate: TreeLayout.sessionStartCells, key: "(\(levelName), \(start))",
                                     expected: rebuilt[key].map { "\($0)" } ?? "none", found: stored[key].map(Self.describeStartCell) ?? "none")
        }
    }

    private func entryMismatches(_ txn: StoreTransaction, organization: String, rebuilt: [[UInt8]: SessionStartEntry]) throws -> [AggregateMismatch] {
        let prefix = Keys.organization(organization)
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

    private static func describeStartEntry(_ bytes: [UInt8]) -> String {
        (try? SessionStartEntry(decoding: bytes)).map { "\($0)" } ?? "an undecodable value of \(bytes.count) bytes"
    }

    private static func describeStartCell(_ bytes: [UInt8]) -> String {
        (try? SessionStartCell(decoding: bytes)).map { "\($0)" } ?? "an undecodable value of \(bytes.count) bytes"
    }
}
