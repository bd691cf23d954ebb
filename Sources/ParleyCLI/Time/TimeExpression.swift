import Foundation

/// The times people type: "30d" (ago), "12h", "2026-11-01", "2026-11-01T08:00", full ISO
/// 8601 with an offset, MySQL's "2026-11-01 08:00:00", or epoch milliseconds.
///
/// Times without an offset are wall-clock times in the given zone, so
/// `--since 2026-11-01 --tz Europe/Berlin` starts at Berlin's midnight.
public enum TimeExpression {
    public enum Problem: Error, CustomStringConvertible {
        case unreadable(String)
        case unknownZone(String)

        public var description: String {
            switch self {
            case .unreadable(let s):
                return "cannot read the time \"\(s)\"; use an age like 30d, 12h, 45m, 2w, a date like 2026-11-01, a local time like 2026-11-01T08:00, or epoch milliseconds"
            case .unknownZone(let s):
                return "\"\(s)\" is not an IANA time zone; use a name like UTC, Europe/Berlin or America/New_York"
            }
        }
    }

    /// The zone named `name`, or a typed problem naming it.
    public static func zone(_ name: String) throws(Problem) -> TimeZone {
        guard let zone = TimeZone(identifier: name) else { throw .unknownZone(name) }
        return zone
    }

    /// Milliseconds since the epoch for `text`; ages count back from `nowMs`.
    public static func parse(_ text: String, timeZone: TimeZone, nowMs: Int64) throws(Problem) -> Int64 {
        let s = text.trimmingCharacters(in: .whitespaces)
        if s == "now" { return nowMs }
        if let age = age(s) { return nowMs - age }
        return try absolute(s, timeZone: timeZone)
    }

    /// An absolute time: a date, a date and time (local to `timeZone` unless it carries
    /// an offset or Z), or epoch milliseconds.
    public static func absolute(_ text: String, timeZone: TimeZone) throws(Problem) -> Int64 {
        let s = text.trimmingCharacters(in: .whitespaces)
        if !s.isEmpty, s.allSatisfy(\.isASCII), s.allSatisfy(\.isNumber), s.count >= 9, let ms = Int64(s) { return ms }
        guard s.count >= 10 else { throw .unreadable(text) }
        let datePart = s.prefix(10)
        let fields = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count == 4, let year = Int(fields[0]), let month = Int(fields[1]),
              let day = Int(fields[2]), (1...12).contains(month), (1...31).contains(day) else { throw .unreadable(text) }
        var rest = s.dropFirst(10)
        var hour = 0, minute = 0, second = 0, nanos = 0
        var zone = timeZone
        if let sep = rest.first {
            guard sep == "T" || sep == " " else { throw .unreadable(text) }
            rest = rest.dropFirst()
            var clock = rest
            if let z = clock.firstIndex(where: { $0 == "Z" || $0 == "z" || $0 == "+" || $0 == "-" }) {
                let offsetText = clock[z...]
                clock = clock[..<z]
                guard let offset = offsetSeconds(offsetText), let fixed = TimeZone(secondsFromGMT: offset) else {
                    throw .unreadable(text)
                }
                zone = fixed
            }
            let (whole, fraction) = splitFraction(clock)
            let parts = whole.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count), let h = Int(parts[0]), let m = Int(parts[1]),
                  (0...23).contains(h), (0...59).contains(m) else { throw .unreadable(text) }
            hour = h
            minute = m
            if parts.count == 3 {
                guard let sec = Int(parts[2]), (0...60).contains(sec) else { throw .unreadable(text) }
                second = sec
            }
            if let fraction {
                guard !fraction.isEmpty, fraction.count <= 9, let f = Int(fraction) else { throw .unreadable(text) }
                nanos = f * Int(pow(10, Double(9 - fraction.count)))
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { throw .unreadable(text) }
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) + Int64(nanos / 1_000_000)
    }

    /// "30d" -> 30 days in ms; nil when `s` is not an age.
    static func age(_ s: String) -> Int64? {
        guard let unit = s.last, let n = Int64(s.dropLast()), n >= 0 else { return nil }
        let unitMs: Int64
        switch unit {
        case "s": unitMs = 1_000
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        case "d": unitMs = 86_400_000
        case "w": unitMs = 7 * 86_400_000
        default: return nil
        }
        return n.multipliedReportingOverflow(by: unitMs).overflow ? nil : n * unitMs
    }

    private static func splitFraction(_ clock: Substring) -> (Substring, Substring?) {
        guard let dot = clock.firstIndex(of: ".") else { return (clock, nil) }
        return (clock[..<dot], clock[clock.index(after: dot)...])
    }

    /// "Z" -> 0, "+02:00" / "+0200" / "-05" -> seconds east of UTC.
    private static func offsetSeconds(_ text: Substring) -> Int? {
        if text == "Z" || text == "z" { return 0 }
        guard let sign = text.first else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard digits.count == 2 || digits.count == 4, let value = Int(digits) else { return nil }
        let hours = digits.count == 2 ? value : value / 100
        let minutes = digits.count == 2 ? 0 : value % 100
        guard hours <= 18, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}
