import ParleyCore

/// Where a usage query's cells come from.
///
/// Rollups are kept per single dimension (every cell also carries its model), so a
/// query that groups or filters by at most one dimension besides the model reads
/// rollup cells; one that needs several (device x persona, say) is answered from the
/// turns, one cell per turn. Rollups are 15-minute UTC cells (`CellGrid`); the turns are
/// read instead for every span where a cell would not be exact: the partial cells at
/// the window's edges, the spans where the zone's local buckets do not start on cell
/// edges (`ZoneBucketer.offGridSpans`), and the cells a price change cuts. So the answer
/// equals a row-level `created_at >= since AND created_at < until` bucketed per row.
struct UsagePlan {
    /// Non-model dimensions the query groups or filters by.
    let dimensions: Set<Dimension>
    let fromRollups: Bool
    /// The rollup dimension to scan when `fromRollups`.
    let rollupDimension: Dimension
    /// Stored values to scan in `rollups.by_value`, or nil for a time-major scan.
    let rollupValues: Set<String>?
    /// Whole cells answered from rollups, sorted and disjoint.
    let rollupWindows: [TimeWindow]
    /// The spans answered from turns, sorted and disjoint.
    let turnWindows: [TimeWindow]
    /// The window the engine checks cell starts against: the query's, widened to cells.
    let engineWindow: TimeWindow

    /// `exactSpans` are the spans inside the window that must come from the turns (zone
    /// and price edges); `Usage` finds them for the span the data covers.
    init(_ query: UsageQuery, exactSpans: [TimeWindow]) {
        var dimensions = Set(query.groupBy)
        dimensions.formUnion(query.filters.keys)
        dimensions.remove(.all)
        dimensions.remove(.model)
        self.dimensions = dimensions
        fromRollups = dimensions.count <= 1
        let modelFilter = query.filters[.model]
        if let only = dimensions.first {
            rollupDimension = only
            rollupValues = query.filters[only]
        } else if let modelFilter {
            rollupDimension = .model
            // Reports name the missing model "(unknown)"; it is stored as "".
            rollupValues = Set(modelFilter.map { $0 == Turn.unknownModelLabel ? "" : $0 })
        } else {
            rollupDimension = .all
            rollupValues = nil
        }

        let window = query.window
        engineWindow = CellGrid.covering(window)
        let wholeCells = TimeWindow(since: CellGrid.ceiling(window.since), until: CellGrid.start(of: window.until))
        if !fromRollups || wholeCells.since >= wholeCells.until {
            rollupWindows = []
            turnWindows = window.since < window.until ? [window] : []
            return
        }
        // Exact spans grow to whole cells so that the rest stays whole cells.
        let exactCells = TimeWindow.merged(exactSpans.map(CellGrid.covering))
        rollupWindows = wholeCells.subtracting(exactCells)
        turnWindows = window.subtracting(rollupWindows)
    }

    /// One turn as a cell of its own: every dimension's value, its model, and its own
    /// time, so it is bucketed and priced exactly where a cell could not be.
    static func cell(of turn: Turn, sessionHasLead: Bool) -> UsageCell {
        var rollup = CellRollup()
        rollup.add(turn)
        var values: [Dimension: String] = [:]
        for dimension in Dimension.allCases where dimension != .all && dimension != .model {
            values[dimension] = dimension.value(of: turn, sessionHasLead: sessionHasLead)
        }
        return UsageCell(start: Keys.time(of: turn), values: values, model: turn.model, rollup: rollup)
    }
}
