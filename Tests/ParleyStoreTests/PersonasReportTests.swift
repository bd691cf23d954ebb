import ParleyCore
import ParleyStore
import XCTest

final class PersonasReportTests: ReportTestCase {
    func testPersonasMatchTheSeedSQLOverAllTime() async throws {
        try await fill()
        for org in AnalyticsFixture.organizations {
            let actual = try store.reportPersonas(ReportQuery(organization: org, window: ReportQuery.allTime))
            assertSameRows(actual, try expectedPersonas(org), key: { "\($0.personaId)/\($0.model)" }) { $0.conversations < $1.conversations }
            XCTAssertTrue(actual.contains { $0.model == Turn.unknownModelLabel }, "a persona without a default model keeps model-less turns unknown")
        }
    }
}
