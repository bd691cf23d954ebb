/// MySQL's DATETIME text in UTC ("2026-11-03 10:00:00", optionally ".ffffff"), read by
/// arithmetic: exports hold one or two per row, and a calendar per value was the largest
/// cost of converting a row. Anything else (ISO 8601 with an offset, epoch ms) is left
/// to `TimeExpression`.
enum DateTimeText {
    /// Epoch milliseconds, or nil when `text` is not exactly that shape or not a real date.
    static func utcMilliseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 19 || (b.count > 20 && b.count <= 29 && b[19] == UInt8(ascii: ".")),
              b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
              let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
              (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        var millis: Int64 = 0
        if b.count > 20 {
            guard let fraction = number(b, 20, b.count - 20) else { return nil }
            var scaled = Int64(fraction)
            // Keep the first three digits: milliseconds, truncated as TimeExpression does.
            for _ in 0..<max(0, b.count - 20 - 3) { scaled /= 10 }
            for _ in 0..<max(0, 3 - (b.count - 20)) { scaled *= 10 }
            millis = scaled
        }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        return ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1_000 + millis
    }

    private static func number(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            let digit = Int(b[i]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
