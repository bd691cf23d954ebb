import ParleyCore
import ParleyStore
import XCTest

final class ModelsReportTests: ReportTestCase {
    func testModelsMatchTheSeedSQLWithUnpricedTokensFlagged() async throws {
        try await fill()
        for org in AnalyticsFixture.organizations {
            let report = try store.reportModels(ReportQuery(organization: org, window: window))
            assertSameRows(report.rows, try expectedModels(org, window), key: \.model) { a, b in
                (a.cost.priced, a.cost.unpricedTokens) < (b.cost.priced, b.cost.unpricedTokens)
            }
            let mistral = report.rows.first { $0.model == "mistral-large" }
            XCTAssertEqual(mistral?.priced, false, "a model with no price is flagged, never $0")
            XCTAssertEqual(mistral?.cost.unpricedTokens, mistral?.totalTokens)
            XCTAssertEqual(report.rows.first { $0.model == "gemini-2.5-flash" }?.priced, true, "the free tier is priced at 0")
        }
    }

    func testANewPriceChangesTheCostOfLaterHoursOnly() async throws {
        try await fill(perOrganization: 400)
        let org = "org-a"
        let switchAt = fixture.start + 5 * 86_400_000
        let before = TimeWindow(since: fixture.start, until: switchAt)
        let after = TimeWindow(since: switchAt, until: fixture.end)
        let oldBefore = try store.reportModels(ReportQuery(organization: org, window: before))
        let oldAfter = try store.reportModels(ReportQuery(organization: org, window: after))
        _ = try await store.setPrice(Price(modelPattern: "gpt-4o", inputNanosPerMTok: 5_000_000_000, outputNanosPerMTok: 20_000_000_000, effectiveFrom: switchAt))
        let newBefore = try store.reportModels(ReportQuery(organization: org, window: before))
        let newAfter = try store.reportModels(ReportQuery(organization: org, window: after))
        XCTAssertEqual(oldBefore, newBefore, "hours before the effective date keep their price")
        let oldGpt = try XCTUnwrap(oldAfter.rows.first { $0.model == "gpt-4o" })
        let newGpt = try XCTUnwrap(newAfter.rows.first { $0.model == "gpt-4o" })
        XCTAssertEqual(newGpt.cost.priced.nanos, oldGpt.cost.priced.nanos * 2, "the exact model's new price doubles its later cost")
        XCTAssertEqual(newAfter.rows.first { $0.model == "gpt-4o-mini" }, oldAfter.rows.first { $0.model == "gpt-4o-mini" }, "the prefix price still covers other models")
    }
}
