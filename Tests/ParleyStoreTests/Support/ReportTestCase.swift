import Foundation
import ParleyCore
import ParleyStore
import XCTest
import ParleyTestSupport

/// A store filled by `AnalyticsFixture`, and the seed's SQL (adapted only to SQLite's
/// dialect and to carry the organization) answering each report over the mirror.
class ReportTestCase: StoreTestCase {
    /// 2025-01-10 00:00 UTC: winter, so Los Angeles is UTC-8 and Berlin UTC+1 throughout.
    static let winter: Millis = 1_736_467_200_000
    /// 2025-03-25 00:00 UTC: Berlin moves from UTC+1 to UTC+2 on the 30th.
    static let spring: Millis = 1_742_860_800_000

    var store: ParleyStore!
    var fixture: AnalyticsFixture!

    func fill(start: Millis = ReportTestCase.winter, days: Int = 10, perOrganization: Int = 1500) async throws {
        store = try openStore()
        fixture = try await AnalyticsFixture.make(store: store, start: start, days: days, perOrganization: perOrganization, seed: 42)
    }

    override func tearDownWithError() throws {
        store?.close()
        try super.tearDownWithError()
    }

    /// Not on hour edges, so the partial hours at both ends are exercised.
    var window: TimeWindow { TimeWindow(since: fixture.start + 3 * 3_600_000 + 17 * 60_000 + 5_123, until: fixture.end - 5 * 3_600_000 - 123) }

    func sql(_ query: String, _ org: String, _ window: TimeWindow) throws -> [[SQLiteDatabase.Value]] {
        try fixture.mirror.sql.query(query, [.text(org), .int(window.since), .int(window.until)])
    }

    /// Fills the mirror's `conversation_metrics` (created on first use) with every stored
    /// session of `org`, as the queries bench's peers get it; returns the sessions.
    @discardableResult
    func mirrorSessionMetrics(_ org: String) throws -> [SessionMetrics] {
        try fixture.mirror.sql.execute("""
            CREATE TABLE IF NOT EXISTS conversation_metrics (organization_id TEXT, session_id TEXT, conversation_start INTEGER,
              has_lead INTEGER, total_messages INTEGER, total_tokens INTEGER, duration INTEGER, average_response_time INTEGER,
              user_satisfaction REAL, lead_captured_at INTEGER)
            """)
        var all: [SessionMetrics] = []
        var token: String?
        repeat {
            let page = try store.listSessionMetrics(organization: org, window: nil, hasLead: nil, pageSize: 1000, pageToken: token)
            all += page.sessions
            token = page.nextPageToken
        } while token != nil
        for m in all {
            _ = try fixture.mirror.sql.query(
                "INSERT INTO conversation_metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [.text(org), .text(m.sessionId), m.conversationStart.map { .int($0) } ?? .null, .int(m.hasLead ? 1 : 0),
                 .int(m.totalMessages), .int(m.totalTokens), m.duration.map { .int($0) } ?? .null,
                 m.averageResponseTime.map { .int($0) } ?? .null, m.userSatisfaction.map { .double($0) } ?? .null,
                 m.leadCapturedAt.map { .int($0) } ?? .null])
        }
        return all
    }

    static let costCase = """
        CASE
          WHEN ac.model LIKE 'claude-3-5-haiku%' THEN (ac.input_tokens * 0.25 / 1000000) + (ac.output_tokens * 1.25 / 1000000)
          WHEN ac.model LIKE 'gpt-4o%' THEN (ac.input_tokens * 2.50 / 1000000) + (ac.output_tokens * 10.0 / 1000000)
          ELSE 0
        END
        """
    /// Parley reports tokens of models the seed's CASE has no price for (its ELSE 0) as unpriced.
    static let unpricedCase = """
        CASE WHEN ac.model LIKE 'gemini%' OR ac.model LIKE 'claude-3-5-haiku%' OR ac.model LIKE 'gpt-4o%' THEN 0 ELSE ac.tokens_used END
        """

    static func cost(_ dollars: SQLiteDatabase.Value, unpriced: SQLiteDatabase.Value) -> Cost {
        Cost(priced: Money(nanos: Int64(((dollars.double ?? 0) * 1e9).rounded())), unpricedTokens: unpriced.int ?? 0)
    }

    static func model(_ value: SQLiteDatabase.Value) -> String { value.text ?? Turn.unknownModelLabel }

    // MARK: the seed's queries

    func expectedDevices(_ org: String, _ window: TimeWindow) throws -> [DeviceUsage] {
        try sql("""
            SELECT wc.id, wc.device_name, wc.phone_number, COUNT(*) AS ai_conversations, SUM(ac.tokens_used), AVG(ac.tokens_used), MAX(ac.created_at)
            FROM ai_conversations ac JOIN whatsapp_connections wc ON ac.device_id = wc.id AND ac.organization_id = wc.organization_id
            WHERE ac.organization_id = ? AND ac.created_at >= ? AND ac.created_at < ?
            GROUP BY wc.id ORDER BY ai_conversations DESC, wc.id
            """, org, window).map { r in
            DeviceUsage(deviceId: r[0].text ?? "", deviceName: r[1].text ?? "", phoneNumber: r[2].text ?? "", conversations: r[3].int ?? 0,
                        totalTokens: r[4].int ?? 0, avgTokens: r[5].double ?? 0, lastConversation: r[6].int)
        }
    }

    func expectedModels(_ org: String, _ window: TimeWindow) throws -> [ModelCost] {
        try sql("""
            SELECT model, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(tokens_used),
              CASE
                WHEN model LIKE 'gemini%' THEN 0
                WHEN model LIKE 'claude-3-5-haiku%' THEN (SUM(input_tokens) * 0.25 / 1000000) + (SUM(output_tokens) * 1.25 / 1000000)
                WHEN model LIKE 'gpt-4o%' THEN (SUM(input_tokens) * 2.50 / 1000000) + (SUM(output_tokens) * 10.0 / 1000000)
                ELSE 0
              END AS estimated_cost_usd,
              SUM(\(Self.unpricedCase))
            FROM ai_conversations ac
            WHERE organization_id = ? AND created_at >= ? AND created_at < ?
            GROUP BY model ORDER BY estimated_cost_usd DESC
            """, org, window).map { r in
            ModelCost(model: Self.model(r[0]), conversations: r[1].int ?? 0, inputTokens: r[2].int ?? 0, outputTokens: r[3].int ?? 0,
                      totalTokens: r[4].int ?? 0, cost: Self.cost(r[5], unpriced: r[6]))
        }
    }

    func expectedDaily(_ org: String, _ window: TimeWindow, zone: ZoneOffsets) throws -> [DailyModelTokens] {
        try sql("""
            SELECT DATE(created_at / 1000, 'unixepoch', \(SeedMirror.offsetExpression(zone))) AS date, model,
              SUM(tokens_used) AS daily_tokens, COUNT(*), AVG(tokens_used)
            FROM ai_conversations
            WHERE organization_id = ? AND created_at >= ? AND created_at < ?
            GROUP BY date, model ORDER BY date DESC, daily_tokens DESC, COALESCE(model, '(unknown)')
            """, org, window).map { r in
            DailyModelTokens(date: r[0].text ?? "", model: Self.model(r[1]), tokens: r[2].int ?? 0, conversations: r[3].int ?? 0, avgTokens: r[4].double ?? 0)
        }
    }

    func expectedPersonas(_ org: String) throws -> [PersonaUsage] {
        try fixture.mirror.sql.query("""
            SELECT p.id, p.name, COUNT(*) AS conversation_count, AVG(ac.tokens_used), SUM(ac.tokens_used), ac.model
            FROM ai_conversations ac JOIN personas p ON ac.persona_id = p.id AND ac.organization_id = p.organization_id
            WHERE ac.organization_id = ?
            GROUP BY p.id, ac.model ORDER BY conversation_count DESC
            """, [.text(org)]).map { r in
            PersonaUsage(personaId: r[0].text ?? "", personaName: r[1].text ?? "", model: Self.model(r[5]), conversations: r[2].int ?? 0,
                         avgTokens: r[3].double ?? 0, totalTokens: r[4].int ?? 0)
        }
    }

    /// Without the LIMIT: the caller compares the top rows, whose order ties can blur.
    func expectedContacts(_ org: String, _ window: TimeWindow) throws -> [ContactCost] {
        try sql("""
            SELECT c.id, c.name, c.phone_number, COUNT(*) AS ai_interactions, SUM(ac.tokens_used),
              SUM(\(Self.costCase)) AS estimated_cost_usd, SUM(\(Self.unpricedCase))
            FROM ai_conversations ac JOIN contacts c ON ac.contact_id = c.id AND ac.organization_id = c.organization_id
            WHERE ac.organization_id = ? AND ac.created_at >= ? AND ac.created_at < ?
            GROUP BY c.id ORDER BY estimated_cost_usd DESC
            """, org, window).map { r in
            ContactCost(contactId: r[0].text ?? "", name: r[1].text ?? "", phoneNumber: r[2].text ?? "", interactions: r[3].int ?? 0,
                        totalTokens: r[4].int ?? 0, cost: Self.cost(r[5], unpriced: r[6]))
        }
    }

    func expectedHourly(_ org: String, _ window: TimeWindow, zone: ZoneOffsets) throws -> [HourUsage] {
        try sql("""
            SELECT CAST(strftime('%H', created_at / 1000, 'unixepoch', \(SeedMirror.offsetExpression(zone))) AS INTEGER) AS hour,
              COUNT(*), AVG(tokens_used)
            FROM ai_conversations
            WHERE organization_id = ? AND created_at >= ? AND created_at < ?
            GROUP BY hour ORDER BY hour
            """, org, window).map { r in
            HourUsage(hour: Int(r[0].int ?? -1), conversations: r[1].int ?? 0, avgTokens: r[2].double ?? 0)
        }
    }

    /// Rows keyed by `key` must match exactly, and no row may be `ordered` below the next (descending reports).
    func assertSameRows<Row: Equatable>(_ actual: [Row], _ expected: [Row], key: (Row) -> String, ordered: (Row, Row) -> Bool,
                                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "row count", file: file, line: line)
        let wanted = Dictionary(expected.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        for row in actual {
            XCTAssertEqual(row, wanted[key(row)], "row \(key(row))", file: file, line: line)
        }
        for (a, b) in zip(actual, actual.dropFirst()) {
            XCTAssertFalse(ordered(a, b), "rows out of order: \(key(a)) before \(key(b))", file: file, line: line)
        }
    }
}
