import ParleyCore
import ParleyWire

/// parley.v1.TimeWindow -> TimeWindow: absent or 0 `until_ms` means now. Any edges are
/// accepted: the store's queries cut a window to `ReportQuery.allTime`, so one of
/// Int64.min to Int64.max asks for all time.
enum WindowBridge {
    static func window(_ m: V1.TimeWindow?, now: Millis, field: String) throws -> TimeWindow? {
        guard let m else { return nil }
        let since = m.sinceMs ?? 0
        let until = (m.untilMs ?? 0) == 0 ? now : (m.untilMs ?? now)
        guard since < until else {
            throw RPCError.invalidArgument([FieldViolation(field: "\(field).since_ms", reason: "must be before until_ms (\(until))")])
        }
        return TimeWindow(since: since, until: until)
    }
}
