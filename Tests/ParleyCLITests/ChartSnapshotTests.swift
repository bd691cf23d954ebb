@testable import ParleyCLI
import ParleyWire
import XCTest

/// The terminal charts at a fixed width without colour (what NO_COLOR or a pipe gets).
final class ChartSnapshotTests: XCTestCase {
    func testDailyTrendHasASparklinePerModel() throws {
        var rows: [V1.DailyModelTokens] = []
        let days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
        for (i, day) in days.enumerated() {
            rows.append(V1.DailyModelTokens(date: day, model: "gpt-4o", tokens: Int64(1_000 * (i + 1)),
                                            conversations: Int64(i + 1), avgTokens: 1_000))
        }
        rows.append(V1.DailyModelTokens(date: "2026-11-03", model: "claude-3-5-haiku", tokens: 8_000, conversations: 4,
                                        avgTokens: 2_000))
        let answer = V1.DailyReport(rows: rows)
        let text = TrendViews.daily.render(answer, format: .table, context: RenderContext(width: 80, chart: .spark))
        XCTAssertEqual(text, """
        model             tokens  2026-11-01 .. 2026-11-04
        ----------------  ------  ------------------------
        claude-3-5-haiku   8,000    █
        gpt-4o            10,000  ▃▅▆█

        date        model             tokens  cache read  reasoning  conversations  avg tokens
        ----------  ----------------  ------  ----------  ---------  -------------  ----------
        2026-11-01  gpt-4o             1,000           0          0              1     1,000.0
        2026-11-02  gpt-4o             2,000           0          0              2     1,000.0
        2026-11-03  gpt-4o             3,000           0          0              3     1,000.0
        2026-11-04  gpt-4o             4,000           0          0              4     1,000.0
        2026-11-03  claude-3-5-haiku   8,000           0          0              4     2,000.0

        """)
    }

    func testHourlyIsA24BarHistogram() throws {
        let counts: [Int64] = [0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 8, 6, 5, 6, 8, 8, 6, 4, 3, 2, 1, 1, 0, 0]
        let rows = counts.enumerated().map { hour, n in
            V1.HourUsage(hour: UInt32(hour), conversations: n, avgTokens: 100)
        }
        let answer = V1.HourlyReport(rows: rows)
        let text = TrendViews.hourly.render(answer, format: .table, context: RenderContext(width: 80, chart: .spark))
        let chart = text.components(separatedBy: "\n\n")[0]
        XCTAssertEqual(chart, """
        conversations by hour (UTC)
                                    ██ ██          ██ ██                          8
                                    ██ ██          ██ ██
                                    ██ ██ ██    ██ ██ ██ ██
                                    ██ ██ ██ ██ ██ ██ ██ ██
                                 ██ ██ ██ ██ ██ ██ ██ ██ ██ ██
                                 ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██
                              ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██
                           ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██ ██
        ────────────────────────────────────────────────────────────────────────
         00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23
        """)
        XCTAssertTrue(chart.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    func testBarChartScalesToWidth() {
        var chart = BarChart()
        chart.add("2026-11-01", 100)
        chart.add("2026-11-02", 50)
        chart.add("2026-11-03", 0)
        let text = chart.render(width: 40)
        XCTAssertEqual(text, """
        2026-11-01  100  ███████████████████████
        2026-11-02   50  ███████████▌
        2026-11-03    0
        """)
    }

    func testSparklineKeepsSmallValuesVisible() {
        XCTAssertEqual(Sparkline.render([0, 1, 100, 50]), " ▁█▅")
    }

    func testColourOnlyWhenAllowed() {
        XCTAssertFalse(Terminal.capturing().colorEnabled)
        XCTAssertFalse(Terminal.standard(environment: ["NO_COLOR": "1"]).colorEnabled, "NO_COLOR always wins")
    }
}

extension ChartSnapshotTests {
    func testTableColourOnlyWithColourAllowed() throws {
        let row = V1.ModelCost(model: "x", conversations: 1, priced: false)
        let answer = V1.ModelsReport(rows: [row])
        let coloured = ReportViews.models.render(answer, format: .table, context: RenderContext(color: true))
        XCTAssertTrue(coloured.hasPrefix("\u{1B}[1mmodel"), coloured)
        XCTAssertTrue(coloured.contains("\u{1B}[33munpriced\u{1B}[0m"), coloured)
        let plain = ReportViews.models.render(answer, format: .table, context: RenderContext(color: false))
        XCTAssertFalse(plain.contains("\u{1B}"))
    }

    func testDailyBarsChart() throws {
        let rows = [("2026-11-01", 100), ("2026-11-01", 100), ("2026-11-02", 100)].map { day, tokens in
            V1.DailyModelTokens(date: day, model: "m", tokens: Int64(tokens))
        }
        let answer = V1.DailyReport(rows: rows)
        let text = TrendViews.daily.render(answer, format: .table, context: RenderContext(width: 40, chart: .bars))
        XCTAssertTrue(text.hasPrefix("""
        tokens by day
        2026-11-01  200  ███████████████████████
        2026-11-02  100  ███████████▌

        """), text)
    }
}
