import ParleyCore
import ParleyStorage

/// Rollup cells a batch changed, written once each when the batch ends. Turns of one
/// hour share most of their cells, so writing through would rewrite the same cells in
/// both rollup trees once per turn; merged, a batch of any size costs one write per cell.
final class PendingRollups {
    /// A cell by its parts: hashing a few strings is far cheaper than encoding both of
    /// the cell's tree keys for every turn and hashing those byte by byte.
    struct CellID: Hashable {
        let organization: String
        let dimension: Dimension
        /// Which trees the cell lives in.
        let level: CellLevel
        /// The cell's start on the level's grid.
        let start: Millis
        let value: String
        let model: String

        var byTimeKey: [UInt8] { Keys.rollupByTime(organization, dimension, start, value, model) }
        var byValueKey: [UInt8] { Keys.rollupByValue(organization, dimension, value, start, model) }
    }

    private struct Cell {
        let id: CellID
        let byTimeKey: [UInt8]
        let byValueKey: [UInt8]
        /// As stored before the batch; nil for a new cell.
        let stored: CellRollup?
        var rollup: CellRollup

        var level: CellLevel { id.level }
    }

    private var cells: [CellID: Cell] = [:]

    var isEmpty: Bool { cells.isEmpty }

    /// Applies `change` to the cell, starting from the stored value (`load`, given the
    /// level and the time-major key) the first time the batch touches it; the tree keys are built only then.
    func update(_ id: CellID, load: (CellLevel, [UInt8]) throws -> CellRollup?, _ change: (inout CellRollup) -> Void) throws {
        if let index = cells.index(forKey: id) {
            change(&cells.values[index].rollup)
            return
        }
        let byTimeKey = id.byTimeKey
        let stored = try load(id.level, byTimeKey)
        var rollup = stored ?? CellRollup()
        change(&rollup)
        cells[id] = Cell(id: id, byTimeKey: byTimeKey, byValueKey: id.byValueKey, stored: stored, rollup: rollup)
    }

    /// Writes every cell to both trees of its level (`trees` gives them: time-major,
    /// value-major; an emptied cell is deleted) and forgets them. Key order within a
    /// level keeps consecutive puts on the same leaf pages. A month cell of the contact
    /// dimension also moves its entry in `contactRanks` (`ContactRanks`); that tree is nil
    /// only while an upgrade step older than format 7 runs, and the 6 -> 7 step builds it.
    func flush(trees: (CellLevel) throws -> (byTime: Tree, byValue: Tree), contactRanks: Tree?) throws {
        // Sorting positions, not the cells: a cell is several strings, key arrays and a
        // rollup, and moving it costs retains and releases (a tenth of an import's writer
        // time when the cells themselves were sorted).
        let pending = Array(cells.values)
        let order = pending.indices.sorted { a, b in
            pending[a].level != pending[b].level ? pending[a].level < pending[b].level
                : pending[a].byTimeKey.lexicographicallyPrecedes(pending[b].byTimeKey)
        }
        var opened: [CellLevel: (byTime: Tree, byValue: Tree)] = [:]
        for position in order {
            let cell = pending[position]
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
            if let contactRanks, cell.id.level == .month, cell.id.dimension == .contact {
                try ContactRanks.update(contactRanks, organization: cell.id.organization, month: cell.id.start, model: cell.id.model,
                                        contact: cell.id.value, old: cell.stored, new: cell.rollup)
            }
        }
        cells.removeAll()
    }
}
