/// Milliseconds since the Unix epoch, UTC. Every time in Parley is one of these, so
/// arithmetic on times is exact integer arithmetic and never depends on a calendar.
public typealias Millis = Int64

public enum TimeUnits {
    public static let millisPerHour: Millis = 3_600_000

    /// 10000-01-01 00:00 UTC. Intake refuses times from here on, so every stored time
    /// lies well inside `ReportQuery.allTime` and cell arithmetic on it cannot overflow.
    public static let endOfAcceptedTime: Millis = 253_402_300_800_000
}
