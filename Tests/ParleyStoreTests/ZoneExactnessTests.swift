import Foundation
import ParleyCore
import ParleyStore
import XCTest

/// Every named report and Usage against the seed's SQL per row, in whole-, half- and
/// quarter-hour zones, across DST changes (30-minute ones too), with windows on and off
/// the hour, the half hour and the quarter hour, before and after a retention run.
final class ZoneExactnessTests: ReportTestCase {
    /// 2025-03-05 00:00 UTC: Los Angeles and St. John's move their clocks on the 9th.
    static let march: Millis = 1_741_132_800_000
    /// 2025-04-01 00:00 UTC: Lord Howe goes from UTC+11 back to UTC+10:30 on the 5th, 15:00 UTC.
    static let april: Millis = 1_743_465_600_000

    func testJanuaryInEveryZone() async throws {
        try await fill(perOrganization: 800)
        try assertEveryReport(zones: ZoneOffsets.all)
    }

    func testMarchDaylightSavingChanges() async throws {
        try await fill(start: Self.march, perOrganization: 800)
        XCTAssertFalse(ZoneOffsets.stJohns.changes.filter { fixture.start...fixture.end ~= $0.at }.isEmpty, "St. John's changes inside the data")
        try assertEveryReport(zones: [.stJohns, .losAngeles, .kolkata, .utc])
    }

    func testLordHoweHalfHourDaylightSavingEnd() async throws {
        try await fill(start: Self.april, perOrganization: 800)
        XCTAssertFalse(ZoneOffsets.lordHowe.changes.filter { fixture.start...fixture.end ~= $0.at }.isEmpty, "Lord Howe changes inside the data")
        try assertEveryReport(zones: [.lordHowe, .kathmandu, .berlin])
    }

    /// Africa/Monrovia kept UTC-0:44:30 until 1972-01-07 00:44:30 UTC: a local day then
    /// starts off the 15-minute grid, and so does the change itself.
    func testAnOffsetOffTheQuarterHourReadsTurns() async throws {
        let start: Millis = 63_072_000_000 // 1972-01-01 00:00 UTC
        try await fill(start: start, days: 10, perOrganization: 600)
        let monrovia = ZoneOffsets("Africa/Monrovia", from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 94_694_400))
        XCTAssertEqual(monrovia.changes.first?.secondsBefore, -2670, "the tz database's offset before 1972")
        try assertEveryReport(zones: [monrovia])
    }

    func testReportsStayExactAfterRetention() async throws {
        try await fill(perOrganization: 800)
        // Off every cell edge: the archived detail holds partial cells of the windows.
        let cutoff = fixture.start + 4 * 86_400_000 + 1_234_567
        let result = try await store.retainDetail(olderThan: cutoff, organization: nil) { _, _ in }
        XCTAssertGreaterThan(result.turns, 0)
        try assertEveryReport(zones: [.kolkata, .kathmandu, .stJohns, .utc])
        try assertClean(store)
    }

    // MARK: checks

    /// Windows of the fixture: off every edge by milliseconds, on UTC hours, on half
    /// hours (Kolkata midnight), on a quarter hour plus 7 ms.
    private var windows: [TimeWindow] {
        let hour: Millis = 3_600_000
        return [
            window,
            TimeWindow(since: fixture.start + 3 * hour, until: fixture.end - 5 * hour),
            TimeWindow(since: fixture.start + 18 * hour + 30 * 60_000, until: fixture.end - 5 * hour - 30 * 60_000),
            TimeWindow(since: fixture.start + 2 * hour + 15 * 60_000 + 7, until: fixture.end - 45 * 60_000 + 7),
        ]
    }

    private func assertEveryReport(zones: [ZoneOffsets]) throws {
        for org in AnalyticsFixture.organizations {
            let personas = try store.reportPersonas(ReportQuery(organization: org, window: ReportQuery.allTime))
            assertSameRows(personas, try expectedPersonas(org), key: { "\($0.personaId)/\($0.model)" }) { $0.conversations < $1.conversations }
            for window in windows {
                let plain = ReportQuery(organization: org, window: window)
                XCTAssertEqual(try store.reportDevices(plain), try expectedDevices(org, window))
                assertSameRows(try store.reportModels(plain).rows, try expectedModels(org, window), key: \.model) { a, b in
                    (a.cost.priced, a.cost.unpricedTokens) < (b.cost.priced, b.cost.unpricedTokens)
                }
                let contacts = try expectedContacts(org, window)
                let byId = Dictionary(uniqueKeysWithValues: contacts.map { ($0.contactId, $0) })
                for row in try store.reportContacts(plain) { XCTAssertEqual(row, byId[row.contactId]) }
                for zone in zones {
                    let local = ReportQuery(organization: org, window: window, timeZone: zone.name)
                    XCTAssertEqual(try store.reportDaily(local), try expectedDaily(org, window, zone: zone), "daily \(zone.name) \(window)")
                    XCTAssertEqual(try store.reportHourly(local), try expectedHourly(org, window, zone: zone), "hourly \(zone.name) \(window)")
                    for granularity in [Granularity.day, .week, .month, .hour, .hourOfDay] {
                        for groupBy in [[ParleyCore.Dimension.persona], [.device, .model]] {
                            let query = UsageQuery(window: window, timeZone: zone.name, granularity: granularity, groupBy: groupBy)
                            let actual = try localUsage(try store.usage(organization: org, query: query), granularity: granularity, zone: zone)
                            let expected = try expectedUsage(org, window, zone: zone, granularity: granularity, groupBy: groupBy)
                            XCTAssertEqual(actual, expected, "usage \(granularity) by \(groupBy) in \(zone.name) over \(window)")
                        }
                    }
                }
            }
        }
    }

    /// Sums per local bucket name and group: count, input and total tokens.
    private struct Totals: Equatable, CustomStringConvertible {
        var count: Int64 = 0
        var input: Int64 = 0
        var total: Int64 = 0
        var description: String { "\(count)/\(input)/\(total)" }
    }

    /// Parley's rows by the bucket's local name as SQLite spells it. A week is named by
    /// its Monday; hours that a fall-back repeats share a name, so rows are summed by it.
    private func localUsage(_ result: UsageResult, granularity: Granularity, zone: ZoneOffsets) throws -> [String: Totals] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone.name)
        formatter.dateFormat = "yyyy-MM-dd"
        var sums: [String: Totals] = [:]
        for row in result.rows {
            let bucket: String
            switch granularity {
            case .week: bucket = formatter.string(from: Date(timeIntervalSince1970: Double(row.bucketStart) / 1000))
            default: bucket = row.bucketLabel
            }
            let key = ([bucket] + row.group).joined(separator: "|")
            sums[key, default: Totals()].count += row.count
            sums[key, default: Totals()].input += row.tokens.input
            sums[key, default: Totals()].total += row.tokens.total
        }
        return sums
    }

    private func expectedUsage(_ org: String, _ window: TimeWindow, zone: ZoneOffsets, granularity: Granularity, groupBy: [ParleyCore.Dimension]) throws -> [String: Totals] {
        let local = "created_at / 1000, 'unixepoch', \(SeedMirror.offsetExpression(zone))"
        let bucket: String
        switch granularity {
        case .day: bucket = "date(\(local))"
        case .week: bucket = "date(\(local), '-6 days', 'weekday 1')"
        case .month: bucket = "strftime('%Y-%m', \(local))"
        case .hour: bucket = "strftime('%Y-%m-%d %H:00', \(local))"
        default: bucket = "strftime('%H', \(local))"
        }
        let columns = groupBy.map { dimension -> String in
            switch dimension {
            case .model: return "COALESCE(model, '\(Turn.unknownModelLabel)')"
            case .device: return "COALESCE(device_id, '')"
            case .persona: return "COALESCE(persona_id, '')"
            default: return "COALESCE(contact_id, '')"
            }
        }
        let key = ([bucket] + columns).joined(separator: " || '|' || ")
        let rows = try sql("""
            SELECT \(key) AS k, COUNT(*), SUM(input_tokens), SUM(tokens_used) FROM ai_conversations
            WHERE organization_id = ? AND created_at >= ? AND created_at < ? GROUP BY k
            """, org, window)
        var sums: [String: Totals] = [:]
        for r in rows { sums[r[0].text ?? ""] = Totals(count: r[1].int ?? 0, input: r[2].int ?? 0, total: r[3].int ?? 0) }
        return sums
    }
}
