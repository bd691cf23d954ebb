import ParleyCore
import ParleyStore
import XCTest

final class HourlyReportTests: ReportTestCase {
    func testHourlyMatchesTheSeedSQLInSeveralZones() async throws {
        try await fill()
        for zone in [ZoneOffsets.utc, .losAngeles, .kiritimati, .berlin] {
            for org in AnalyticsFixture.organizations {
                let actual = try store.reportHourly(ReportQuery(organization: org, window: window, timeZone: zone.name))
                XCTAssertEqual(actual, try expectedHourly(org, window, zone: zone), zone.name)
            }
        }
    }

    func testHourlyMatchesAcrossBerlinsDaylightSavingChange() async throws {
        try await fill(start: ReportTestCase.spring)
        let actual = try store.reportHourly(ReportQuery(organization: "org-b", window: window, timeZone: ZoneOffsets.berlin.name))
        XCTAssertEqual(actual, try expectedHourly("org-b", window, zone: .berlin))
    }
}
