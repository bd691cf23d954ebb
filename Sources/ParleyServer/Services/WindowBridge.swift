import ParleyCore
import ParleyWire

/// parley.v1.TimeWindow -> TimeWindow: absent or 0 `until_ms` means now.
enum WindowBridge {
    static func window(_ m: ProtoMessage?, now: Millis, field: String) throws -> TimeWindow? {
        guard let m else { return nil }
        let since = m.int("since_ms") ?? 0
        let until = (m.int("until_ms") ?? 0) == 0 ? now : (m.int("until_ms") ?? now)
        guard since < until else {
            throw RPCError.invalidArgument([FieldViolation(field: "\(field).since_ms", reason: "must be before until_ms (\(until))")])
        }
        return TimeWindow(since: since, until: until)
    }
}
