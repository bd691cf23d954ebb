/// The sizes of rollup cells, all aligned to UTC: every turn adds to one cell of each
/// level, so a long window is read as a few coarse cells with 15-minute cells only
/// where a coarse one would straddle a local bucket, a price change or the window's edge
/// (`CellCover`). Raw values are stored nowhere: each level has its own rollup trees.
public enum CellLevel: Int, Sendable, Equatable, Hashable, CaseIterable, Comparable {
    /// 15 minutes (`CellGrid`): the finest, on which every local bucket since 1972 starts.
    case quarter = 0
    case hour = 1
    /// UTC day.
    case day = 2
    /// UTC calendar month.
    case month = 3

    public static func < (lhs: CellLevel, rhs: CellLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Coarsest first: the order `CellCover` tries them in.
    public static let coarsestFirst: [CellLevel] = allCases.reversed()

    /// The start of this level's cell holding `time` (floor, also before 1970).
    public func start(of time: Millis) -> Millis {
        switch self {
        case .quarter: return CellGrid.start(of: time)
        case .hour: return Self.floor(time, TimeUnits.millisPerHour)
        case .day: return Self.floor(time, Self.millisPerDay)
        case .month:
            let civil = Self.civil(days: Self.floorDivide(time, Self.millisPerDay))
            return Self.days(year: civil.year, month: civil.month) * Self.millisPerDay
        }
    }

    /// The end of the cell starting at `start` (a value of `start(of:)`); `Millis.max`
    /// for a cell that would end past it.
    public func end(ofCellAt start: Millis) -> Millis {
        guard start < Millis.max - 32 * Self.millisPerDay else { return .max }
        switch self {
        case .quarter: return start + CellGrid.span
        case .hour: return start + TimeUnits.millisPerHour
        case .day: return start + Self.millisPerDay
        case .month:
            let civil = Self.civil(days: Self.floorDivide(start, Self.millisPerDay))
            let next = civil.month == 12 ? (civil.year + 1, 1) : (civil.year, civil.month + 1)
            return Self.days(year: next.0, month: next.1) * Self.millisPerDay
        }
    }

    public func isStart(_ time: Millis) -> Bool { start(of: time) == time }

    static let millisPerDay: Millis = 86_400_000

    private static func floorDivide(_ value: Millis, _ divisor: Millis) -> Millis {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    private static func floor(_ time: Millis, _ span: Millis) -> Millis { floorDivide(time, span) * span }

    /// Days since 1970-01-01 of the first of (year, month), proleptic Gregorian.
    private static func days(year: Int64, month: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// (year, month) of the day `days` since 1970-01-01.
    private static func civil(days: Int64) -> (year: Int64, month: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month)
    }
}
