import ParleyCore
import ParleyStorage

/// Keeps `sessions.conversion_cells` in step with the sessions: when a session's
/// `ConversionSummary` changes (a turn, a lead, a repair, a backfill), its old summary
/// leaves the cells of each level that held its old start and the new one joins the
/// cells of its new start. Only scopes whose part changed are read and written: a turn
/// costs its persona's cell of each level, a lead every scope of the session. A cell
/// left empty is deleted, so a rebuild gives the same tree byte for byte.
///
/// The levels and tiling are the start cells' (`SessionStartCells`): 15-minute and day
/// cells by conversation start.
struct ConversionCells {
    let txn: StoreTransaction

    /// A session's metrics and spend, as stored before or after a write.
    typealias SessionState = (metrics: SessionMetrics?, spend: SessionSpend?)

    func move(organization: String, from before: SessionState, to after: SessionState) throws {
        var changes = Changes()
        changes.move(organization: organization, from: before, to: after)
        try changes.apply(to: txn.tree(TreeLayout.conversionCells))
    }

    /// The moves of any number of sessions, summed per cell (`CellDeltas`).
    struct Changes {
        private var deltas = CellDeltas<ConversionCell>()

        mutating func move(organization: String, from before: SessionState, to after: SessionState) {
            let old = ConversionSummary(metrics: before.metrics, spend: before.spend)
            let new = ConversionSummary(metrics: after.metrics, spend: after.spend)
            guard old != new else { return }
            for (summary, sign) in [(old, Int64(-1)), (new, Int64(1))] {
                guard let summary else { continue }
                for level in SessionStartCells.levels {
                    let start = level.start(of: summary.start)
                    for (scope, cell) in summary.scopes {
                        deltas.change(Keys.conversionCell(organization, level, start, scope)) { $0.add(cell, sign: sign) }
                    }
                }
            }
        }

        func apply(to tree: Tree) throws { try deltas.apply(to: tree) }
    }

    /// Each cell of `level` starting in `window`, in start order, with its scopes.
    func each(organization: String, level: CellLevel, window: TimeWindow,
              _ body: (_ start: Millis, _ scopes: [(ConversionScope, ConversionCell)]) throws -> Void) throws {
        let prefix = Keys.sessionStartCellPrefix(organization, level)
        var start: Millis?
        var scopes: [(ConversionScope, ConversionCell)] = []
        try txn.tree(TreeLayout.conversionCells).forEach(from: Keys.appending(prefix, time: window.since),
                                                         to: Keys.appending(prefix, time: window.until)) { key, value in
            let (cellStart, scope) = try Self.decodeKey(key, prefix: prefix)
            if let open = start, open != cellStart {
                try body(open, scopes)
                scopes.removeAll(keepingCapacity: true)
            }
            start = cellStart
            scopes.append((scope, try Self.decode(value)))
            return true
        }
        if let open = start { try body(open, scopes) }
    }

    /// Builds cells the way `move` keeps them, one session at a time: for the upgrade
    /// step and the store's check.
    struct Rebuild {
        private var sums: [[UInt8]: ConversionCell] = [:]

        mutating func add(organization: String, _ summary: ConversionSummary) {
            for level in SessionStartCells.levels {
                let start = level.start(of: summary.start)
                for (scope, cell) in summary.scopes {
                    sums[Keys.conversionCell(organization, level, start, scope), default: ConversionCell()].add(cell, sign: 1)
                }
            }
        }

        /// A sum can come back to nothing (wrapped counts); such a cell is not stored.
        var cells: [[UInt8]: ConversionCell] { sums.filter { !$0.value.isEmpty } }
    }

    static func decode(_ bytes: [UInt8]) throws -> ConversionCell {
        try StoreTransaction.decodeKey(tree: TreeLayout.conversionCells) { () throws(DecodeError) in try ConversionCell(decoding: bytes) }
    }

    /// (cell start, scope) of a key under `prefix`.
    static func decodeKey(_ key: [UInt8], prefix: [UInt8]) throws -> (Millis, ConversionScope) {
        try StoreTransaction.decodeKey(tree: TreeLayout.conversionCells) { () throws(DecodeError) in
            var decoder = KeyDecoder(key, from: prefix.count)
            let start = try decoder.readInt64()
            let scope: ConversionScope
            switch try decoder.readUInt8() {
            case 0: scope = .session
            case 1: scope = .persona(try decoder.readString())
            case let kind: throw DecodeError.valueOutOfRange(field: "conversion cell scope kind", value: Int64(kind))
            }
            try decoder.finish()
            return (start, scope)
        }
    }
}

extension ConversionCell: SummedCell {
    mutating func add(_ other: ConversionCell) { add(other, sign: 1) }
    static func stored(_ bytes: [UInt8]) throws -> ConversionCell { try ConversionCells.decode(bytes) }
}
