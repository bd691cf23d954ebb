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

    /// The cell as this batch left it; nil when the batch has not touched it.
    func rollup(_ byHourKey: [UInt8]) -> HourRollup? {
        cells[byHourKey]?.rollup
    }

    func set(_ rollup: HourRollup, byHourKey: [UInt8], byValueKey: [UInt8]) {
        cells[byHourKey] = Cell(byValueKey: byValueKey, rollup: rollup)
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
