import Foundation
import Synchronization

/// Times shown to people, in the zone they asked for.
public enum TimeDisplay {
    /// "2026-11-02 14:05" in `zone`; "" for nil or 0 (the protos' "never").
    public static func minute(_ ms: Int64?, zone: TimeZone) -> String {
        guard let ms, ms != 0 else { return "" }
        return formatter(for: zone).string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    // A table or thread shows a time per row; building a DateFormatter for each was the
    // costly part, so one is kept per zone.
    private static let formatters = Mutex<[String: DateFormatter]>([:])

    private static func formatter(for zone: TimeZone) -> DateFormatter {
        formatters.withLock { formatters in
            if let f = formatters[zone.identifier] { return f }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.calendar = Calendar(identifier: .gregorian)
            f.timeZone = zone
            f.dateFormat = "yyyy-MM-dd HH:mm"
            formatters[zone.identifier] = f
            return f
        }
    }
}
