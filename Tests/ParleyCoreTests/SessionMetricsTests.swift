import XCTest
@testable import ParleyCore
import ParleyTestSupport

final class SessionMetricsTests: XCTestCase {
    func turn(_ id: String, at: Millis, reply: Millis, tokens: (Int64, Int64), response: Millis? = nil, userMessage: String = "q", widget: String = "w1", score: Int32? = nil) -> Turn {
        Turn(turnId: id, organizationId: "o", sessionId: "s", widgetId: widget, userId: "u-" + widget,
             userMessage: userMessage, aiResponse: "a",
             tokens: TokenCounts(input: tokens.0, output: tokens.1, total: tokens.0 + tokens.1),
             userMessageAt: at, repliedAt: reply, responseTime: response, feedbackScore: score, receivedAt: reply)
    }

    func testExampleSession() {
        var metrics = SessionMetrics(organizationId: "o", sessionId: "s")
        metrics.apply(turn("t2", at: 5_000, reply: 6_000, tokens: (3, 4), response: 1_000, widget: "w2"))
        metrics.apply(turn("t1", at: 1_000, reply: 1_500, tokens: (10, 20), response: 501, userMessage: ""))
        metrics.apply(Lead(organizationId: "o", sessionId: "s", name: "Ann", email: "a@x", company: "X", capturedAt: 7_000))
        metrics.apply(Feedback(organizationId: "o", sessionId: "s", score: 4))
        metrics.apply(Feedback(organizationId: "o", sessionId: "s", turnId: "t1", score: 5))

        XCTAssertEqual(metrics.turnCount, 2)
        XCTAssertEqual(metrics.totalMessages, 3)
        XCTAssertEqual(metrics.promptTokens, 13)
        XCTAssertEqual(metrics.completionTokens, 24)
        XCTAssertEqual(metrics.totalTokens, 37)
        XCTAssertEqual(metrics.conversationStart, 1_000)
        XCTAssertEqual(metrics.conversationEnd, 6_000)
        XCTAssertEqual(metrics.duration, 5_000)
        XCTAssertEqual(metrics.averageResponseTime, 751) // 1501 / 2 = 750.5, rounded half up
        XCTAssertEqual(metrics.firstTurnId, "t1")
        XCTAssertEqual(metrics.widgetId, "w1")
        XCTAssertEqual(metrics.userId, "u-w1")
        XCTAssertTrue(metrics.hasLead)
        XCTAssertEqual(metrics.leadName, "Ann")
        XCTAssertEqual(metrics.leadCapturedAt, 7_000)
        XCTAssertEqual(metrics.userSatisfaction, 4.5)
        XCTAssertNil(metrics.createdAt)
    }

    func testNoFeedbackMeansNoSatisfaction() {
        let metrics = SessionMetrics.recompute(turns: [turn("t", at: 0, reply: 1, tokens: (1, 1))], leads: [], feedback: [])
        XCTAssertNil(metrics.userSatisfaction)
        XCTAssertNil(metrics.averageResponseTime)
        XCTAssertFalse(metrics.hasLead)
    }

    func testLeadDetailsFromLatestCaptureAndEarliestTime() {
        let early = Lead(organizationId: "o", sessionId: "s", name: "A", capturedAt: 10)
        let late = Lead(organizationId: "o", sessionId: "s", name: "B", email: "b@x", capturedAt: 20)
        for order in [[early, late], [late, early]] {
            let metrics = SessionMetrics.recompute(turns: [], leads: order, feedback: [])
            XCTAssertEqual(metrics.leadName, "B")
            XCTAssertEqual(metrics.leadEmail, "b@x")
            XCTAssertEqual(metrics.leadCapturedAt, 10)
        }
    }

    func testTouchSetsCreatedOnce() {
        var metrics = SessionMetrics(organizationId: "o", sessionId: "s")
        metrics.touch(at: 5)
        metrics.touch(at: 9)
        XCTAssertEqual(metrics.createdAt, 5)
        XCTAssertEqual(metrics.updatedAt, 9)
    }

    /// Incremental application in any order equals the from-scratch recomputation.
    func testIncrementalEqualsRecomputeInAnyOrder() {
        var rng = SeededGenerator.announced("testIncrementalEqualsRecomputeInAnyOrder")
        for _ in 0..<200 {
            let turns: [Turn] = (0..<Int.random(in: 0...8, using: &rng)).map { index in
                let at = Millis.random(in: 0...10_000, using: &rng)
                var t = turn("t\(Int.random(in: 0...5, using: &rng))-\(index)", at: at, reply: at + Millis.random(in: 0...3_000, using: &rng),
                             tokens: (Int64.random(in: 0...500, using: &rng), Int64.random(in: 0...500, using: &rng)),
                             response: Bool.random(using: &rng) ? Millis.random(in: 0...3_000, using: &rng) : nil,
                             userMessage: Bool.random(using: &rng) ? "" : "q", widget: "w\(index % 3)",
                             score: Bool.random(using: &rng) ? Int32.random(in: 1...5, using: &rng) : nil)
                if Int.random(in: 0..<5, using: &rng) == 0 { t.userMessageAt = nil }
                return t
            }
            let leads: [Lead] = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                Lead(organizationId: "o", sessionId: "s", name: rng.identifier(), email: rng.identifier(), capturedAt: Millis.random(in: 0...3, using: &rng))
            }
            let feedback: [Feedback] = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                Feedback(organizationId: "o", sessionId: "s", score: Int32.random(in: 1...5, using: &rng))
            }
            let expected = SessionMetrics.recompute(turns: turns, leads: leads, feedback: feedback)

            enum Event { case turn(Turn), lead(Lead), feedback(Feedback) }
            var events = turns.map(Event.turn) + leads.map(Event.lead) + feedback.map(Event.feedback)
            events.shuffle(using: &rng)
            var incremental = SessionMetrics(organizationId: "o", sessionId: "s")
            for event in events {
                switch event {
                case .turn(let t): incremental.apply(t)
                case .lead(let l): incremental.apply(l)
                case .feedback(let f): incremental.apply(f)
                }
            }
            if turns.isEmpty && leads.isEmpty && feedback.isEmpty {
                XCTAssertEqual(incremental, SessionMetrics(organizationId: "o", sessionId: "s"))
            } else {
                XCTAssertEqual(incremental, expected)
            }
        }
    }
}
