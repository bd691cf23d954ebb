import XCTest
@testable import ParleyCore

final class ZoneBucketerTests: XCTestCase {
    /// UTC ms for a UTC calendar time.
    func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int) -> Millis {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!  // safe: test fixture, UTC always exists
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour))!  // safe: fixed valid date
        return Millis(date.timeIntervalSince1970 * 1000)
    }

    func hours(from start: Millis, count: Int) -> [Millis] {
        (0..<count).map { start + Millis($0) * TimeUnits.millisPerHour }
    }

    func testUnknownZoneIsTypedError() {
        XCTAssertThrowsError(try ZoneBucketer.named("Mars/Olympus_Mons")) { error in
            XCTAssertEqual(error as? UnknownTimeZone, UnknownTimeZone(name: "Mars/Olympus_Mons"))
            XCTAssertTrue("\(error)".contains("IANA"))
        }
        XCTAssertEqual(try ZoneBucketer.named("").zoneName, "UTC")
    }

    func testLosAngelesDayAcrossDSTEnd() throws {
        // 2026-11-01: PDT (UTC-7) until 09:00Z, then PST (UTC-8); the local day has 25 hours.
        let zone = try ZoneBucketer.named("America/Los_Angeles")
        let dayStart = utc(2026, 11, 1, 7)
        for hour in hours(from: dayStart, count: 25) {
            XCTAssertEqual(zone.bucket(containing: hour, granularity: .day), LocalBucket(start: dayStart, label: "2026-11-01"))
        }
        XCTAssertEqual(zone.bucket(containing: dayStart - TimeUnits.millisPerHour, granularity: .day).label, "2026-10-31")
        XCTAssertEqual(zone.bucket(containing: utc(2026, 11, 2, 8), granularity: .day), LocalBucket(start: utc(2026, 11, 2, 8), label: "2026-11-02"))
        XCTAssertEqual(zone.bucket(containing: utc(2026, 11, 2, 22), granularity: .hourOfDay).label, "14")
        XCTAssertEqual(zone.bucket(containing: utc(2026, 11, 2, 22), granularity: .hour).label, "2026-11-02 14:00")
    }

    func testBerlinDayAcrossDSTEndAndStart() throws {
        let zone = try ZoneBucketer.named("Europe/Berlin")
        // 2026-10-25: CEST (UTC+2) to CET (UTC+1), 25 hours from 2026-10-24T22:00Z.
        for hour in hours(from: utc(2026, 10, 24, 22), count: 25) {
            XCTAssertEqual(zone.bucket(containing: hour, granularity: .day).label, "2026-10-25")
        }
        XCTAssertEqual(zone.bucket(containing: utc(2026, 10, 25, 23), granularity: .day).label, "2026-10-26")
        // 2026-03-29: CET to CEST, 23 hours from 2026-03-28T23:00Z.
        for hour in hours(from: utc(2026, 3, 28, 23), count: 23) {
            XCTAssertEqual(zone.bucket(containing: hour, granularity: .day), LocalBucket(start: utc(2026, 3, 28, 23), label: "2026-03-29"))
        }
        XCTAssertEqual(zone.bucket(containing: utc(2026, 3, 29, 22), granularity: .day).label, "2026-03-30")
    }

    func testKiritimatiIsFourteenHoursAhead() throws {
        let zone = try ZoneBucketer.named("Pacific/Kiritimati")
        XCTAssertEqual(zone.bucket(containing: utc(2026, 11, 1, 10), granularity: .day), LocalBucket(start: utc(2026, 11, 1, 10), label: "2026-11-02"))
        XCTAssertEqual(zone.bucket(containing: utc(2026, 11, 1, 9), granularity: .day).label, "2026-11-01")
        XCTAssertEqual(zone.bucket(containing: utc(2026, 11, 1, 10), granularity: .hourOfDay), LocalBucket(start: 0, label: "00"))
    }

    func testWeekAndMonthLabels() throws {
        let zone = try ZoneBucketer.named("UTC")
        // 2026-11-02 is a Monday in ISO week 45.
        let monday = utc(2026, 11, 2, 0)
        XCTAssertEqual(zone.bucket(containing: monday + 5 * 24 * TimeUnits.millisPerHour, granularity: .week), LocalBucket(start: monday, label: "2026-W45"))
        XCTAssertEqual(zone.bucket(containing: monday - TimeUnits.millisPerHour, granularity: .week).label, "2026-W44")
        XCTAssertEqual(zone.bucket(containing: utc(2027, 1, 1, 0), granularity: .week).label, "2026-W53")
        XCTAssertEqual(zone.bucket(containing: utc(2026, 11, 30, 23), granularity: .month), LocalBucket(start: utc(2026, 11, 1, 0), label: "2026-11"))
        let la = try ZoneBucketer.named("America/Los_Angeles")
        XCTAssertEqual(la.bucket(containing: utc(2026, 11, 1, 3), granularity: .month), LocalBucket(start: utc(2026, 10, 1, 7), label: "2026-10"))
    }
}

final class ZoneOffGridTests: XCTestCase {
    private let january2025 = TimeWindow(since: 1_735_689_600_000, until: 1_738_368_000_000)

    func testQuarterHourZonesHaveNoOffGridSpans() throws {
        for name in ["Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "Europe/Berlin", "UTC"] {
            let zone = try ZoneBucketer.named(name)
            XCTAssertEqual(zone.offGridSpans(in: TimeWindow(since: january2025.since, until: january2025.since + 400 * 86_400_000), granularity: .day), [], name)
        }
    }

    func testAnOffsetOffTheGridIsReadWholeAndItsChangeCellToo() throws {
        let zone = try ZoneBucketer.named("Africa/Monrovia")
        let window = TimeWindow(since: 63_072_000_000, until: 63_936_000_000) // 1972-01-01 to 1972-01-11
        let change: Millis = 63_593_070_000 // 1972-01-07 00:44:30 UTC, to UTC+0
        XCTAssertEqual(zone.offGridSpans(in: window, granularity: .hourOfDay),
                       [TimeWindow(since: window.since, until: CellGrid.start(of: change) + CellGrid.span)])
        XCTAssertEqual(zone.offGridSpans(in: window, granularity: .none), [], "one bucket: nothing to split")
    }

    func testCellStartFloorsAlsoBeforeEpoch() {
        XCTAssertEqual(CellGrid.start(of: 900_000 * 5 + 17), 900_000 * 5)
        XCTAssertEqual(CellGrid.start(of: 900_000 * 5), 900_000 * 5)
        XCTAssertEqual(CellGrid.start(of: -1), -900_000)
        XCTAssertEqual(CellGrid.ceiling(900_000 * 5 + 17), 900_000 * 6)
        XCTAssertEqual(CellGrid.ceiling(-900_000), -900_000)
    }

    func testTimeWindowArithmetic() {
        let merged = TimeWindow.merged([TimeWindow(since: 5, until: 7), TimeWindow(since: 0, until: 2), TimeWindow(since: 2, until: 3), TimeWindow(since: 9, until: 9)])
        XCTAssertEqual(merged, [TimeWindow(since: 0, until: 3), TimeWindow(since: 5, until: 7)])
        XCTAssertEqual(TimeWindow(since: 0, until: 10).subtracting(merged), [TimeWindow(since: 3, until: 5), TimeWindow(since: 7, until: 10)])
    }
}
