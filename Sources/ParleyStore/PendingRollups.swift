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
        let group: GroupID
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

    /// Every cell the batch touched, in the order first touched, and where each group's
    /// are: a batch of nearby turns gives a group one cell per level, so the search of its
    /// list is a few comparisons. Flat, so the flush sorts positions into one array
    /// instead of copying every cell out of a dictionary of lists.
    private var cells: [Cell] = []
    private var groups: [GroupID: [Int]] = [:]

    var isEmpty: Bool { cells.isEmpty }

    /// Applies `change` to the cell of every level holding `time`, starting from the
    /// stored value (`load`, given the level and the time-major key) the first time the
    /// batch touches it; the tree keys are built only then.
    func update(_ group: GroupID, time: Millis, load: (CellLevel, [UInt8]) throws -> CellRollup?, _ change: (inout CellRollup) -> Void) throws {
        // In place: one lookup of the group, and its list is not copied.
        try update(&groups[group, default: []], of: group, time: time, load: load, change)
    }

    private func update(_ positions: inout [Int], of group: GroupID, time: Millis, load: (CellLevel, [UInt8]) throws -> CellRollup?,
                        _ change: (inout CellRollup) -> Void) throws {
        for level in CellLevel.allCases {
            let start = level.start(of: time)
            if let position = positions.first(where: { cells[$0].level == level && cells[$0].start == start }) {
                change(&cells[position].rollup)
                continue
            }
            let byTimeKey = Keys.rollupByTime(group.organization, group.dimension, start, group.value, group.model)
            let stored = try load(level, byTimeKey)
            var rollup = stored ?? CellRollup()
            change(&rollup)
            positions.append(cells.count)
            cells.append(Cell(group: group, level: level, start: start, byTimeKey: byTimeKey,
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
        // Sorting positions by keys gathered once: comparing through the cells themselves
        // copied whole cells (strings, two keys, a rollup) in the comparisons, a quarter
        // of an import's writer time.
        let levels = cells.map(\.level)
        let keys = cells.map(\.byTimeKey)
        let order = cells.indices.sorted { a, b in
            levels[a] != levels[b] ? levels[a] < levels[b] : keys[a].lexicographicallyPrecedes(keys[b])
        }
        var opened: [CellLevel: (byTime: Tree, byValue: Tree)] = [:]
        for position in order {
            let level = levels[position]
            let (byTime, byValue) = try opened[level] ?? trees(level)
            opened[level] = (byTime, byValue)
            let rollup = cells[position].rollup
            if rollup.isEmpty {
                try byTime.delete(keys[position])
                try byValue.delete(cells[position].byValueKey)
            } else {
                let encoded = RecordCoder.encode(rollup)
                try byTime.put(keys[position], encoded)
                try byValue.put(cells[position].byValueKey, encoded)
            }
            let group = cells[position].group
            if let contactRanks, level == .month, group.dimension == .contact {
                try ContactRanks.update(contactRanks, organization: group.organization, month: cells[position].start, model: group.model,
                                        contact: group.value, old: cells[position].stored, new: rollup)
            }
        }
        cells.removeAll()
        groups.removeAll()
    }
}
