import Foundation

/// Times shown to people, in the zone they asked for.
public enum TimeDisplay {
    /// "2026-11-02 14:05" in `zone`; "" for nil or 0 (the protos' "never").
    public static func minute(_ ms: Int64?, zone: TimeZone) -> String {
        format(ms, zone: zone, pattern: "yyyy-MM-dd HH:mm")
    }

    private static func format(_ ms: Int64?, zone: TimeZone, pattern: String) -> String {
        guard let ms, ms != 0 else { return "" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = Calendar(identifier: .gregorian)
        f.timeZone = zone
        f.dateFormat = pattern
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
