import Foundation

/// Numbers, money and durations as people read them.
public enum Format {
    /// 1234567 -> "1,234,567".
    public static func integer(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// Nano-dollars -> "$1,234.56"; amounts under a cent keep four decimals ("$0.0042").
    public static func money(nanos: Int64) -> String {
        let negative = nanos < 0
        let n = nanos.magnitude
        let text: String
        if n != 0, n < 10_000_000 {
            let tenThousandths = (n + 50_000) / 100_000
            text = "$0.\(String(format: "%04d", tenThousandths))"
        } else {
            let cents = (n + 5_000_000) / 10_000_000
            text = "$\(integer(Int64(cents / 100))).\(String(format: "%02d", cents % 100))"
        }
        return negative ? "-" + text : text
    }

    /// Milliseconds -> "850 ms", "12.4 s", "3m 20s", "2h 05m", "3d 4h".
    public static func duration(ms: Int64) -> String {
        if ms < 1_000 { return "\(ms) ms" }
        if ms < 60_000 { return String(format: "%.1f s", Double(ms) / 1000) }
        let s = ms / 1000
        if s < 3_600 { return "\(s / 60)m \(String(format: "%02d", s % 60))s" }
        if s < 86_400 { return "\(s / 3600)h \(String(format: "%02d", (s % 3600) / 60))m" }
        return "\(s / 86_400)d \((s % 86_400) / 3600)h"
    }

    public static func milliseconds(_ ms: Double) -> String {
        ms < 10 ? String(format: "%.3f ms", ms) : String(format: "%.1f ms", ms)
    }

    public static func decimal(_ value: Double, places: Int = 1) -> String {
        let rounded = String(format: "%.\(places)f", value)
        guard let dot = rounded.firstIndex(of: ".") else { return integer(Int64(value.rounded())) }
        let whole = Int64(rounded[..<dot]) ?? 0
        let sign = value < 0 && whole == 0 ? "-" : ""
        return sign + integer(whole) + rounded[dot...]
    }
}
