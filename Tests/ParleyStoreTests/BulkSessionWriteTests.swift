import ParleyCore
import ParleyStore
import XCTest

/// captureLeads and recordFeedback batches: one commit per batch, a result per item as
/// the single-item writes would answer it, bad items leaving no trace, retries duplicates.
final class BulkSessionWriteTests: StoreTestCase {
    func testLeadBatchIsOneCommitWithAResultPerItem() async throws {
        let store = try openStore()
        defer { store.close() }
        for s in 0..<20 { _ = await log(store, turn("t\(s)", session: "s\(s)")) }
        let good = (0..<20).map { s in Lead(organizationId: "org1", sessionId: "s\(s)", name: "Lead \(s)", email: "l\(s)@example.com", capturedAt: 1_700_000_001_000) }
        let unknownSession = Lead(organizationId: "org1", sessionId: "s-none", name: "Nobody", capturedAt: 1_700_000_001_000)
        let badEmail = Lead(organizationId: "org1", sessionId: "s1", name: "Bad", email: String(repeating: "x", count: 5_000), capturedAt: 1_700_000_001_000)
        let commitsBefore = store.writerStatistics.commits
        let first = await store.captureLeads(Array(good[0..<10]) + [unknownSession, badEmail] + Array(good[10...]), receivedAt: 1_700_000_002_000)
        XCTAssertEqual(store.writerStatistics.commits - commitsBefore, 1, "the batch is one transaction")
        XCTAssertEqual(first.count, 22)
        XCTAssertEqual(first.filter { (try? $0.get()) == .stored }.count, 20)
        guard case .failure(.notFound) = first[10] else { return XCTFail("a session without turns: \(first[10])") }
        guard case .failure(.invalid(let error)) = first[11] else { return XCTFail("expected the long email rejected: \(first[11])") }
        XCTAssertEqual(error.violations.map(\.field), ["email"])
        XCTAssertEqual(try store.leads(organization: "org1", session: "s1").map(\.name), ["Lead 1"], "the refused lead left no trace")
        XCTAssertEqual(try store.sessionMetrics(organization: "org1", session: "s19")?.hasLead, true)

        let again = await store.captureLeads(good, receivedAt: 1_700_000_003_000)
        XCTAssertEqual(again.map { try? $0.get() }, Array(repeating: .duplicate, count: 20), "a re-import stores nothing new")
        XCTAssertEqual(try store.leads(organization: "org1", session: "s7").count, 1)
        try assertClean(store)
    }

    func testFeedbackBatchAnswersEachItemAsRecordFeedbackWould() async throws {
        let store = try openStore()
        defer { store.close() }
        _ = await log(store, turn("t1", session: "s1"))
        _ = await log(store, turn("t2", session: "s2"))
        let items = [
            Feedback(organizationId: "org1", sessionId: "s1", score: 5, givenAt: 1_700_000_001_000),
            Feedback(organizationId: "org1", sessionId: "s1", score: 9, givenAt: 1_700_000_001_000),
            Feedback(organizationId: "org1", sessionId: "s1", turnId: "t2", score: 3, givenAt: 1_700_000_001_000),
            Feedback(organizationId: "org1", sessionId: "s1", turnId: "t9", score: 3, givenAt: 1_700_000_001_000),
            Feedback(organizationId: "org1", sessionId: "s2", turnId: "t2", score: 1, givenAt: 1_700_000_001_000),
        ]
        let first = await store.recordFeedback(items, receivedAt: 1_700_000_002_000)
        XCTAssertEqual(first.map { try? $0.get() }, [.stored, nil, nil, nil, .stored])
        guard case .failure(.invalid(let score)) = first[1] else { return XCTFail("score out of range: \(first[1])") }
        XCTAssertEqual(score.violations.map(\.field), ["score"])
        guard case .failure(.invalid(let owner)) = first[2] else { return XCTFail("another session's turn: \(first[2])") }
        XCTAssertEqual(owner.violations.map(\.field), ["turn_id"])
        guard case .failure(.notFound) = first[3] else { return XCTFail("an unknown turn: \(first[3])") }
        XCTAssertEqual(try store.feedback(organization: "org1", session: "s1").map(\.score), [5])
        XCTAssertEqual(try store.sessionMetrics(organization: "org1", session: "s2")?.userSatisfaction, 1)

        let again = await store.recordFeedback([items[0], items[4]], receivedAt: 1_700_000_003_000)
        XCTAssertEqual(again.map { try? $0.get() }, [.duplicate, .duplicate])
        XCTAssertEqual(try store.feedback(organization: "org1", session: "s2").count, 1)
        try assertClean(store)
    }
}
