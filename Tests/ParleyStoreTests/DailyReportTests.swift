import ParleyCore
import ParleyStore
import XCTest

final class DailyReportTests: ReportTestCase {
    func testDailyMatchesTheSeedSQLInUTCAndLosAngelesAndKiritimati() async throws {
        try await fill()
        for zone in [ZoneOffsets.utc, .losAngeles, .kiritimati] {
            for org in AnalyticsFixture.organizations {
                let actual = try store.reportDaily(ReportQuery(organization: org, window: window, timeZone: zone.name))
                XCTAssertEqual(actual, try expectedDaily(org, window, zone: zone), zone.name)
            }
        }
    }

    func testDailyMatchesAcrossBerlinsDaylightSavingChange() async throws {
        try await fill(start: ReportTestCase.spring)
        for org in AnalyticsFixture.organizations {
            let actual = try store.reportDaily(ReportQuery(organization: org, window: window, timeZone: ZoneOffsets.berlin.name))
            XCTAssertEqual(actual, try expectedDaily(org, window, zone: .berlin))
            XCTAssertTrue(actual.contains { $0.date == "2025-03-30" })
        }
    }
}
