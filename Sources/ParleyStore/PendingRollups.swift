import ParleyCore
import ParleyStorage

/// Rollup cells a batch changed, written once each when the batch ends. Turns of one
/// hour share most of their cells, so writing through would rewrite the same cells in
/// both rollup trees once per turn; merged, a batch of any size costs one write per cell.
final class PendingRollups {
    /// The cells of one dimension value and model, one per level and start: a turn
    /// touches one cell of each level, found by hashing its strings once, not once per
    /// level. Hashing a few strings is far cheaper than encoding both of a cell's tree
    /// keys for every turn and hashing those byte by byte.
    struct GroupID: Hashable {
        let organization: String
        let dimension: Dimension
        let value: String
        let model: String
    }

    private struct Cell {
        /// Which trees the cell lives in.
        let level: CellLevel
        /// The cell's start on the level's grid.
        let start: Millis
        let byTimeKey: [UInt8]
        let byValueKey: [UInt8]
        /// As stored before the batch; nil for a new cell.
        let stored: CellRollup?
        var rollup: CellRollup
    }

    /// Each group's cells in the order first touched; a batch of nearby turns gives a
    /// group one cell per level, so the search of the list is a few comparisons.
    private var groups: [GroupID: [Cell]] = [:]

    var isEmpty: Bool { groups.isEmpty }

    /// Applies `change` to the cell of every level holding `time`, starting from the
    /// stored value (`load`, given the level and the time-major key) the first time the
    /// batch touches it; the tree keys are built only then.
    func update(_ group: GroupID, time: Millis, load: (CellLevel, [UInt8]) throws -> CellRollup?, _ change: (inout CellRollup) -> Void) throws {
        // In place: one lookup of the group, and its list is not copied.
        try Self.update(&groups[group, default: []], of: group, time: time, load: load, change)
    }

    private static func update(_ cells: inout [Cell], of group: GroupID, time: Millis, load: (CellLevel, [UInt8]) throws -> CellRollup?,
                               _ change: (inout CellRollup) -> Void) throws {
        for level in CellLevel.allCases {
            let start = level.start(of: time)
            if let index = cells.firstIndex(where: { $0.level == level && $0.start == start }) {
                change(&cells[index].rollup)
                continue
            }
            let byTimeKey = Keys.rollupByTime(group.organization, group.dimension, start, group.value, group.model)
            let stored = try load(level, byTimeKey)
            var rollup = stored ?? CellRollup()
            change(&rollup)
            cells.append(Cell(level: level, start: start, byTimeKey: byTimeKey,
                              byValueKey: Keys.rollupByValue(group.organization, group.dimension, group.value, start, group.model),
                              stored: stored, rollup: rollup))
        }
    }

    /// Writes every cell to both trees of its level (`trees` gives them: time-major,
    /// value-major; an emptied cell is deleted) and forgets them. Key order within a
    /// level keeps consecutive puts on the same leaf pages. A month cell of the contact
    /// dimension also moves its entry in `contactRanks` (`ContactRanks`); that tree is nil
    /// only while an upgrade step older than format 7 runs, and the 6 -> 7 step builds it.
    func flush(trees: (CellLevel) throws -> (byTime: Tree, byValue: Tree), contactRanks: Tree?) throws {
        // Sorting positions, not the cells: a cell holds two keys and a rollup, and moving
        // it costs retains and releases (a tenth of an import's writer time when the cells
        // themselves were sorted).
        let pending = groups.flatMap { group, cells in cells.map { (group, $0) } }
        let order = pending.indices.sorted { a, b in
            pending[a].1.level != pending[b].1.level ? pending[a].1.level < pending[b].1.level
                : pending[a].1.byTimeKey.lexicographicallyPrecedes(pending[b].1.byTimeKey)
        }
        var opened: [CellLevel: (byTime: Tree, byValue: Tree)] = [:]
        for position in order {
            let (group, cell) = pending[position]
            let (byTime, byValue) = try opened[cell.level] ?? trees(cell.level)
            opened[cell.level] = (byTime, byValue)
            if cell.rollup.isEmpty {
                try byTime.delete(cell.byTimeKey)
                try byValue.delete(cell.byValueKey)
            } else {
                let encoded = RecordCoder.encode(cell.rollup)
                try byTime.put(cell.byTimeKey, encoded)
                try byValue.put(cell.byValueKey, encoded)
            }
            if let contactRanks, cell.level == .month, group.dimension == .contact {
                try ContactRanks.update(contactRanks, organization: group.organization, month: cell.start, model: group.model,
                                        contact: group.value, old: cell.stored, new: cell.rollup)
            }
        }
        groups.removeAll()
    }
}
