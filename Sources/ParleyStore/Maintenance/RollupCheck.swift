import ParleyCore

/// Where a stored rollup cell differs from the same cell rebuilt from the turns.
public struct RollupMismatch: Sendable, Equatable, CustomStringConvertible {
    public var dimension: Dimension
    public var level: CellLevel
    public var cellStart: Millis
    public var value: String
    public var model: String
    /// nil when the cell is missing from the tree.
    public var stored: CellRollup?
    /// nil when the turns give no such cell.
    public var rebuilt: CellRollup?
    /// The rollup tree: time-major or value-major, of `level`.
    public var tree: String

    public var description: String {
        "\(tree) cell (\(dimension), \(level), \(cellStart), \"\(value)\", \"\(model)\"): stored \(stored.map { "\($0)" } ?? "none"), rebuilt from turns \(rebuilt.map { "\($0)" } ?? "none")"
    }
}

extension ParleyStore {
    /// Rebuilds every rollup cell of `organization` (every `CellLevel`) from its turns,
    /// live and archived, and its sessions' lead state, and lists the cells of any rollup
    /// tree that differ: empty when the aggregates kept in each write equal a rebuild. The
    /// live turns and the cells are read in one snapshot, so it holds while writes go on; the turns are held in memory, so this is a check for
    /// tests and `admin check`-sized data, not a report. Known allowance: a "no_lead"
    /// cell that lost turns to a lead keeps the latest activity it saw (a maximum is not
    /// taken back), so there a stored `lastActivity` at or above the rebuilt one passes.
    public func rollupMismatches(organization: String) throws -> [RollupMismatch] {
        try read { txn in
            var turns: [String: Turn] = [:]
            try detailTurns(organization: organization, window: TimeWindow(since: .min, until: .max), live: txn) { turn, _ in turns[turn.turnId] = turn }
            let metrics = SessionMetricsWriter(txn: txn)
            let won = Set(try Set(turns.values.map(\.sessionId)).filter { try metrics.load(organization: organization, session: $0)?.hasLead == true })
            return try mismatches(organization: organization, turns: turns.values, won: won, in: txn)
        }
    }

    private func mismatches(organization: String, turns: Dictionary<String, Turn>.Values, won: Set<String>, in txn: StoreTransaction) throws -> [RollupMismatch] {
        var rebuilt: [CellKey: CellRollup] = [:]
        for turn in turns {
            for dimension in Dimension.allCases {
                let value = dimension.value(of: turn, sessionHasLead: won.contains(turn.sessionId))
                for level in CellLevel.allCases {
                    let key = CellKey(dimension: dimension, level: level, start: level.start(of: Keys.time(of: turn)), value: value, model: turn.model)
                    rebuilt[key, default: CellRollup()].add(turn)
                }
            }
        }
        var mismatches: [RollupMismatch] = []
        let trees = CellLevel.allCases.flatMap { [($0, TreeLayout.rollupsByTime($0), false), ($0, TreeLayout.rollupsByValue($0), true)] }
        for (level, tree, valueMajor) in trees {
            let expectedHere = rebuilt.filter { $0.key.level == level }
            var stored: [CellKey: CellRollup] = [:]
            for dimension in Dimension.allCases {
                let prefix = Keys.rollupPrefix(organization, dimension)
                try txn.tree(tree).forEach(from: prefix, to: Keys.end(of: prefix)) { key, bytes in
                    let cell = try StoreTransaction.decodeKey(tree: tree) { () throws(DecodeError) in
                        var decoder = KeyDecoder(key, from: prefix.count)
                        let value = valueMajor ? try decoder.readString() : ""
                        let start = try decoder.readInt64()
                        let timeMajorValue = valueMajor ? value : try decoder.readString()
                        let model = try decoder.readString()
                        try decoder.finish()
                        return CellKey(dimension: dimension, level: level, start: start, value: timeMajorValue, model: model)
                    }
                    stored[cell] = try StoreTransaction.decode(CellRollup.self, bytes, tree: tree)
                    return true
                }
            }
            for key in Set(stored.keys).union(expectedHere.keys) {
                var kept = stored[key]
                let expected = expectedHere[key]
                if key.dimension == .sessionOutcome, key.value == Dimension.noLeadOutcome, let have = kept?.lastActivity,
                   let want = expected?.lastActivity, have >= want {
                    kept?.lastActivity = want
                }
                if kept != expected {
                    mismatches.append(RollupMismatch(dimension: key.dimension, level: key.level, cellStart: key.start, value: key.value, model: key.model,
                                                     stored: stored[key], rebuilt: expected, tree: tree))
                }
            }
        }
        return mismatches.sorted { ($0.tree, $0.dimension.rawValue, $0.cellStart) < ($1.tree, $1.dimension.rawValue, $1.cellStart) }
    }

    private struct CellKey: Hashable {
        let dimension: Dimension
        let level: CellLevel
        let start: Millis
        let value: String
        let model: String
    }
}
