import Foundation
import ParleyCore
import XCTest
import ParleyTestSupport

final class CellCoverTests: XCTestCase {
    private let hour: Millis = 3_600_000
    private let day: Millis = 86_400_000
    /// 2024-02-01 00:00 UTC (a leap February).
    private let february2024: Millis = 1_706_745_600_000

    func testLevelsAlignToUTCCalendar() {
        let time = february2024 + 13 * day + 5 * hour + 1_234_567
        XCTAssertEqual(CellLevel.quarter.start(of: time), CellGrid.start(of: time))
        XCTAssertEqual(CellLevel.hour.start(of: time), february2024 + 13 * day + 5 * hour)
        XCTAssertEqual(CellLevel.day.start(of: time), february2024 + 13 * day)
        XCTAssertEqual(CellLevel.month.start(of: time), february2024)
        XCTAssertEqual(CellLevel.month.end(ofCellAt: february2024), february2024 + 29 * day, "2024 is a leap year")
        let december2023 = february2024 - 62 * day
        XCTAssertEqual(CellLevel.month.start(of: december2023 + 40 * hour), december2023)
        XCTAssertEqual(CellLevel.month.end(ofCellAt: december2023), february2024 - 31 * day, "across the year end")
        XCTAssertEqual(CellLevel.month.start(of: 0), 0)
        XCTAssertEqual(CellLevel.month.end(ofCellAt: 0), 31 * day)
        XCTAssertEqual(CellLevel.day.end(ofCellAt: CellLevel.day.start(of: .max)), .max, "saturates instead of overflowing")
    }

    /// Each month start of a few centuries, against Foundation's Gregorian calendar.
    func testMonthStartsMatchTheCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try XCTUnwrap(TimeZone(identifier: "UTC"))
        var rng = SeededGenerator.announced("testMonthStartsMatchTheCalendar")
        for _ in 0..<500 {
            let time = Millis.random(in: 0..<(200 * 365 * day), using: &rng)
            let date = Date(timeIntervalSince1970: Double(time) / 1000)
            let interval = try XCTUnwrap(calendar.dateInterval(of: .month, for: date))
            XCTAssertEqual(CellLevel.month.start(of: time), Millis(interval.start.timeIntervalSince1970 * 1000), "\(date)")
            XCTAssertEqual(CellLevel.month.end(ofCellAt: CellLevel.month.start(of: time)), Millis(interval.end.timeIntervalSince1970 * 1000), "\(date)")
        }
    }

    func testThirtyDayWindowIsDayCellsWithEdgeHoursAndQuarters() {
        let since = february2024 + 3 * day + 45 * 60_000 // 00:45
        let until = february2024 + 33 * day + 30 * 60_000 // 00:30, in March
        let runs = CellCover.runs(covering: [TimeWindow(since: since, until: until)], cuts: [])
        XCTAssertEqual(runs, [
            .init(level: .quarter, window: TimeWindow(since: since, until: since + 15 * 60_000)),
            .init(level: .hour, window: TimeWindow(since: february2024 + 3 * day + hour, until: february2024 + 4 * day)),
            .init(level: .day, window: TimeWindow(since: february2024 + 4 * day, until: february2024 + 33 * day)),
            .init(level: .quarter, window: TimeWindow(since: february2024 + 33 * day, until: until)),
        ])
        assertCover(runs, equals: [TimeWindow(since: since, until: until)], cuts: [])
    }

    func testWholeMonthsBecomeMonthCells() {
        let until = february2024 + 29 * day + 31 * day + 2 * day // March 3rd
        let runs = CellCover.runs(covering: [TimeWindow(since: february2024 - 2 * day, until: until)], cuts: [])
        XCTAssertEqual(runs.map(\.level), [.day, .month, .day])
        XCTAssertEqual(runs[1].window, TimeWindow(since: february2024, until: february2024 + 60 * day))
    }

    /// A local day in Asia/Kolkata starts at 18:30 UTC: 2 quarters, 23 hours, 2 quarters
    /// instead of 96 quarters.
    func testKolkataDaysAreQuartersAndHours() throws {
        let kolkata = try ZoneBucketer.named("Asia/Kolkata")
        let window = TimeWindow(since: february2024, until: february2024 + 7 * day)
        let cuts = kolkata.boundaries(in: window, granularity: .day)
        XCTAssertEqual(cuts, (0..<7).map { february2024 + $0 * day + 18 * hour + 30 * 60_000 })
        let runs = CellCover.runs(covering: [window], cuts: cuts)
        let cells = runs.reduce(0) { count, run in count + cellCount(run) }
        XCTAssertEqual(cells, (18 + 2) + 6 * (2 + 23 + 2) + (2 + 5),
                       "18 hours and 2 quarters before the first cut, 27 cells a local day, 2 quarters and 5 hours after the last")
        assertCover(runs, equals: [window], cuts: cuts)
    }

    /// Random spans and cuts: the runs cover the spans exactly, every cell is aligned to
    /// its level, and no cell has a cut strictly inside it.
    func testRandomCoversAreExact() {
        var rng = SeededGenerator.announced("testRandomCoversAreExact")
        for _ in 0..<300 {
            var spans: [TimeWindow] = []
            var point = CellGrid.start(of: february2024 + Millis.random(in: 0..<(40 * day), using: &rng))
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                point += CellGrid.span * Millis.random(in: 0...200, using: &rng)
                let end = point + CellGrid.span * Millis.random(in: 1...8000, using: &rng)
                spans.append(TimeWindow(since: point, until: end))
                point = end
            }
            let cuts = (0..<Int.random(in: 0...6, using: &rng)).map { _ in february2024 + Millis.random(in: 0..<(400 * day), using: &rng) }
            assertCover(CellCover.runs(covering: TimeWindow.merged(spans), cuts: cuts), equals: TimeWindow.merged(spans), cuts: cuts)
        }
    }

    private func cellCount(_ run: CellCover.Run) -> Int {
        var count = 0
        var start = run.window.since
        while start < run.window.until {
            count += 1
            start = run.level.end(ofCellAt: start)
        }
        return count
    }

    private func assertCover(_ runs: [CellCover.Run], equals spans: [TimeWindow], cuts: [Millis], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(TimeWindow.merged(runs.map(\.window)), spans, "covers exactly", file: file, line: line)
        for (index, run) in runs.enumerated() {
            if index > 0 { XCTAssertLessThanOrEqual(runs[index - 1].window.until, run.window.since, "in order", file: file, line: line) }
            var start = run.window.since
            while start < run.window.until {
                XCTAssertTrue(run.level.isStart(start), "\(run.level) cell at \(start) aligned", file: file, line: line)
                let end = run.level.end(ofCellAt: start)
                XCTAssertLessThanOrEqual(end, run.window.until, file: file, line: line)
                for cut in cuts where CellGrid.ceiling(cut) > start && CellGrid.ceiling(cut) < end {
                    XCTFail("\(run.level) cell [\(start), \(end)) holds the cut \(cut)", file: file, line: line)
                }
                start = end
            }
        }
    }
}
