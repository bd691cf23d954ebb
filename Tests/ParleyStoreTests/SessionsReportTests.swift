import ParleyCore
import ParleyStore
import ParleyTestSupport
import XCTest

/// The Sessions report sums the `sessions.by_start` summaries of a window (store format
/// 5). The seed has no SQL for it, so the reference is SQL over a `conversation_metrics`
/// table holding every stored session's metrics, as the queries bench's peers get it:
/// the report must equal that SQL over windows with millisecond edges, edges exactly on
/// a session's start (since inclusive, until exclusive), an empty window and all time.
final class SessionsReportTests: ReportTestCase {
    private func assertEqualToSQL(_ org: String, _ window: TimeWindow, file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try store.reportSessions(ReportQuery(organization: org, window: window))
        let totals = try sql("""
            SELECT COUNT(*), COALESCE(SUM(has_lead), 0), COALESCE(SUM(total_messages), 0), COALESCE(SUM(total_tokens), 0),
                   AVG(duration), AVG(average_response_time), AVG(user_satisfaction), COUNT(user_satisfaction)
            FROM conversation_metrics WHERE organization_id = ? AND conversation_start >= ? AND conversation_start < ?
            """, org, window)[0]
        XCTAssertEqual([report.sessions, report.sessionsWithLead, report.totalMessages, report.totalTokens, report.ratedSessions],
                       [0, 1, 2, 3, 7].map { totals[$0].int ?? -1 }, "window \(window)", file: file, line: line)
        for (got, want) in [(report.avgDuration, totals[4].double), (report.avgResponseTime, totals[5].double), (report.avgSatisfaction, totals[6].double)] {
            XCTAssertEqual(got == nil, want == nil, "window \(window)", file: file, line: line)
            if let got, let want { XCTAssertEqual(got, want, accuracy: abs(want) * 1e-12, "window \(window)", file: file, line: line) }
        }
        let rows = try sql("""
            SELECT session_id FROM conversation_metrics
            WHERE organization_id = ? AND conversation_start >= ? AND conversation_start < ?
            ORDER BY conversation_start DESC, session_id DESC LIMIT 20
            """, org, window).map { $0[0].text ?? "" }
        XCTAssertEqual(report.rows.map(\.sessionId), rows, "window \(window)", file: file, line: line)
    }

    func testTheReportEqualsSQLOverTheStoredMetricsInEveryWindow() async throws {
        try await fill(days: 6, perOrganization: 900)
        for org in AnalyticsFixture.organizations {
            // Leads and ratings on some sessions, so every summed field varies.
            let listed = try store.listSessionMetrics(organization: org, window: nil, hasLead: nil, pageSize: 1000, pageToken: nil).sessions
            for (i, session) in listed.enumerated() where i % 7 == 0 {
                _ = try await store.captureLead(Lead(organizationId: org, sessionId: session.sessionId, name: "n"), receivedAt: fixture.end)
                _ = try await store.recordFeedback(Feedback(organizationId: org, sessionId: session.sessionId, score: Int32(1 + i % 5)), receivedAt: fixture.end)
            }
            let metrics = try mirrorSessionMetrics(org)
            XCTAssertGreaterThan(metrics.count, 40)
            XCTAssertTrue(metrics.contains { $0.hasLead } && metrics.contains { $0.userSatisfaction != nil })
            let starts = metrics.compactMap(\.conversationStart).sorted()
            let edge = starts[starts.count / 2]
            for window in [self.window, TimeWindow(since: edge, until: fixture.end), TimeWindow(since: fixture.start, until: edge),
                           TimeWindow(since: edge, until: edge + 1), TimeWindow(since: edge + 1, until: edge + 1),
                           TimeWindow(since: .min, until: .max)] {
                try assertEqualToSQL(org, window)
            }
        }
    }
}
