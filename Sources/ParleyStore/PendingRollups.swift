import ParleyCore
import ParleyStorage

/// Hour rollup cells a batch changed, written once each when the batch ends. Turns of one
/// hour share most of their cells, so writing through would rewrite the same cells in
/// both rollup trees once per turn; merged, a batch of any size costs one write per cell.
final class PendingRollups {
    /// A cell by its parts: hashing a few strings is far cheaper than encoding both of
    /// the cell's tree keys for every turn and hashing those byte by byte.
    struct CellID: Hashable {
        let organization: String
        let dimension: Dimension
        let hour: Millis
        let value: String
        let model: String

        var byHourKey: [UInt8] { Keys.rollupByHour(organization, dimension, hour, value, model) }
        var byValueKey: [UInt8] { Keys.rollupByValue(organization, dimension, value, hour, model) }
    }

    private struct Cell {
        let byHourKey: [UInt8]
        let byValueKey: [UInt8]
        var rollup: HourRollup
    }

    private var cells: [CellID: Cell] = [:]

    var isEmpty: Bool { cells.isEmpty }

    /// Applies `change` to the cell, starting from the stored value (`load`, given the
    /// by-hour key) the first time the batch touches it; the tree keys are built only then.
    func update(_ id: CellID, load: ([UInt8]) throws -> HourRollup?, _ change: (inout HourRollup) -> Void) throws {
        if let index = cells.index(forKey: id) {
            change(&cells.values[index].rollup)
            return
        }
        let byHourKey = id.byHourKey
        var rollup = try load(byHourKey) ?? HourRollup()
        change(&rollup)
        cells[id] = Cell(byHourKey: byHourKey, byValueKey: id.byValueKey, rollup: rollup)
    }

    /// Writes every cell to both trees (an emptied cell is deleted) and forgets them.
    /// Key order keeps consecutive puts on the same leaf pages.
    func flush(byHour: Tree, byValue: Tree) throws {
        for cell in cells.values.sorted(by: { $0.byHourKey.lexicographicallyPrecedes($1.byHourKey) }) {
            if cell.rollup.isEmpty {
                try byHour.delete(cell.byHourKey)
                try byValue.delete(cell.byValueKey)
            } else {
                let encoded = RecordCoder.encode(cell.rollup)
                try byHour.put(cell.byHourKey, encoded)
                try byValue.put(cell.byValueKey, encoded)
            }
        }
        cells.removeAll()
    }
}
