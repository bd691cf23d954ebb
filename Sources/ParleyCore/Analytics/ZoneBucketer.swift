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

/// Maps UTC hour starts to local buckets of one IANA zone.
///
/// Rollups are kept in UTC hours, so a local day is the set of UTC hours whose start
/// falls in it. That is exact whenever the zone's offset is a whole number of hours
/// (DST changes included); for half-hour zones an hour is counted in the local bucket
/// where it starts.
public final class ZoneBucketer: Sendable {
    public let zoneName: String
    private let calendar: Calendar

    private init(zoneName: String, zone: TimeZone) {
        self.zoneName = zoneName
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

    /// The local bucket holding the UTC hour starting at `hourStart`.
    /// Hour-of-day buckets have no single start: theirs is the hour's offset from local
    /// midnight (hour * 3,600,000). For `.none` the caller reports its window's start.
    public func bucket(forHourStart hourStart: Millis, granularity: Granularity) -> LocalBucket {
        let date = Date(timeIntervalSince1970: Double(hourStart) / 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .hour], from: date)
        let year = parts.year ?? 0
        let month = parts.month ?? 1
        let day = parts.day ?? 1
        let hour = parts.hour ?? 0
        switch granularity {
        case .none:
            return LocalBucket(start: hourStart, label: "")
        case .hour:
            return LocalBucket(start: start(of: .hour, containing: date, fallback: hourStart),
                               label: "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) \(Self.pad(hour, 2)):00")
        case .day:
            return LocalBucket(start: Self.millis(calendar.startOfDay(for: date)),
                               label: "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))")
        case .week:
            let week = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return LocalBucket(start: start(of: .weekOfYear, containing: date, fallback: hourStart),
                               label: "\(Self.pad(week.yearForWeekOfYear ?? year, 4))-W\(Self.pad(week.weekOfYear ?? 0, 2))")
        case .month:
            return LocalBucket(start: start(of: .month, containing: date, fallback: hourStart),
                               label: "\(Self.pad(year, 4))-\(Self.pad(month, 2))")
        case .hourOfDay:
            return LocalBucket(start: Millis(hour) * TimeUnits.millisPerHour, label: Self.pad(hour, 2))
        }
    }

    private func start(of component: Calendar.Component, containing date: Date, fallback: Millis) -> Millis {
        calendar.dateInterval(of: component, for: date).map { Self.millis($0.start) } ?? fallback
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
