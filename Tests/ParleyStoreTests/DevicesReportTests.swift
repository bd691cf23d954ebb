import ParleyCore
import ParleyStore
import XCTest

final class DevicesReportTests: ReportTestCase {
    func testDevicesMatchTheSeedSQLPerOrganization() async throws {
        try await fill()
        for org in AnalyticsFixture.organizations {
            let actual = try store.reportDevices(ReportQuery(organization: org, window: window))
            XCTAssertEqual(actual, try expectedDevices(org, window))
            XCTAssertFalse(actual.isEmpty)
        }
    }

    func testADeviceWithoutDirectoryEntryShowsItsId() async throws {
        store = try openStore()
        _ = try accepted(await log(store, Turn(turnId: "x", organizationId: "o", sessionId: "s", deviceId: "ghost", model: "gpt-4o",
                                               userMessage: "q", aiResponse: "a", tokens: TokenCounts(input: 1, output: 2), repliedAt: 1_700_000_000_000)))
        let rows = try store.reportDevices(ReportQuery(organization: "o", window: TimeWindow(since: 0, until: 1_800_000_000_000)))
        XCTAssertEqual(rows.map(\.deviceName), ["ghost"])
    }
}
