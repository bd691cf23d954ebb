import ParleyCore
import ParleyStorage

extension FormatMigration {
    /// Version 6 answered the Contacts report by reading every (contact, model) cell of
    /// its window; version 7 keeps `rollups.month.contact_ranks`, the contacts' month
    /// cells by priced tokens (`ContactRanks`). The step builds it from the month cells;
    /// `contactRankMismatches` checks the result.
    static let contactRanks = FormatMigration(from: 6, summary: "the contacts' month cells ranked by priced tokens, for the Contacts report's top N") { txn, _ in
        if try txn.tree(TreeLayout.contactRanks) != nil { try txn.dropTree(TreeLayout.contactRanks) }
        let ranks = try txn.createTree(TreeLayout.contactRanks)
        guard let cells = try txn.tree(TreeLayout.rollupsByValue(.month)) else { return }
        for key in try ParleyStore.contactRankKeys(cells: cells, organization: nil).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            try ranks.put(key, [])
        }
    }
}
