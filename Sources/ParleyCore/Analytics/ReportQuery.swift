/// What every named report is asked: one organization's window (already resolved to
/// the report's default when the caller gave none), the zone for local days and hours,
/// how many rows to keep, and filters by dimension value.
public struct ReportQuery: Sendable, Equatable {
    public var organization: String
    /// Always within `allTime`: a wider window is cut to it.
    public var window: TimeWindow {
        didSet { window = window.clamped(to: Self.allTime) }
    }
    public var timeZone: String
    /// 0: the report's default (all rows, or 20 for contacts).
    public var top: Int
    public var filters: [Dimension: Set<String>]

    public init(organization: String, window: TimeWindow, timeZone: String = "", top: Int = 0, filters: [Dimension: Set<String>] = [:]) {
        self.organization = organization
        self.window = window.clamped(to: Self.allTime)
        self.timeZone = timeZone
        self.top = top
        self.filters = filters
    }

    /// The seed's reports without a date condition (persona performance) cover all time:
    /// these bounds are hour-aligned and far beyond any time intake accepts
    /// (`TimeUnits.endOfAcceptedTime`).
    public static let allTime = TimeWindow(since: -TimeUnits.millisPerHour * 2_000_000_000, until: TimeUnits.millisPerHour * 2_000_000_000)

    public func usage(granularity: Granularity = .none, groupBy: [Dimension], orderBy: Measure = .count, top: Int = 0) -> UsageQuery {
        UsageQuery(window: window, timeZone: timeZone, granularity: granularity, groupBy: groupBy, filters: filters, orderBy: orderBy, top: top,
                   responseTimePercentiles: false)
    }
}
