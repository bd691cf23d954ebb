/// Milliseconds since the Unix epoch, UTC. Every time in Parley is one of these, so
/// arithmetic on times is exact integer arithmetic and never depends on a calendar.
public typealias Millis = Int64

public enum TimeUnits {
    public static let millisPerHour: Millis = 3_600_000
}
