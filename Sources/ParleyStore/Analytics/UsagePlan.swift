import ParleyCore

/// Where a usage query's cells come from.
///
/// Rollups are kept per single dimension (every cell also carries its model), so a
/// query that groups or filters by at most one dimension besides the model reads
/// rollup cells; one that needs several (device x persona, say) is answered from the
/// turns, one cell per turn. Rollups are whole UTC hours: when the window does not
/// start or end on an hour, the partial hours at its edges are read from the turns, so
/// the answer equals a row-level `created_at >= since AND created_at < until`.
struct UsagePlan {
    /// Non-model dimensions the query groups or filters by.
    let dimensions: Set<Dimension>
    let fromRollups: Bool
    /// The rollup dimension to scan when `fromRollups`.
    let rollupDimension: Dimension
    /// Stored values to scan in `rollups.by_value`, or nil for a time-major scan.
    let rollupValues: Set<String>?
    /// The whole hours answered from rollups.
    let rollupWindow: TimeWindow?
    /// The spans answered from turns.
    let turnWindows: [TimeWindow]
    /// The window the engine checks cell hours against: the query's, widened to hours.
    let engineWindow: TimeWindow

    init(_ query: UsageQuery) {
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
        let firstWholeHour = Self.hourCeiling(window.since)
        let lastWholeHourEnd = TimeUnits.hourStart(of: window.until)
        engineWindow = TimeWindow(since: TimeUnits.hourStart(of: window.since), until: Self.hourCeiling(window.until))
        if !fromRollups || firstWholeHour >= lastWholeHourEnd {
            rollupWindow = nil
            turnWindows = window.since < window.until ? [window] : []
        } else {
            rollupWindow = TimeWindow(since: firstWholeHour, until: lastWholeHourEnd)
            turnWindows = [TimeWindow(since: window.since, until: firstWholeHour), TimeWindow(since: lastWholeHourEnd, until: window.until)]
                .filter { $0.since < $0.until }
        }
    }

    static func hourCeiling(_ time: Millis) -> Millis {
        let start = TimeUnits.hourStart(of: time)
        return start == time ? time : start + TimeUnits.millisPerHour
    }

    /// One turn as a cell of its own: every dimension's value, its model, its hour.
    static func cell(of turn: Turn, sessionHasLead: Bool) -> UsageCell {
        var rollup = HourRollup()
        rollup.add(turn)
        var values: [Dimension: String] = [:]
        for dimension in Dimension.allCases where dimension != .all && dimension != .model {
            values[dimension] = dimension.value(of: turn, sessionHasLead: sessionHasLead)
        }
        return UsageCell(hourStart: TimeUnits.hourStart(of: Keys.time(of: turn)), values: values, model: turn.model, rollup: rollup)
    }
}
