import ParleyCore
import ParleyStorage

/// Keeps `sessions.start_cells` in step with `sessions.by_start`: when a session's
/// summary changes or its conversation start moves, the old summary leaves the cell of
/// each level that held its old start and the new one joins the cells of its new start.
/// A cell left with no session is deleted, so a rebuild from the index gives the same
/// tree byte for byte.
///
/// Two levels, 15-minute and day cells: a window is its whole days, then up to 95
/// quarters at each end, then the sessions of its two partial quarters from the index.
/// Each level costs every turn one cell read and write, so hour and month cells, which
/// would save a few reads per report, are not kept.
struct SessionStartCells {
    let txn: StoreTransaction

    static let levels: [CellLevel] = [.quarter, .day]

    /// One session's index entry: its conversation start and summary.
    typealias Placed = (start: Millis, entry: SessionStartEntry)

    func move(organization: String, from old: Placed?, to new: Placed?) throws {
        var changes = Changes()
        changes.move(organization: organization, from: old, to: new)
        try changes.apply(to: txn.tree(TreeLayout.sessionStartCells))
    }

    /// The moves of any number of sessions, summed per cell (`CellDeltas`).
    struct Changes {
        private var deltas = CellDeltas<SessionStartCell>()

        mutating func move(organization: String, from old: Placed?, to new: Placed?) {
            for level in SessionStartCells.levels {
                if let old { deltas.change(Keys.sessionStartCell(organization, level, level.start(of: old.start))) { $0.add(old.entry, sign: -1) } }
                if let new { deltas.change(Keys.sessionStartCell(organization, level, level.start(of: new.start))) { $0.add(new.entry, sign: 1) } }
            }
        }

        func apply(to tree: Tree) throws { try deltas.apply(to: tree) }
    }

    /// The cells tiling `window` (on the 15-minute grid): its whole days as day cells,
    /// the rest as quarter cells.
    static func tiles(of window: TimeWindow) -> [(level: CellLevel, window: TimeWindow)] {
        let firstDay = CellLevel.day.start(of: window.since)
        let days = TimeWindow(since: firstDay == window.since ? firstDay : CellLevel.day.end(ofCellAt: firstDay),
                              until: CellLevel.day.start(of: window.until))
        guard days.since < days.until else { return [(.quarter, window)] }
        return [(.day, days)] + window.subtracting([days]).map { (.quarter, $0) }
    }

    /// The totals of the cells tiling `window` (on the 15-minute grid).
    func sum(organization: String, window: TimeWindow) throws -> SessionStartCell {
        var total = SessionStartCell()
        for tile in Self.tiles(of: window) { total.add(try sum(organization: organization, level: tile.level, window: tile.window)) }
        return total
    }

    /// The sum of the cells of `level` starting in [since, until).
    private func sum(organization: String, level: CellLevel, window: TimeWindow) throws -> SessionStartCell {
        let prefix = Keys.sessionStartCellPrefix(organization, level)
        var total = SessionStartCell()
        try txn.tree(TreeLayout.sessionStartCells).forEach(from: Keys.appending(prefix, time: window.since),
                                                           to: Keys.appending(prefix, time: window.until)) { _, value in
            total.add(try Self.decode(value))
            return true
        }
        return total
    }

    /// Builds cells the way `move` keeps them, one session at a time: for the upgrade
    /// step and the store's check.
    struct Rebuild {
        private(set) var cells: [[UInt8]: SessionStartCell] = [:]

        mutating func add(organization: String, start: Millis, _ entry: SessionStartEntry) {
            for level in SessionStartCells.levels {
                cells[Keys.sessionStartCell(organization, level, level.start(of: start)), default: SessionStartCell()].add(entry, sign: 1)
            }
        }
    }

    static func decode(_ bytes: [UInt8]) throws -> SessionStartCell {
        try StoreTransaction.decodeKey(tree: TreeLayout.sessionStartCells) { () throws(DecodeError) in try SessionStartCell(decoding: bytes) }
    }
}

extension SessionStartCell: SummedCell {
    static func stored(_ bytes: [UInt8]) throws -> SessionStartCell { try SessionStartCells.decode(bytes) }
}
