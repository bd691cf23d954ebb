import ParleyCore
import ParleyStore
import XCTest

final class ContactsReportTests: ReportTestCase {
    func testTopContactsMatchTheSeedSQL() async throws {
        try await fill()
        for org in AnalyticsFixture.organizations {
            for top in [0, 5] {
                let actual = try store.reportContacts(ReportQuery(organization: org, window: window, top: top))
                let expected = try expectedContacts(org, window)
                let n = top == 0 ? ParleyStore.defaultContactsTop : top
                XCTAssertEqual(actual.count, n)
                XCTAssertEqual(actual.map(\.cost.priced), expected.prefix(n).map(\.cost.priced), "the top costs, in order")
                let byId = Dictionary(uniqueKeysWithValues: expected.map { ($0.contactId, $0) })
                for row in actual { XCTAssertEqual(row, byId[row.contactId]) }
            }
        }
    }
}
