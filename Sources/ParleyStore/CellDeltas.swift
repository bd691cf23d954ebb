import ParleyStorage

/// A summed cell kept in a tree of per-start cells (`sessions.start_cells`,
/// `sessions.conversion_cells`): its stored form, and the sum that moves a session in or out.
protocol SummedCell {
    init()
    var isEmpty: Bool { get }
    var bytes: [UInt8] { get }
    mutating func add(_ other: Self)
    /// The stored value, an undecodable one reported as damage in its tree.
    static func stored(_ bytes: [UInt8]) throws -> Self
}

/// Changes to summed cells, gathered per key, so each cell is read and written once
/// however many sessions moved in or out of it (one session's write, or a batch of them;
/// see `PendingSessions`). Cells are sums, so applying the summed change leaves them as the
/// changes one by one would.
struct CellDeltas<Cell: SummedCell> {
    private var deltas: [[UInt8]: Cell] = [:]

    mutating func change(_ key: [UInt8], _ body: (inout Cell) -> Void) {
        body(&deltas[key, default: Cell()])
    }

    /// Adds each cell's change in key order; a cell left empty is deleted, one whose
    /// change cancelled out is not touched.
    func apply(to tree: Tree) throws {
        for key in deltas.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let delta = deltas[key], !delta.isEmpty else { continue }
            var cell = try tree.get(key).map(Cell.stored) ?? Cell()
            cell.add(delta)
            if cell.isEmpty {
                _ = try tree.delete(key)
            } else {
                try tree.put(key, cell.bytes)
            }
        }
    }
}
