import ParleyCore
import ParleyStorage

extension FormatMigration {
    /// Version 7 answered the Conversion report by reading every session of its window
    /// and pricing each turn of its spend; version 8 keeps `sessions.conversion_cells`,
    /// the sessions' leads and per-persona tokens summed per 15-minute and day cell of
    /// their start (`ConversionCells`). The step builds the tree from the metrics and
    /// spend, as the writes keep it; `conversionCellMismatches` checks the result.
    static let conversionCells = FormatMigration(from: 7, summary: "the sessions' leads and per-persona tokens summed per start cell, for the Conversion report") { txn, _ in
        if try txn.tree(TreeLayout.conversionCells) != nil { try txn.dropTree(TreeLayout.conversionCells) }
        let cells = try txn.createTree(TreeLayout.conversionCells)
        guard let sessions = try txn.tree(TreeLayout.sessions) else { return }
        let rebuild = try ConversionCells.rebuild(sessions: sessions, spends: try txn.tree(TreeLayout.sessionSpend), organization: nil)
        for (key, cell) in rebuild.cells.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) { try cells.put(key, cell.bytes) }
    }
}
