import ParleyCore
import ParleyStore
import XCTest

final class RetentionTests: ReportTestCase {
    private func everyReport(_ org: String) throws -> [String] {
        let q = ReportQuery(organization: org, window: window, timeZone: "America/Los_Angeles")
        return [
            "\(try store.reportDevices(q))", "\(try store.reportModels(q))", "\(try store.reportDaily(q))",
            "\(try store.reportPersonas(ReportQuery(organization: org, window: ReportQuery.allTime)))",
            "\(try store.reportContacts(q))", "\(try store.reportHourly(q))", "\(try store.reportSessions(q))",
            "\(try store.reportConversion(q))",
            "\(try store.usage(organization: org, query: UsageQuery(window: window, granularity: .day, groupBy: [.device, .persona])))",
        ]
    }

    func testEveryReportIsIdenticalAfterRetentionAndTheThreadReadsTheArchive() async throws {
        try await fill(perOrganization: 800)
        let before = try AnalyticsFixture.organizations.map(everyReport)
        let threadBefore = try store.contactThread(organization: "org-a", contact: "c1", pageSize: 1000, pageToken: nil)
        // Not on an hour: the window's first partial hour is archived detail.
        let cutoff = fixture.start + 4 * 86_400_000 + 1_234_567
        let result = try await store.retainDetail(olderThan: cutoff, organization: nil) { _, _ in }
        XCTAssertGreaterThan(result.turns, 0)
        XCTAssertGreaterThan(result.messages, 0)
        var liveOld = 0
        try store.turns(organization: "org-a", window: TimeWindow(since: 0, until: cutoff)) { _ in liveOld += 1; return true }
        XCTAssertEqual(liveOld, 0, "detail before the cutoff left the live trees")
        XCTAssertEqual(try AnalyticsFixture.organizations.map(everyReport), before)
        let threadAfter = try store.contactThread(organization: "org-a", contact: "c1", pageSize: 1000, pageToken: nil)
        XCTAssertEqual(threadAfter.entries.map { [$0.message?.messageId, $0.reply?.turnId] }, threadBefore.entries.map { [$0.message?.messageId, $0.reply?.turnId] })
        XCTAssertTrue(threadAfter.entries.contains { $0.archived && $0.time < cutoff })
        XCTAssertFalse(threadAfter.entries.contains { $0.archived && $0.time >= cutoff && $0.message != nil })
        try assertClean(store)
    }

    /// Retention copies a batch into the archive before deleting it here: a crash in
    /// between leaves turns in both files, and reports must count them once.
    func testATurnLeftInBothFilesCountsOnce() async throws {
        try await fill(perOrganization: 300)
        let cutoff = fixture.start + 2 * 86_400_000 + 1_234_567
        _ = try await store.retainDetail(olderThan: cutoff, organization: nil) { _, _ in }
        let before = try AnalyticsFixture.organizations.map(everyReport)
        let archivePath = try XCTUnwrap(store.archivePath)
        store.close()
        // The state such a crash leaves: live turns of the next batch already in the archive.
        let live = fixture.turns.filter { ($0.endedAt ?? 0) >= cutoff && ($0.endedAt ?? 0) < cutoff + 3_600_000 }
        XCTAssertFalse(live.isEmpty)
        let archive = try ParleyStore(path: archivePath, options: { var o = StoreOptions(); o.durability = .nosync; o.keepsArchive = false; return o }())
        for result in await archive.logTurns(live, receivedAt: cutoff) {
            guard case .accepted = result else { return XCTFail("archive refused a turn: \(result)") }
        }
        archive.close()
        store = try openStore()
        XCTAssertEqual(try AnalyticsFixture.organizations.map(everyReport), before)
        XCTAssertEqual(try AnalyticsFixture.organizations.flatMap { try store.rollupMismatches(organization: $0) }, [])
    }

    func testBackfillAfterRetentionKeepsEverySessionsMetrics() async throws {
        try await fill(perOrganization: 400)
        let before = try store.listSessionMetrics(organization: "org-a", window: nil, hasLead: nil, pageSize: 1000, pageToken: nil).sessions
        let cutoff = fixture.start + 4 * 86_400_000 + 1_234_567
        let result = try await store.retainDetail(olderThan: cutoff, organization: nil) { _, _ in }
        XCTAssertGreaterThan(result.turns, 0)
        _ = try await store.backfillSessionMetrics(organization: nil) { _, _ in }
        let after = try store.listSessionMetrics(organization: "org-a", window: nil, hasLead: nil, pageSize: 1000, pageToken: nil).sessions
        func comparable(_ m: [SessionMetrics]) -> [SessionMetrics] {
            m.map { var c = $0; c.updatedAt = nil; return c }
        }
        XCTAssertFalse(before.isEmpty)
        XCTAssertEqual(comparable(after), comparable(before), "backfill counts the archived turns too")
        try assertClean(store)
    }
}
