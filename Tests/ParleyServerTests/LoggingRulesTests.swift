import ParleyClient
import ParleyCore
import ParleyWire
import XCTest
import ParleyTestSupport

/// Every rule of turn logging (issue 4, item 3), over the wire against a real store.
final class LoggingRulesTests: XCTestCase {
    private var harness: ServerHarness!
    private var client: ParleyClient!

    override func setUp() async throws {
        harness = try await ServerHarness.startWithStore()
        client = harness.client()
    }

    override func tearDown() async throws {
        await client.close()
        await harness.stop()
    }

    private func turn(_ id: String, session: String = "s1", tokens: TokenCounts? = TokenCounts(input: 10, output: 5),
                      model: String = "gpt-4o-mini", persona: String = "") -> Turn {
        Turn(turnId: id, organizationId: "acme", sessionId: session, deviceId: "dev1", messageId: "m-\(id)",
             contactId: "c1", personaId: persona, model: model, userMessage: "hello there", aiResponse: "hi! how can I help?",
             tokens: tokens, userMessageAt: 1_700_000_000_000, repliedAt: 1_700_000_001_500)
    }

    private func log(_ t: Turn) async throws -> V1.LogTurnResponse {
        try await client.call(ParleyRPC.logTurn, t.wire)
    }

    private func fetch(_ id: String) async throws -> V1.Turn {
        var key = V1.TurnKey()
        key.organizationID = "acme"
        key.turnID = id
        return try await client.call(ParleyRPC.getTurn, key)
    }

    func testTokensUsedIsInputPlusOutputWhenLeftZero() async throws {
        let r = try await log(turn("t1", tokens: TokenCounts(input: 120, output: 30, total: 0)))
        XCTAssertEqual(r.turn?.tokens?.total, 150)
        let value1 = try await fetch("t1").tokens?.total
        XCTAssertEqual(value1, 150)
        // A total the caller gives is kept.
        let given = try await log(turn("t2", tokens: TokenCounts(input: 120, output: 30, total: 200)))
        XCTAssertEqual(given.turn?.tokens?.total, 200)
    }

    func testNoTokenCountsAreEstimatedAndMarked() async throws {
        let r = try await log(turn("t1", tokens: nil))
        let stored = try await fetch("t1")
        XCTAssertEqual(stored.tokensEstimated, true)
        let tokens = try XCTUnwrap(stored.tokens)
        XCTAssertGreaterThan(tokens.input ?? 0, 0)
        XCTAssertGreaterThan(tokens.output ?? 0, 0)
        XCTAssertEqual(tokens.total, (tokens.input ?? 0) + (tokens.output ?? 0))
        XCTAssertEqual(r.turn?.tokensEstimated, true)
    }

    func testMissingModelFallsBackToThePersonasDefault() async throws {
        _ = try await client.call(ParleyRPC.upsertPersona, Persona(organizationId: "acme", personaId: "sales", name: "Sales",
                                                          defaultModel: "claude-3-5-haiku-20241022").wire)
        _ = try await log(turn("t1", model: "", persona: "sales"))
        let value2 = try await fetch("t1").model
        XCTAssertEqual(value2, "claude-3-5-haiku-20241022")
    }

    func testMissingReplyTimeIsTheServersReceiveTime() async throws {
        var t = turn("t1")
        t.repliedAt = nil
        t.userMessageAt = nil
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try await log(t)
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        let stored = try await fetch("t1")
        let replied = try XCTUnwrap(stored.repliedAtMs)
        XCTAssertGreaterThanOrEqual(replied, before - 5)
        XCTAssertLessThanOrEqual(replied, after + 5)
    }

    func testSameTurnIDSameContentIsAcknowledgedOnce() async throws {
        let first = try await log(turn("t1"))
        XCTAssertEqual(first.outcome, .stored)
        let again = try await log(turn("t1"))
        XCTAssertEqual(again.outcome, .duplicate, "DUPLICATE")
        var key = V1.SessionKey()
        key.organizationID = "acme"
        key.sessionID = "s1"
        let session = try await client.call(ParleyRPC.getSessionMetrics, key)
        XCTAssertEqual(session.turnCount, 1, "no second copy")
        XCTAssertEqual(session.totalTokens, 15)
    }

    func testSameTurnIDDifferentContentIsAlreadyExists() async throws {
        _ = try await log(turn("t1"))
        var changed = turn("t1")
        changed.aiResponse = "a different reply"
        do {
            _ = try await log(changed)
            XCTFail("expected ALREADY_EXISTS")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .alreadyExists)
            XCTAssertTrue(e.message.contains("t1"), e.message)
        }
        let value3 = try await fetch("t1").aiResponse
        XCTAssertEqual(value3, "hi! how can I help?")
    }

    func testValidationNamesEveryBadFieldAndStoresNothing() async throws {
        var bad = turn("bad id with spaces")
        bad.organizationId = ""
        bad.tokens = TokenCounts(input: -1, output: 5)
        bad.userMessage = String(repeating: "x", count: 70_000)
        do {
            _ = try await log(bad)
            XCTFail("expected INVALID_ARGUMENT")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .invalidArgument)
            let fields = Set(e.violations.map(\.field))
            XCTAssertTrue(fields.isSuperset(of: ["turn_id", "organization_id", "tokens.input", "user_message"]), "\(fields)")
        }
        var key = V1.ListSessionMetricsRequest()
        key.organizationID = "acme"
        let value4 = try await client.call(ParleyRPC.countSessionMetrics, key).count
        XCTAssertEqual(value4, 0, "nothing stored")
    }

    func testBatchStoresValidItemsAndRejectsOthersWithTheirIndex() async throws {
        var bad = turn("t2")
        bad.tokens = TokenCounts(input: -5, output: 1)
        var conflicting = turn("t1")
        conflicting.aiResponse = "other"
        var batch = V1.LogTurnsRequest()
        batch.turns = [turn("t1"), bad, turn("t3"), conflicting, turn("t3")].map(\.wire)
        let r = try await client.call(ParleyRPC.logTurns, batch)
        let items = r.items
        XCTAssertEqual(items.count, 5)
        XCTAssertEqual(items.map { $0.status }, [0, 3, 0, 6, 0])
        XCTAssertEqual(items[1].violations.first?.field, "turns[1].tokens.input")
        XCTAssertEqual(items[4].outcome, .duplicate, "the repeated t3 is a duplicate")
        let value5 = try await fetch("t3").turnID
        XCTAssertEqual(value5, "t3")
        do {
            _ = try await fetch("t2")
            XCTFail("t2 must not be stored")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .notFound)
        }
    }

    func testOversizedBatchIsRefusedWhole() async throws {
        var batch = V1.LogTurnsRequest()
        batch.turns = (0...1000).map { turn("t\($0)", tokens: TokenCounts(input: 1, output: 1)).wire }
        do {
            _ = try await client.call(ParleyRPC.logTurns, batch)
            XCTFail("expected INVALID_ARGUMENT")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .invalidArgument)
            XCTAssertEqual(e.violations.first?.field, "turns")
        }
    }

    func testLeadAndFeedbackUpdateTheSessionInTheSameCall() async throws {
        _ = try await log(turn("t1"))
        let withLead = try await client.call(ParleyRPC.captureLead, leadProto(org: "acme", session: "s1", name: "Ana", email: "ana@example.com"))
        XCTAssertEqual(withLead.hasLead, true)
        XCTAssertEqual(withLead.leadEmail, "ana@example.com")
        var fb = V1.Feedback()
        fb.organizationID = "acme"
        fb.sessionID = "s1"
        fb.score = Int32(4)
        let rated = try await client.call(ParleyRPC.recordFeedback, fb)
        XCTAssertEqual(rated.userSatisfaction, 4)
        fb.score = Int32(9)
        do {
            _ = try await client.call(ParleyRPC.recordFeedback, fb)
            XCTFail("score 9 is out of range")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .invalidArgument)
            XCTAssertEqual(e.violations.first?.field, "score")
        }
    }
}

func leadProto(org: String, session: String, name: String, email: String) -> V1.Lead {
    var m = V1.Lead()
    m.organizationID = org
    m.sessionID = session
    m.name = name
    m.email = email
    return m
}
