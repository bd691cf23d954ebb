import XCTest
@testable import ParleyCore

final class TurnIntakeTests: XCTestCase {
    let intake = TurnIntake()

    func rawTurn() -> Turn {
        Turn(turnId: "t-1", organizationId: "org1", sessionId: "s1", deviceId: "dev1",
             personaId: "p1", model: "gpt-4o", userMessage: "hello there", aiResponse: "hi, how can I help?",
             tokens: TokenCounts(input: 10, output: 20), userMessageAt: 1_000, repliedAt: 1_800)
    }

    func testTotalTokensFilledWhenZero() throws {
        let stored = try intake.accept(rawTurn(), personaDefaultModel: nil, receivedAt: 5_000)
        XCTAssertEqual(stored.tokens, TokenCounts(input: 10, output: 20, total: 30))
        XCTAssertFalse(stored.tokensEstimated)
        XCTAssertEqual(stored.receivedAt, 5_000)
    }

    func testGivenTotalKept() throws {
        var raw = rawTurn()
        raw.tokens = TokenCounts(input: 10, output: 20, total: 45)
        XCTAssertEqual(try intake.accept(raw, personaDefaultModel: nil, receivedAt: 0).tokens?.total, 45)
    }

    func testAbsentTokensAreEstimated() throws {
        var raw = rawTurn()
        raw.tokens = nil
        raw.userMessage = "abcdefgh"      // 8 bytes -> 2 tokens
        raw.aiResponse = "こんにちは abc" // 5 kana + " abc" (4 bytes -> 1)
        let stored = try intake.accept(raw, personaDefaultModel: nil, receivedAt: 0)
        XCTAssertEqual(stored.tokens, TokenCounts(input: 2, output: 6, total: 8))
        XCTAssertTrue(stored.tokensEstimated)
    }

    func testEstimator() {
        XCTAssertEqual(TokenEstimator.estimate(""), 0)
        XCTAssertEqual(TokenEstimator.estimate("a"), 1)
        XCTAssertEqual(TokenEstimator.estimate("abcd"), 1)
        XCTAssertEqual(TokenEstimator.estimate("abcde"), 2)
        XCTAssertEqual(TokenEstimator.estimate("你好世界"), 4)
        XCTAssertEqual(TokenEstimator.estimate("é"), 1)
    }

    func testModelFallsBackToPersonaDefault() throws {
        var raw = rawTurn()
        raw.model = ""
        XCTAssertEqual(try intake.accept(raw, personaDefaultModel: "gemini-2.5-flash", receivedAt: 0).model, "gemini-2.5-flash")
        let unknown = try intake.accept(raw, personaDefaultModel: nil, receivedAt: 0)
        XCTAssertEqual(unknown.model, "")
        XCTAssertEqual(unknown.modelLabel, "(unknown)")
        XCTAssertEqual(try intake.accept(rawTurn(), personaDefaultModel: "other", receivedAt: 0).model, "gpt-4o")
    }

    func testReplyAndResponseTimesFilled() throws {
        var raw = rawTurn()
        raw.repliedAt = nil
        let stored = try intake.accept(raw, personaDefaultModel: nil, receivedAt: 4_000)
        XCTAssertEqual(stored.repliedAt, 4_000)
        XCTAssertEqual(stored.responseTime, 3_000)

        XCTAssertEqual(try intake.accept(rawTurn(), personaDefaultModel: nil, receivedAt: 9_000).responseTime, 800)

        var given = rawTurn()
        given.responseTime = 123
        XCTAssertEqual(try intake.accept(given, personaDefaultModel: nil, receivedAt: 0).responseTime, 123)

        var noAsk = rawTurn()
        noAsk.userMessageAt = nil
        XCTAssertNil(try intake.accept(noAsk, personaDefaultModel: nil, receivedAt: 0).responseTime)

        var skewed = rawTurn()
        skewed.repliedAt = 500
        XCTAssertNil(try intake.accept(skewed, personaDefaultModel: nil, receivedAt: 0).responseTime)
    }

    func testEveryBadFieldIsNamed() {
        var raw = Turn(turnId: "", organizationId: "", sessionId: "has space", deviceId: String(repeating: "d", count: 65))
        raw.tokens = TokenCounts(input: -1, output: 2, cachedRead: -3)
        raw.userMessage = String(repeating: "x", count: 65 * 1024)
        raw.sentimentScore = 1.5
        raw.feedbackScore = 6
        raw.errorCount = -2
        raw.responseTime = -1
        XCTAssertThrowsError(try intake.accept(raw, personaDefaultModel: nil, receivedAt: 0)) { error in
            guard let error = error as? ValidationError else { return XCTFail("not a ValidationError: \(error)") }
            XCTAssertEqual(Set(error.violations.map(\.field)), [
                "turn_id", "organization_id", "session_id", "device_id", "tokens.input", "tokens.cached_read",
                "user_message", "sentiment_score", "feedback_score", "error_count", "response_time_ms",
            ])
            XCTAssertTrue(error.violations.allSatisfy { !$0.reason.isEmpty })
            XCTAssertTrue(error.description.contains("session_id: contains a space"), error.description)
        }
    }

    func testLimitsAreConfigurable() {
        let strict = TurnIntake(limits: Limits(maxTextBytes: 4))
        var raw = rawTurn()
        raw.aiResponse = "12345"
        XCTAssertThrowsError(try strict.accept(raw, personaDefaultModel: nil, receivedAt: 0))
        raw.aiResponse = "1234"
        raw.userMessage = ""
        XCTAssertNoThrow(try strict.accept(raw, personaDefaultModel: nil, receivedAt: 0))
    }

    func testSentimentNaNRejected() {
        var raw = rawTurn()
        raw.sentimentScore = .nan
        XCTAssertThrowsError(try intake.validate(raw))
    }

    func testIdentifierRule() {
        XCTAssertTrue(Identifier.isValid("a"))
        XCTAssertTrue(Identifier.isValid("user@example.com+tag:1_2-3"))
        XCTAssertTrue(Identifier.isValid(String(repeating: "a", count: 64)))
        XCTAssertFalse(Identifier.isValid(""))
        XCTAssertFalse(Identifier.isValid(String(repeating: "a", count: 65)))
        XCTAssertFalse(Identifier.isValid("a/b"))
        XCTAssertFalse(Identifier.isValid("é"))
        XCTAssertEqual(Identifier.problem(with: "a\u{0}b"), "contains U+0, which ids may not; use only A-Z a-z 0-9 . _ : @ + -")
    }

    func testRetryWithSameContentIsDuplicate() throws {
        var raw = rawTurn()
        raw.repliedAt = nil
        raw.tokens = nil
        raw.model = ""
        let stored = try intake.accept(raw, personaDefaultModel: "m1", receivedAt: 7_000)
        XCTAssertTrue(intake.isRetry(raw, of: stored, personaDefaultModel: "m1"))
        var changed = raw
        changed.aiResponse = "different"
        XCTAssertFalse(intake.isRetry(changed, of: stored, personaDefaultModel: "m1"))
        var explicitTime = raw
        explicitTime.repliedAt = 6_000
        XCTAssertFalse(intake.isRetry(explicitTime, of: stored, personaDefaultModel: "m1"))

        var later = stored
        later.receivedAt = 99_999
        XCTAssertTrue(stored.hasSameContent(as: later))
    }
}

final class TurnHelpersTests: XCTestCase {
    func testTokenCapPerTurn() {
        var raw = Turn(turnId: "t", organizationId: "o", sessionId: "s", tokens: TokenCounts(input: (1 << 40) + 1))
        XCTAssertThrowsError(try TurnIntake().accept(raw, personaDefaultModel: nil, receivedAt: 0)) { error in
            XCTAssertEqual((error as? ValidationError)?.violations.map(\.field), ["tokens.input"])
        }
        raw.tokens = TokenCounts(input: 1 << 40, output: 1 << 40)
        XCTAssertEqual(try TurnIntake().accept(raw, personaDefaultModel: nil, receivedAt: 0).tokens?.total, 1 << 41)
    }


    func testDimensionValuesOfATurn() {
        let turn = Turn(deviceId: "d", contactId: "c", personaId: "p", widgetId: "w", model: "m")
        XCTAssertEqual(Dimension.allCases.map { $0.value(of: turn, sessionHasLead: true) }, ["", "d", "m", "p", "c", "w", "lead"])
        XCTAssertEqual(Dimension.sessionOutcome.value(of: turn, sessionHasLead: false), "no_lead")
    }
}
