import ParleyCore
import ParleyStorage

extension FormatMigration {
    /// Version 5 answered the Sessions report's totals by walking `sessions.by_start`;
    /// version 6 keeps `sessions.start_cells`, the index's summaries summed per
    /// 15-minute and per day cell. The step builds the tree from the index (which the
    /// 4 -> 5 step wrote from the metrics), as `SessionStartCells` keeps it;
    /// `sessionStartMismatches` checks the result.
    static let sessionStartCells = FormatMigration(from: 5, summary: "the sessions' start summaries summed per cell, for the Sessions report's totals") { txn, _ in
        if try txn.tree(TreeLayout.sessionStartCells) != nil { try txn.dropTree(TreeLayout.sessionStartCells) }
        let cells = try txn.createTree(TreeLayout.sessionStartCells)
        guard let index = try txn.tree(TreeLayout.sessionsByStart) else { return }
        var rebuild = SessionStartCells.Rebuild()
        try index.forEach { key, value in
            let (organization, start, entry) = try StoreTransaction.decodeKey(tree: TreeLayout.sessionsByStart) { () throws(DecodeError) in
                var decoder = KeyDecoder(key)
                return (try decoder.readString(), try decoder.readInt64(), try SessionStartEntry(decoding: value))
            }
            rebuild.add(organization: organization, start: start, entry)
            return true
        }
        for (key, cell) in rebuild.cells { try cells.put(key, cell.bytes) }
    }
}
