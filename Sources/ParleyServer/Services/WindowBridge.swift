import ParleyCore
import ParleyWire

/// parley.v1.TimeWindow -> TimeWindow: absent or 0 `until_ms` means now. Edges beyond
/// `ReportQuery.allTime` (which lies far beyond any time intake accepts) are moved to it,
/// so a window of Int64.min to Int64.max asks for all time and no cell arithmetic on it
/// can overflow.
enum WindowBridge {
    static func window(_ m: V1.TimeWindow?, now: Millis, field: String) throws -> TimeWindow? {
        guard let m else { return nil }
        let since = m.sinceMs ?? 0
        let until = (m.untilMs ?? 0) == 0 ? now : (m.untilMs ?? now)
        guard since < until else {
            throw RPCError.invalidArgument([FieldViolation(field: "\(field).since_ms", reason: "must be before until_ms (\(until))")])
        }
        let bounds = ReportQuery.allTime
        return TimeWindow(since: min(max(since, bounds.since), bounds.until), until: max(min(until, bounds.until), bounds.since))
    }
}
