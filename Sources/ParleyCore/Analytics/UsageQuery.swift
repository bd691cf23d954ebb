/// A half-open window [since, until) of UTC ms.
public struct TimeWindow: Sendable, Equatable, Hashable {
    public var since: Millis
    public var until: Millis

    public init(since: Millis, until: Millis) {
        self.since = since
        self.until = until
    }

    public func contains(_ time: Millis) -> Bool { time >= since && time < until }

    /// Each edge moved into `bounds`: a window beyond them becomes empty at the
    /// nearer bound, and one with `since` after `until` stays so, for validation to name.
    public func clamped(to bounds: TimeWindow) -> TimeWindow {
        TimeWindow(since: min(max(since, bounds.since), bounds.until), until: min(max(until, bounds.since), bounds.until))
    }

    /// `windows` sorted, with overlapping or touching ones joined and empty ones dropped.
    public static func merged(_ windows: [TimeWindow]) -> [TimeWindow] {
        var result: [TimeWindow] = []
        for window in windows.sorted(by: { $0.since < $1.since }) where window.since < window.until {
            if let last = result.last, window.since <= last.until {
                result[result.count - 1].until = max(last.until, window.until)
            } else {
                result.append(window)
            }
        }
        return result
    }

    /// `self` without `holes` (sorted and disjoint), in order.
    public func subtracting(_ holes: [TimeWindow]) -> [TimeWindow] {
        var result: [TimeWindow] = []
        var from = since
        for hole in holes where hole.until > from && hole.since < until {
            if hole.since > from { result.append(TimeWindow(since: from, until: hole.since)) }
            from = max(from, hole.until)
        }
        if from < until { result.append(TimeWindow(since: from, until: until)) }
        return result
    }
}

/// The general usage question: which hours, how to bucket them locally, how to group,
/// filter, order and cut the rows.
public struct UsageQuery: Sendable, Equatable {
    /// Cells whose start lies in the window are counted. Always within
    /// `ReportQuery.allTime` (a wider window is cut to it), so no cell arithmetic on
    /// its edges can overflow.
    public var window: TimeWindow {
        didSet { window = window.clamped(to: ReportQuery.allTime) }
    }
    /// IANA name; "" means UTC.
    public var timeZone: String
    public var granularity: Granularity
    /// One group value per dimension, in this order; `.all` entries are ignored.
    public var groupBy: [Dimension]
    /// A cell counts only if, for each dimension here, its value is one of the set.
    public var filters: [Dimension: Set<String>]
    public var orderBy: Measure
    public var ascending: Bool
    /// Rows kept per time bucket (all rows when there is one bucket); 0 keeps all.
    public var top: Int
    /// False leaves the rows' p50/p90/p99 nil: merging the latency histograms is a good
    /// part of a query's cost, and the named reports show none of them.
    public var responseTimePercentiles: Bool

    public init(window: TimeWindow, timeZone: String = "", granularity: Granularity = .none, groupBy: [Dimension] = [],
                filters: [Dimension: Set<String>] = [:], orderBy: Measure = .count, ascending: Bool = false, top: Int = 0,
                responseTimePercentiles: Bool = true) {
        self.window = window.clamped(to: ReportQuery.allTime)
        self.timeZone = timeZone
        self.granularity = granularity
        self.groupBy = groupBy
        self.filters = filters
        self.orderBy = orderBy
        self.ascending = ascending
        self.top = top
        self.responseTimePercentiles = responseTimePercentiles
    }
}

/// One stored rollup as the engine reads it: where it starts (a cell's start, or a turn's
/// own time for a turn counted alone), the dimension values the cell is keyed by, its
/// model, and the usage. The engine buckets and prices the cell at `start`.
public struct UsageCell: Sendable, Equatable {
    public var start: Millis
    /// Values of the cell's dimensions other than the model (e.g. [.device: "d1"]).
    public var values: [Dimension: String]
    /// As stored; "" when unknown.
    public var model: String
    public var rollup: CellRollup

    public init(start: Millis, values: [Dimension: String] = [:], model: String, rollup: CellRollup) {
        self.start = start
        self.values = values
        self.model = model
        self.rollup = rollup
    }

    /// The cell's value for `dimension`; the model reads "(unknown)" when empty, so
    /// reports and filters name it the way people see it.
    public func value(for dimension: Dimension) -> String {
        switch dimension {
        case .all: return ""
        case .model: return model.isEmpty ? Turn.unknownModelLabel : model
        default: return values[dimension] ?? ""
        }
    }

    /// `value(for:)` of a rollup cell, keyed by `value` of `keyDimension`, without
    /// building the cell.
    public static func value(for dimension: Dimension, model: String, keyDimension: Dimension, value: String) -> String {
        switch dimension {
        case .all: return ""
        case .model: return model.isEmpty ? Turn.unknownModelLabel : model
        default: return dimension == keyDimension ? value : ""
        }
    }
}

public struct UsageRow: Sendable, Equatable {
    public var bucketStart: Millis
    public var bucketLabel: String
    /// One value per group-by dimension.
    public var group: [String]
    public var count: Int64
    public var tokens: TokenCounts
    /// total tokens / count; 0 for an empty row.
    public var avgTokens: Double
    public var cost: Cost
    public var avgResponseTime: Double?
    public var p50ResponseTime: Millis?
    public var p90ResponseTime: Millis?
    public var p99ResponseTime: Millis?
    public var lastActivity: Millis?
}

public struct UsageResult: Sendable, Equatable {
    public var rows: [UsageRow]
    /// Cost of every counted cell, including rows cut by `top`.
    public var totalCost: Cost
}
