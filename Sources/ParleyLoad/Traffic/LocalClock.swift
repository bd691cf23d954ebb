import Foundation
import ParleyCore

/// Local time in one IANA zone, by the zone's UTC offset at each instant (DST included).
struct LocalClock: Sendable {
    let name: String
    let zone: TimeZone

    init(_ name: String) throws(TrafficProfileError) {
        guard let zone = TimeZone(identifier: name) else { throw .unknownTimeZone(name) }
        self.name = name
        self.zone = zone
    }

    /// The zone's offset from UTC at `utc`, in ms.
    func offset(at utc: Millis) -> Millis {
        Millis(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc) / 1000))) * 1000
    }

    /// The UTC instant of local midnight starting the local day that holds `utc`.
    func localMidnight(containing utc: Millis) -> Millis {
        let local = utc + offset(at: utc)
        let day = Self.floorDiv(local, 86_400_000)
        return day * 86_400_000 - offset(at: utc)
    }

    func day(of utc: Millis) -> ZoneDay {
        ZoneDay(timeZone: name, day: Self.civilDate(daysSinceEpoch: Self.floorDiv(utc + offset(at: utc), 86_400_000)))
    }

    static func floorDiv(_ a: Millis, _ b: Millis) -> Millis {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// "YYYY-MM-DD" of a day count from 1970-01-01 (proleptic Gregorian).
    static func civilDate(daysSinceEpoch days: Int64) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}
