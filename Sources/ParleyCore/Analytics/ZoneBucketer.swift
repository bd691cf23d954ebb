import Foundation

/// The time zone name was not one the system knows.
public struct UnknownTimeZone: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String

    public var description: String {
        "unknown time zone \"\(name)\"; give an IANA name such as \"Europe/Berlin\", \"America/Los_Angeles\" or \"UTC\""
    }
}

/// A local time bucket: its start as UTC ms and the label reports show.
public struct LocalBucket: Sendable, Equatable, Hashable {
    public var start: Millis
    public var label: String

    public init(start: Millis, label: String) {
        self.start = start
        self.label = label
    }
}

/// Maps UTC times to local buckets of one IANA zone.
///
/// Rollups are kept in 15-minute UTC cells (`CellGrid`) and a cell is bucketed by its
/// start. That is exact wherever the zone's offset is a multiple of 15 minutes and its
/// transitions fall on cell edges; `offGridSpans` names the spans of a window where
/// that fails, whose turns the store reads one by one instead.
public final class ZoneBucketer: Sendable {
    public let zoneName: String
    private let calendar: Calendar
    private let zone: TimeZone

    private init(zoneName: String, zone: TimeZone) {
        self.zoneName = zoneName
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // ISO 8601 weeks: Monday first, week 1 holds the year's first Thursday.
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        self.calendar = calendar
    }

    /// The bucketer for `name` ("" means UTC), shared per zone because building a
    /// calendar is far slower than using one.
    public static func named(_ name: String) throws(UnknownTimeZone) -> ZoneBucketer {
        let name = name.isEmpty ? "UTC" : name
        if let cached = cache.lookup(name) { return cached }
        guard let zone = TimeZone(identifier: name) else { throw UnknownTimeZone(name: name) }
        return cache.store(ZoneBucketer(zoneName: name, zone: zone), for: name)
    }

    /// The local bucket holding the instant `time`.
    /// Hour-of-day buckets have no single start: theirs is the hour's offset from local
    /// midnight (hour * 3,600,000). For `.none` the caller reports its window's start.
    public func bucket(containing time: Millis, granularity: Granularity) -> LocalBucket {
        let date = Self.date(time)
        let parts = calendar.dateComponents([.year, .month, .day, .hour], from: date)
        let year = parts.year ?? 0
        let month = parts.month ?? 1
        let day = parts.day ?? 1
        let hour = parts.hour ?? 0
        switch granularity {
        case .none:
            return LocalBucket(start: time, label: "")
        case .hour:
            return LocalBucket(start: start(of: .hour, containing: date, fallback: time),
                               label: "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) \(Self.pad(hour, 2)):00")
        case .day:
            return LocalBucket(start: Self.millis(calendar.startOfDay(for: date)),
                               label: "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))")
        case .week:
            let week = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return LocalBucket(start: start(of: .weekOfYear, containing: date, fallback: time),
                               label: "\(Self.pad(week.yearForWeekOfYear ?? year, 4))-W\(Self.pad(week.weekOfYear ?? 0, 2))")
        case .month:
            return LocalBucket(start: start(of: .month, containing: date, fallback: time),
                               label: "\(Self.pad(year, 4))-\(Self.pad(month, 2))")
        case .hourOfDay:
            return LocalBucket(start: Millis(hour) * TimeUnits.millisPerHour, label: Self.pad(hour, 2))
        }
    }

    /// The spans of `window` where a cell of `CellGrid` may straddle two local buckets of
    /// `granularity`, sorted and disjoint: every period whose UTC offset is not a multiple
    /// of the cell span, and the cell holding each offset change that is not on a cell
    /// edge. Outside them every local hour (so every day, week and month) starts on a cell
    /// edge. Empty for `.none`, which has no buckets inside the window. The cost is one
    /// step per offset change of the zone inside the window.
    public func offGridSpans(in window: TimeWindow, granularity: Granularity) -> [TimeWindow] {
        guard granularity != .none, window.since < window.until else { return [] }
        var spans: [TimeWindow] = []
        var periodStart = window.since
        while periodStart < window.until {
            let change = zone.nextDaylightSavingTimeTransition(after: Self.date(periodStart)).map(Self.millis)
            let periodEnd = min(change ?? window.until, window.until)
            let offset = Millis(zone.secondsFromGMT(for: Self.date(periodStart))) * 1000
            if offset % CellGrid.span != 0 {
                spans.append(TimeWindow(since: periodStart, until: periodEnd))
            }
            guard let change, change < window.until, change > periodStart else { break }
            if !CellGrid.isEdge(change) {
                let cell = CellGrid.start(of: change)
                spans.append(TimeWindow(since: max(cell, window.since), until: min(cell + CellGrid.span, window.until)))
            }
            periodStart = change
        }
        return TimeWindow.merged(spans)
    }

    /// The starts of the local buckets of `granularity` that lie strictly inside
    /// `window`, in order: where a rollup cell must not straddle (`CellCover`).
    /// Hour-of-day buckets are cut at every local hour; `.none` has no boundary inside.
    /// One calendar step per bucket of the window.
    public func boundaries(in window: TimeWindow, granularity: Granularity) -> [Millis] {
        let component: Calendar.Component
        switch granularity {
        case .none: return []
        case .hour, .hourOfDay: component = .hour
        case .day: component = .day
        case .week: component = .weekOfYear
        case .month: component = .month
        }
        var boundaries: [Millis] = []
        var point = window.since
        while point < window.until {
            let end = calendar.dateInterval(of: component, for: Self.date(point)).map { Self.millis($0.end) } ?? point
            // Where the calendar gives no later end, cut at every quarter: 15-minute cells, as without coarse ones.
            let next = end > point ? end : CellGrid.start(of: point) + CellGrid.span
            guard next < window.until else { break }
            boundaries.append(next)
            point = next
        }
        return boundaries
    }

    private func start(of component: Calendar.Component, containing date: Date, fallback: Millis) -> Millis {
        calendar.dateInterval(of: component, for: date).map { Self.millis($0.start) } ?? fallback
    }

    private static func date(_ time: Millis) -> Date {
        Date(timeIntervalSince1970: Double(time) / 1000)
    }

    private static func millis(_ date: Date) -> Millis {
        Millis((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static let cache = Cache()

    private final class Cache: @unchecked Sendable {
        // @unchecked: every access to `entries` holds `lock`.
        private let lock = NSLock()
        private var entries: [String: ZoneBucketer] = [:]

        func lookup(_ name: String) -> ZoneBucketer? {
            lock.lock()
            defer { lock.unlock() }
            return entries[name]
        }

        func store(_ bucketer: ZoneBucketer, for name: String) -> ZoneBucketer {
            lock.lock()
            defer { lock.unlock() }
            if let existing = entries[name] { return existing }
            entries[name] = bucketer
            return bucketer
        }
    }
}
