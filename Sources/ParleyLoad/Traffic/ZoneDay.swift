/// A calendar day in one time zone, as "YYYY-MM-DD" (the daily report's key).
public struct ZoneDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var timeZone: String
    public var day: String

    public init(timeZone: String, day: String) {
        self.timeZone = timeZone
        self.day = day
    }

    public static func < (a: ZoneDay, b: ZoneDay) -> Bool { (a.timeZone, a.day) < (b.timeZone, b.day) }

    public var description: String { "\(day) \(timeZone)" }
}
