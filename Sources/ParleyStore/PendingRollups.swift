import ParleyCore
import ParleyStorage

/// Hour rollup cells a batch changed, written once each when the batch ends. Turns of one
/// hour share most of their cells, so writing through would rewrite the same cells in
/// both rollup trees once per turn; merged, a batch of any size costs one write per cell.
final class PendingRollups {
    private struct Cell {
        let byValueKey: [UInt8]
        var rollup: HourRollup
    }

    private var cells: [[UInt8]: Cell] = [:]

    var isEmpty: Bool { cells.isEmpty }

    /// Applies `change` to the cell, starting from the stored value (`load`) the first
    /// time the batch touches it. The by-value key is built only then: later turns of
    /// the batch find the cell by its by-hour key alone.
    func update(_ byHourKey: [UInt8], byValueKey: () -> [UInt8], load: () throws -> HourRollup?,
                _ change: (inout HourRollup) -> Void) throws {
        if let index = cells.index(forKey: byHourKey) {
            change(&cells.values[index].rollup)
            return
        }
        var rollup = try load() ?? HourRollup()
        change(&rollup)
        cells[byHourKey] = Cell(byValueKey: byValueKey(), rollup: rollup)
    }

    /// Writes every cell to both trees (an emptied cell is deleted) and forgets them.
    /// Key order keeps consecutive puts on the same leaf pages.
    func flush(byHour: Tree, byValue: Tree) throws {
        for (byHourKey, cell) in cells.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            if cell.rollup.isEmpty {
                try byHour.delete(byHourKey)
                try byValue.delete(cell.byValueKey)
            } else {
                let encoded = RecordCoder.encode(cell.rollup)
                try byHour.put(byHourKey, encoded)
                try byValue.put(cell.byValueKey, encoded)
            }
        }
        cells.removeAll()
    }
}
