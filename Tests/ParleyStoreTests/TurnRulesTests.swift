import ParleyCore
import ParleyStore
import XCTest

final class TurnRulesTests: StoreTestCase {
    func testTokensUsedIsInputPlusOutputWhenZero() async throws {
        let store = try openStore()
        defer { store.close() }
        let (stored, outcome, metrics) = try accepted(await log(store, turn("t1", tokens: TokenCounts(input: 7, output: 5))))
        XCTAssertEqual(outcome, .stored)
        XCTAssertEqual(stored.tokens?.total, 12)
        XCTAssertFalse(stored.tokensEstimated)
        XCTAssertEqual(metrics.totalTokens, 12)
        XCTAssertEqual(try store.turn(organization: "org1", id: "t1"), stored)
    }

    func testMissingTokenCountsAreEstimatedAndMarked() async throws {
        let store = try openStore()
        defer { store.close() }
        let (stored, _, _) = try accepted(await log(store, turn("t1", tokens: nil)))
        XCTAssertTrue(stored.tokensEstimated)
        XCTAssertEqual(stored.tokens?.input, TokenEstimator.estimate("hello"))
        XCTAssertEqual(stored.tokens?.output, TokenEstimator.estimate("hi there"))
        XCTAssertEqual(try store.turn(organization: "org1", id: "t1")?.tokensEstimated, true)
    }

    func testMissingModelFallsBackToStoredPersonaDefault() async throws {
        let store = try openStore()
        defer { store.close() }
        _ = try await store.upsertPersona(Persona(organizationId: "org1", personaId: "p1", name: "Sales", defaultModel: "claude-3-5-haiku-latest"))
        let (stored, _, _) = try accepted(await log(store, turn("t1", model: "")))
        XCTAssertEqual(stored.model, "claude-3-5-haiku-latest")

        _ = try await store.upsertPersona(Persona(organizationId: "org1", personaId: "p2", defaultModel: "gemini-2.5-flash"))
        var other = turn("t2", model: "")
        other.personaId = "p2"
        let fromSecondPersona = try accepted(await log(store, other)).0
        XCTAssertEqual(fromSecondPersona.model, "gemini-2.5-flash")

        var unknown = turn("t3", model: "")
        unknown.personaId = "nobody"
        let withoutPersona = try accepted(await log(store, unknown)).0
        XCTAssertEqual(withoutPersona.model, "")
    }

    func testMissingReplyTimeIsReceiveTime() async throws {
        let store = try openStore()
        defer { store.close() }
        var raw = turn("t1")
        raw.repliedAt = nil
        raw.userMessageAt = 1_700_000_000_000 - 2_000
        let (stored, _, metrics) = try accepted(await log(store, raw, receivedAt: 1_700_000_000_000))
        XCTAssertEqual(stored.repliedAt, 1_700_000_000_000)
        XCTAssertEqual(stored.receivedAt, 1_700_000_000_000)
        XCTAssertEqual(stored.responseTime, 2_000)
        XCTAssertEqual(metrics.averageResponseTime, 2_000)
    }

    func testSameIdSameContentIsDuplicateWithoutSecondCopy() async throws {
        let store = try openStore()
        defer { store.close() }
        var raw = turn("t1", tokens: nil, model: "")
        raw.repliedAt = nil
        _ = try await store.upsertPersona(Persona(organizationId: "org1", personaId: "p1", defaultModel: "gpt-4o-mini"))
        let (first, _, _) = try accepted(await log(store, raw, receivedAt: 1_700_000_000_000))
        // The persona's default changes and the retry arrives later: still the same write.
        _ = try await store.upsertPersona(Persona(organizationId: "org1", personaId: "p1", defaultModel: "gpt-4o"))
        let (again, outcome, metrics) = try accepted(await log(store, raw, receivedAt: 1_700_000_009_000))
        XCTAssertEqual(outcome, .duplicate)
        XCTAssertEqual(again, first)
        XCTAssertEqual(metrics.turnCount, 1)
        XCTAssertEqual(metrics.totalMessages, 2)
        var count = 0
        try store.turns(organization: "org1", window: TimeWindow(since: 0, until: .max)) { _ in
            count += 1
            return true
        }
        XCTAssertEqual(count, 1)
    }

    func testSameIdDifferentContentIsConflictNamingTheTurn() async throws {
        let store = try openStore()
        defer { store.close() }
        _ = try accepted(await log(store, turn("t1")))
        var changed = turn("t1")
        changed.aiResponse = "something else"
        guard case .conflict(let message) = await log(store, changed) else { return XCTFail("expected conflict") }
        XCTAssertTrue(message.contains("t1"), message)
        XCTAssertEqual(try store.turn(organization: "org1", id: "t1")?.aiResponse, "hi there")
        XCTAssertEqual(try store.sessionMetrics(organization: "org1", session: "s1")?.turnCount, 1)
    }

    func testValidationNamesEveryBadFieldAndStoresNothing() async throws {
        let store = try openStore()
        defer { store.close() }
        var bad = turn("t 1", org: "")
        bad.tokens = TokenCounts(input: -1, output: 3)
        bad.feedbackScore = 9
        guard case .rejected(let error) = await log(store, bad) else { return XCTFail("expected rejected") }
        let fields = Set(error.violations.map(\.field))
        XCTAssertEqual(fields, ["turn_id", "organization_id", "tokens.input", "feedback_score"])
        XCTAssertNil(try store.turn(organization: "", id: "t 1"))
        XCTAssertEqual(try store.countSessionMetrics(organization: "", window: nil, hasLead: nil), 0)
        var cells = 0
        try store.rollupCells(organization: "", dimension: .all, window: TimeWindow(since: .min, until: .max), values: nil) { _ in cells += 1 }
        XCTAssertEqual(cells, 0)
    }

    /// Times from the year 10000 on are refused, so every stored time lies far inside
    /// `ReportQuery.allTime`; the ms before is stored. A report or Usage asked from
    /// Int64.min to Int64.max is cut to all time inside the store, and answers as such.
    func testTimesFromTheYear10000AreRefusedAndWindowsAreCutToAllTime() async throws {
        let store = try openStore()
        defer { store.close() }
        let last = TimeUnits.endOfAcceptedTime - 1
        var late = turn("t1", at: TimeUnits.endOfAcceptedTime)
        late.userMessageAt = 1_700_000_000_000
        guard case .rejected(let error) = await log(store, late) else { return XCTFail("expected rejected") }
        XCTAssertEqual(error.violations.map(\.field), ["replied_at_ms"])
        XCTAssertTrue(error.violations[0].reason.contains("before the year 10000"), error.violations[0].reason)
        _ = try accepted(await log(store, turn("t2", at: last)))
        _ = try accepted(await log(store, turn("t3", at: 1_700_000_000_000)))
        let everything = ReportQuery(organization: "org1", window: TimeWindow(since: .min, until: .max))
        XCTAssertEqual(everything.window, ReportQuery.allTime)
        XCTAssertEqual(try store.reportModels(everything).rows.map(\.conversations), [2])
        XCTAssertEqual(try store.reportSessions(everything).sessions, 1)
        XCTAssertEqual(try store.reportConversion(everything).sessions, 1)
        var usage = UsageQuery(window: TimeWindow(since: 0, until: 1), granularity: .month, groupBy: [.model])
        usage.window = TimeWindow(since: .min, until: .max)
        XCTAssertEqual(usage.window, ReportQuery.allTime)
        XCTAssertEqual(try store.usage(organization: "org1", query: usage).rows.map(\.count), [1, 1])
    }

    func testBatchStoresValidItemsAndRejectsInvalidOnes() async throws {
        let store = try openStore()
        defer { store.close() }
        var invalid = turn("t2")
        invalid.sentimentScore = 4
        var conflicting = turn("t1")
        conflicting.userMessage = "changed"
        let results = await store.logTurns([turn("t1"), invalid, turn("t3"), turn("t1"), conflicting], receivedAt: 1_700_000_000_000)
        XCTAssertEqual(results.count, 5)
        XCTAssertEqual(try accepted(results[0]).1, .stored)
        guard case .rejected(let error) = results[1] else { return XCTFail("expected rejected") }
        XCTAssertEqual(error.violations.map(\.field), ["sentiment_score"])
        XCTAssertEqual(try accepted(results[2]).1, .stored)
        XCTAssertEqual(try accepted(results[3]).1, .duplicate)
        guard case .conflict = results[4] else { return XCTFail("expected conflict") }
        XCTAssertNil(try store.turn(organization: "org1", id: "t2"))
        XCTAssertEqual(try store.sessionMetrics(organization: "org1", session: "s1")?.turnCount, 2)
    }

    func testWritesAfterCloseFailAsClosed() async throws {
        let store = try openStore()
        store.close()
        guard case .failed(.closed) = await log(store, turn("t1")) else { return XCTFail("expected closed") }
        do {
            _ = try await store.upsertDevice(Device(organizationId: "org1", deviceId: "d1"))
            XCTFail("expected closed")
        } catch StoreError.closed {}
        XCTAssertThrowsError(try store.turn(organization: "org1", id: "t1"))
    }
}
