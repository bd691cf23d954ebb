import Foundation
import ParleyClient
import ParleyWire
import XCTest
import ParleyTestSupport

/// CaptureLeads (47) and RecordFeedbackBatch (48) through the typed client: a result per
/// item in request order, bad items refused alone, retries answered as duplicates.
final class BulkSessionServiceTests: XCTestCase {
    var harness: ServerHarness!
    var client: ParleyClient!

    override func setUp() async throws {
        harness = try await ServerHarness.startWithStore()
        client = harness.client()
        for session in ["s-1", "s-2"] {
            var turn = V1.Turn()
            turn.turnID = "t-\(session)"
            turn.organizationID = "acme"
            turn.sessionID = session
            turn.model = "gpt-4o"
            turn.userMessage = "q"
            turn.aiResponse = "a"
            turn.tokens = V1.TokenCounts(input: 10, output: 5)
            turn.userMessageAtMs = 1_793_700_000_000
            turn.repliedAtMs = 1_793_700_000_700
            _ = try await client.logTurn(turn)
        }
    }

    override func tearDown() async throws {
        await client?.close()
        await harness?.stop()
    }

    static func lead(_ session: String, name: String = "Ada") -> V1.Lead {
        V1.Lead(organizationID: "acme", sessionID: session, name: name, email: "ada@example.com", capturedAtMs: 1_793_700_001_000)
    }

    func testCaptureLeadsAnswersEachItemInOrder() async throws {
        let batch = [Self.lead("s-1"), Self.lead(""), Self.lead("s-none"), Self.lead("s-2")]
        let first = try await client.captureLeads(V1.CaptureLeadsRequest(leads: batch))
        XCTAssertEqual(first.items.map(\.status), [0, 3, 5, 0])
        XCTAssertEqual(first.items.map(\.id), ["s-1", nil, "s-none", "s-2"])
        XCTAssertEqual(first.items[1].violations.map(\.field), ["leads[1].session_id"])
        XCTAssertEqual(first.items[0].duplicate, false)
        let metrics = try await client.getSessionMetrics(V1.SessionKey(organizationID: "acme", sessionID: "s-2"))
        XCTAssertEqual(metrics.hasLead, true)

        let again = try await client.captureLeads(V1.CaptureLeadsRequest(leads: [Self.lead("s-2"), Self.lead("s-1")]))
        XCTAssertEqual(again.items.map(\.status), [0, 0])
        XCTAssertEqual(again.items.map(\.duplicate), [true, true], "a resent batch stores nothing new")
    }

    func testRecordFeedbackBatchAnswersEachItemInOrder() async throws {
        let batch = [V1.Feedback(organizationID: "acme", sessionID: "s-1", score: 4, givenAtMs: 1_793_700_001_000),
                     V1.Feedback(organizationID: "acme", sessionID: "s-1", score: 0, givenAtMs: 1_793_700_001_000),
                     V1.Feedback(organizationID: "acme", sessionID: "s-1", turnID: "t-s-2", score: 2, givenAtMs: 1_793_700_001_000),
                     V1.Feedback(organizationID: "acme", sessionID: "s-2", turnID: "t-s-2", score: 2, givenAtMs: 1_793_700_001_000)]
        let first = try await client.recordFeedbackBatch(V1.RecordFeedbackBatchRequest(feedback: batch))
        XCTAssertEqual(first.items.map(\.status), [0, 3, 3, 0])
        XCTAssertEqual(first.items[1].violations.map(\.field), ["feedback[1].score"])
        XCTAssertEqual(first.items[2].violations.map(\.field), ["feedback[2].turn_id"])
        let metrics = try await client.getSessionMetrics(V1.SessionKey(organizationID: "acme", sessionID: "s-1"))
        XCTAssertEqual(metrics.userSatisfaction, 4)

        let again = try await client.recordFeedbackBatch(V1.RecordFeedbackBatchRequest(feedback: [batch[3], batch[0]]))
        XCTAssertEqual(again.items.map(\.duplicate), [true, true])
    }

    func testOversizedBatchesAreRefusedWhole() async throws {
        for (call, field) in [("leads", "leads"), ("feedback", "feedback")] {
            do {
                if call == "leads" {
                    _ = try await client.captureLeads(V1.CaptureLeadsRequest(leads: (0...1_000).map { Self.lead("s-\($0)") }))
                } else {
                    let many = (0...1_000).map { _ in V1.Feedback(organizationID: "acme", sessionID: "s-1", score: 3) }
                    _ = try await client.recordFeedbackBatch(V1.RecordFeedbackBatchRequest(feedback: many))
                }
                XCTFail("1001 \(call) must be refused")
            } catch let e as RPCError {
                XCTAssertEqual(e.status, .invalidArgument)
                XCTAssertEqual(e.violations.map(\.field), [field])
            }
        }
    }
}
