/// The time grid of the rollups: 15-minute UTC cells.
///
/// Every UTC offset of the tz database since 1972 is a multiple of 15 minutes
/// (Asia/Kolkata +5:30, Asia/Kathmandu +5:45, Australia/Lord_Howe's 30-minute DST), so in
/// such a zone every local hour, day, week and month starts on a cell edge and a cell
/// lies in exactly one local bucket. Where that does not hold (an older offset such as
/// a local mean time, a transition off the grid, a price effective inside a cell), the
/// store reads the turns of the cells concerned instead (see `ZoneBucketer.offGridSpans`).
public enum CellGrid {
    public static let span: Millis = 15 * 60_000

    /// The start of the cell holding `time` (floor, also before 1970).
    public static func start(of time: Millis) -> Millis {
        let remainder = time % span
        return remainder < 0 ? time - remainder - span : time - remainder
    }

    /// The first cell edge at or after `time`.
    public static func ceiling(_ time: Millis) -> Millis {
        let start = start(of: time)
        return start == time ? time : start + span
    }

    public static func isEdge(_ time: Millis) -> Bool { start(of: time) == time }

    /// The whole cells covering `window`: its edges moved out to the grid.
    public static func covering(_ window: TimeWindow) -> TimeWindow {
        TimeWindow(since: start(of: window.since), until: ceiling(window.until))
    }
}
