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
        /// The cell's start on `CellGrid`.
        let start: Millis
        let value: String
        let model: String

        var byTimeKey: [UInt8] { Keys.rollupByTime(organization, dimension, start, value, model) }
        var byValueKey: [UInt8] { Keys.rollupByValue(organization, dimension, value, start, model) }
    }

    private struct Cell {
        let byTimeKey: [UInt8]
        let byValueKey: [UInt8]
        var rollup: CellRollup
    }

    private var cells: [CellID: Cell] = [:]

    var isEmpty: Bool { cells.isEmpty }

    /// Applies `change` to the cell, starting from the stored value (`load`, given the
    /// by-hour key) the first time the batch touches it; the tree keys are built only then.
    func update(_ id: CellID, load: ([UInt8]) throws -> CellRollup?, _ change: (inout CellRollup) -> Void) throws {
        if let index = cells.index(forKey: id) {
            change(&cells.values[index].rollup)
            return
        }
        let byTimeKey = id.byTimeKey
        var rollup = try load(byTimeKey) ?? CellRollup()
        change(&rollup)
        cells[id] = Cell(byTimeKey: byTimeKey, byValueKey: id.byValueKey, rollup: rollup)
    }

    /// Writes every cell to both trees (an emptied cell is deleted) and forgets them.
    /// Key order keeps consecutive puts on the same leaf pages.
    func flush(byTime: Tree, byValue: Tree) throws {
        for cell in cells.values.sorted(by: { $0.byTimeKey.lexicographicallyPrecedes($1.byTimeKey) }) {
            if cell.rollup.isEmpty {
                try byTime.delete(cell.byTimeKey)
                try byValue.delete(cell.byValueKey)
            } else {
                let encoded = RecordCoder.encode(cell.rollup)
                try byTime.put(cell.byTimeKey, encoded)
                try byValue.put(cell.byValueKey, encoded)
            }
        }
        cells.removeAll()
    }
}
