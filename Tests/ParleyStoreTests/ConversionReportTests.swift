import ParleyCore
import ParleyStore
import ParleyTestSupport
import XCTest

/// The Conversion report sums `sessions.conversion_cells` over a window's whole cells and
/// reads the sessions of its partial edge cells one by one (store format 8). The
/// reference is the seed's three statements (as the queries bench runs them) over a
/// `conversation_metrics` table holding every stored session, and, where a price changes
/// within a day, every turn priced from scratch at its own time.
final class ConversionReportTests: ReportTestCase {
    /// Leads on every fourth session, captured at its start, after its second turn, or
    /// a minute before its first turn (which the seed's join leaves out of the turns'
    /// average); then the mirror's sessions.
    private func captureLeads(_ org: String) async throws -> [SessionMetrics] {
        let sessions = try store.listSessionMetrics(organization: org, window: nil, hasLead: nil, pageSize: 1000, pageToken: nil).sessions
        for (i, session) in sessions.enumerated() where i % 4 == 0 {
            let start = try XCTUnwrap(session.conversationStart)
            let turns = fixture.turns.filter { $0.organizationId == org && $0.sessionId == session.sessionId }.compactMap(\.endedAt).sorted()
            let captured: Millis
            switch (i / 4) % 3 {
            case 0: captured = start
            case 1: captured = turns.count > 1 ? turns[1] : start
            default: captured = (turns.first ?? start) - 60_000
            }
            _ = try await store.captureLead(Lead(organizationId: org, sessionId: session.sessionId, name: "n", capturedAt: captured), receivedAt: fixture.end)
        }
        return try mirrorSessionMetrics(org)
    }

    private func assertEqualToSQL(_ org: String, _ window: TimeWindow, file: StaticString = #filePath, line: UInt = #line) throws {
        let report = try store.reportConversion(ReportQuery(organization: org, window: window))
        let totals = try sql("""
            SELECT COUNT(*), COALESCE(SUM(has_lead), 0), AVG(lead_captured_at - conversation_start)
            FROM conversation_metrics WHERE organization_id = ? AND conversation_start >= ? AND conversation_start < ?
            """, org, window)[0]
        XCTAssertEqual([report.sessions, report.sessionsWithLead], [totals[0].int ?? -1, totals[1].int ?? -1], "window \(window)", file: file, line: line)
        let turnsToLead = try sql("""
            SELECT AVG(n) FROM (
              SELECT COUNT(*) AS n FROM conversation_metrics cm
              JOIN ai_conversations ac ON ac.organization_id = cm.organization_id AND ac.session_id = cm.session_id
                AND ac.created_at <= cm.lead_captured_at
              WHERE cm.organization_id = ? AND cm.conversation_start >= ? AND cm.conversation_start < ? AND cm.has_lead = 1
              GROUP BY cm.session_id) t
            """, org, window)[0][0]
        for (got, want) in [(report.avgTimeToLead, totals[2].double), (report.avgTurnsToLead, turnsToLead.double)] {
            XCTAssertEqual(got == nil, want == nil, "window \(window)", file: file, line: line)
            if let got, let want { XCTAssertEqual(got, want, accuracy: abs(want) * 1e-12, "window \(window)", file: file, line: line) }
        }
        let personas = try sql("""
            SELECT ac.persona_id, COUNT(DISTINCT cm.session_id) AS sessions,
              COUNT(DISTINCT CASE WHEN cm.has_lead = 1 THEN cm.session_id END) AS leads,
              SUM(\(Self.costCase)), SUM(\(Self.unpricedCase)), p.name
            FROM conversation_metrics cm
            JOIN ai_conversations ac ON ac.organization_id = cm.organization_id AND ac.session_id = cm.session_id
            JOIN personas p ON p.organization_id = ac.organization_id AND p.id = ac.persona_id
            WHERE cm.organization_id = ? AND cm.conversation_start >= ? AND cm.conversation_start < ?
            GROUP BY ac.persona_id, p.name ORDER BY leads DESC, sessions DESC, ac.persona_id
            """, org, window)
        XCTAssertEqual(report.personas.map(\.personaId), personas.map { $0[0].text ?? "" }, "window \(window)", file: file, line: line)
        for (got, want) in zip(report.personas, personas) {
            XCTAssertEqual([got.sessions, got.leads], [want[1].int ?? -1, want[2].int ?? -1], "window \(window), \(got.personaId)", file: file, line: line)
            XCTAssertEqual(got.personaName, want[5].text, file: file, line: line)
            let cost = Self.cost(want[3], unpriced: want[4])
            XCTAssertEqual(got.cost.unpricedTokens, cost.unpricedTokens, "window \(window), \(got.personaId)", file: file, line: line)
            XCTAssertLessThanOrEqual(abs(got.cost.priced.nanos - cost.priced.nanos), 1, "window \(window), \(got.personaId)", file: file, line: line)
        }
    }

    func testTheReportEqualsTheSeedsSQLInEveryWindow() async throws {
        try await fill(days: 6, perOrganization: 900)
        for org in AnalyticsFixture.organizations {
            let metrics = try await captureLeads(org)
            XCTAssertGreaterThan(metrics.count, 40)
            let starts = metrics.compactMap(\.conversationStart).sorted()
            let edge = starts[starts.count / 2]
            let day = CellLevel.day.start(of: edge)
            for window in [self.window, TimeWindow(since: edge, until: fixture.end), TimeWindow(since: fixture.start, until: edge),
                           TimeWindow(since: edge, until: edge + 1), TimeWindow(since: edge + 1, until: edge + 1),
                           TimeWindow(since: day, until: day + 86_400_000), TimeWindow(since: day + 900_000, until: day + 2 * 900_000),
                           TimeWindow(since: .min, until: .max)] {
                try assertEqualToSQL(org, window)
            }
        }
    }

    /// A price that starts in the middle of a day of the window: that day's cells are
    /// priced turn by turn (the report must equal pricing every turn from scratch), the
    /// other cells from their tokens; deleting the price brings the first answer back.
    func testAPriceChangeWithinADayIsPricedTurnByTurn() async throws {
        try await fill(days: 6, perOrganization: 900)
        let org = AnalyticsFixture.organizations[0]
        _ = try await captureLeads(org)
        let before = try store.reportConversion(ReportQuery(organization: org, window: window))
        let change = CellLevel.day.start(of: fixture.start) + 2 * 86_400_000 + 5 * 3_600_000 + 1_234
        let price = Price(modelPattern: "gpt-4o", inputNanosPerMTok: 7_000_000_000, outputNanosPerMTok: 21_000_000_000, effectiveFrom: change)
        _ = try await store.setPrice(price)
        let report = try store.reportConversion(ReportQuery(organization: org, window: window))
        let table = try store.prices()
        var expected: [String: CostSum] = [:]
        let sessions = try store.listSessionMetrics(organization: org, window: window, hasLead: nil, pageSize: 1000, pageToken: nil).sessions
        let inWindow = Set(sessions.map(\.sessionId))
        for turn in fixture.turns where turn.organizationId == org && inWindow.contains(turn.sessionId) && !turn.personaId.isEmpty {
            let time = turn.endedAt ?? 0
            expected[turn.personaId, default: CostSum()].add(turn.tokens ?? .zero, price: table.resolve(model: turn.model, at: time))
        }
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: report.personas.map { ($0.personaId, $0.cost) }), expected.mapValues(\.cost))
        XCTAssertNotEqual(report.personas.map(\.cost), before.personas.map(\.cost), "the new price must show")
        XCTAssertEqual(report.sessions, before.sessions)
        _ = try await store.deletePrice(modelPattern: price.modelPattern, effectiveFrom: change)
        XCTAssertEqual(try store.reportConversion(ReportQuery(organization: org, window: window)), before)
    }
}
