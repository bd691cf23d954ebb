import ParleyCore
import ParleyStorage

extension ParleyStore {
    /// Rebuilds `sessions.conversion_cells` of `organization` from the stored session
    /// metrics and spend and lists the cells that differ, in one snapshot: empty when
    /// every write kept the cells in step with the sessions.
    func conversionCellMismatches(organization: String) throws -> [AggregateMismatch] {
        try read { txn in
            let prefix = Keys.organization(organization)
            let rebuilt = try ConversionCells.rebuild(sessions: try txn.tree(TreeLayout.sessions), spends: try txn.tree(TreeLayout.sessionSpend),
                                                      organization: organization)
            return try Self.differences(txn, tree: TreeLayout.conversionCells, organization: organization, rebuilt: rebuilt.cells.mapValues(\.bytes),
                                        describe: { bytes in (try? ConversionCell(decoding: bytes)).map { "\($0)" } }) { key throws(DecodeError) in
                var decoder = KeyDecoder(key, from: prefix.count)
                let level = try decoder.readUInt8()
                let start = try decoder.readInt64()
                let scope = try decoder.readUInt8() == 0 ? "session" : "persona \"\(try decoder.readString())\""
                try decoder.finish()
                return "(\(CellLevel(rawValue: Int(level)).map { "\($0)" } ?? "level \(level)"), \(start), \(scope))"
            }
        }
    }
}

extension ConversionCells {
    /// The cells the sessions of `organization` (every organization when nil) call for:
    /// each session's `ConversionSummary` from its metrics and its spend.
    static func rebuild(sessions: Tree, spends: Tree?, organization: String?) throws -> Rebuild {
        var rebuild = Rebuild()
        let prefix = organization.map(Keys.organization)
        try sessions.forEach(from: prefix, to: prefix.map(Keys.end)) { key, bytes in
            let metrics = try StoreTransaction.decode(SessionMetrics.self, bytes, tree: TreeLayout.sessions)
            let spend = try spends?.get(key).map { try StoreTransaction.decode(SessionSpend.self, $0, tree: TreeLayout.sessionSpend) }
            if let summary = ConversionSummary(metrics: metrics, spend: spend) { rebuild.add(organization: metrics.organizationId, summary) }
            return true
        }
        return rebuild
    }
}
