import ParleyCore
import ParleyStorage

/// Keeps `sessions.start_cells` in step with `sessions.by_start`: when a session's
/// summary changes or its conversation start moves, the old summary leaves the cell of
/// every level that held its old start and the new one joins the cells of its new start.
/// A cell left with no session is deleted, so a rebuild from the index gives the same
/// tree byte for byte.
struct SessionStartCells {
    let txn: StoreTransaction

    /// One session's index entry: its conversation start and summary.
    typealias Placed = (start: Millis, entry: SessionStartEntry)

    func move(organization: String, from old: Placed?, to new: Placed?) throws {
        let tree = try txn.tree(TreeLayout.sessionStartCells)
        for level in CellLevel.allCases {
            var changes: [(key: [UInt8], entry: SessionStartEntry, sign: Int64)] = []
            if let old { changes.append((Keys.sessionStartCell(organization, level, level.start(of: old.start)), old.entry, -1)) }
            if let new { changes.append((Keys.sessionStartCell(organization, level, level.start(of: new.start)), new.entry, 1)) }
            if changes.count == 2, changes[0].key == changes[1].key {
                // One read and write of the shared cell.
                var cell = try load(tree, changes[0].key)
                cell.add(changes[0].entry, sign: -1)
                cell.add(changes[1].entry, sign: 1)
                try store(cell, tree, changes[0].key)
                continue
            }
            for change in changes {
                var cell = try load(tree, change.key)
                cell.add(change.entry, sign: change.sign)
                try store(cell, tree, change.key)
            }
        }
    }

    /// The sum of the cells of `level` starting in [since, until).
    func sum(organization: String, level: CellLevel, window: TimeWindow) throws -> SessionStartCell {
        let prefix = Keys.sessionStartCellPrefix(organization, level)
        var total = SessionStartCell()
        try txn.tree(TreeLayout.sessionStartCells).forEach(from: Keys.appending(prefix, time: window.since),
                                                           to: Keys.appending(prefix, time: window.until)) { _, value in
            total.add(try Self.decode(value))
            return true
        }
        return total
    }

    private func load(_ tree: Tree, _ key: [UInt8]) throws -> SessionStartCell {
        guard let bytes = try tree.get(key) else { return SessionStartCell() }
        return try Self.decode(bytes)
    }

    private func store(_ cell: SessionStartCell, _ tree: Tree, _ key: [UInt8]) throws {
        if cell.isEmpty {
            _ = try tree.delete(key)
        } else {
            try tree.put(key, cell.bytes)
        }
    }

    /// Builds cells the way `move` keeps them, one session at a time: for the upgrade
    /// step and the store's check.
    struct Rebuild {
        private(set) var cells: [[UInt8]: SessionStartCell] = [:]

        mutating func add(organization: String, start: Millis, _ entry: SessionStartEntry) {
            for level in CellLevel.allCases {
                cells[Keys.sessionStartCell(organization, level, level.start(of: start)), default: SessionStartCell()].add(entry, sign: 1)
            }
        }
    }

    static func decode(_ bytes: [UInt8]) throws -> SessionStartCell {
        try StoreTransaction.decodeKey(tree: TreeLayout.sessionStartCells) { () throws(DecodeError) in try SessionStartCell(decoding: bytes) }
    }
}
