import ParleyCore
import ParleyStore
import XCTest

final class OrganizationIsolationTests: ReportTestCase {
    func testNoReportMixesOrganizations() async throws {
        try await fill(perOrganization: 600)
        // The same ids exist in both organizations: totals must still be per organization.
        for org in AnalyticsFixture.organizations {
            let own = fixture.turns.filter { $0.organizationId == org && window.contains($0.endedAt ?? 0) }
            let q = ReportQuery(organization: org, window: window)
            XCTAssertEqual(try store.reportModels(q).rows.reduce(0) { $0 + $1.conversations }, Int64(own.count))
            XCTAssertEqual(try store.reportHourly(q).reduce(0) { $0 + $1.conversations }, Int64(own.count))
            XCTAssertEqual(try store.reportDevices(q).reduce(0) { $0 + $1.conversations }, Int64(own.filter { !$0.deviceId.isEmpty }.count))
            let thread = try store.contactThread(organization: org, contact: "c2", pageSize: 1000, pageToken: nil)
            XCTAssertTrue(thread.entries.allSatisfy { ($0.message?.organizationId ?? org) == org && ($0.reply?.organizationId ?? org) == org })
        }
        XCTAssertEqual(try store.reportDevices(ReportQuery(organization: "org-zzz", window: window)), [])
    }
}
