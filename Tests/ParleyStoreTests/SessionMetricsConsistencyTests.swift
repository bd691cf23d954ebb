import Foundation
import ParleyCore
import ParleyStore
import Synchronization
import XCTest
import ParleyTestSupport

/// Many writers on few sessions: the incrementally kept metrics must equal a
/// recomputation from what was stored, and backfill must reproduce them exactly.
final class SessionMetricsConsistencyTests: StoreTestCase {
    enum Operation: Sendable {
        case turns([Turn])
        case lead(Lead)
        case feedback(Feedback)
    }

    func testConcurrentMixMatchesRecomputationAndBackfill() async throws {
        var rng = SeededGenerator.announced("testConcurrentMixMatchesRecomputationAndBackfill")
        let store = try openStore { $0.backfillBatch = 3 }
        defer { store.close() }
        let sessions = (0..<6).map { "s\($0)" }
        let base: Millis = 1_700_000_000_000
        var plans: [[Operation]] = []
        var turnNumber = 0
        for task in 0..<32 {
            var plan: [Operation] = []
            for _ in 0..<12 {
                let session = sessions[Int.random(in: 0..<sessions.count, using: &rng)]
                let org = task % 4 == 0 ? "org2" : "org1"
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<6:
                    var turns: [Turn] = []
                    for _ in 0..<Int.random(in: 1...3, using: &rng) {
                        turnNumber += 1
                        // Some ids repeat (retries), drawn from a small range.
                        let id = Bool.random(using: &rng) ? "t\(turnNumber)" : "r\(Int.random(in: 0..<20, using: &rng))"
                        let time = base + Millis.random(in: 0...(48 * TimeUnits.millisPerHour), using: &rng)
                        turns.append(Turn(turnId: id, organizationId: org, sessionId: session,
                                          deviceId: "d\(Int.random(in: 0..<3, using: &rng))", contactId: "c\(Int.random(in: 0..<3, using: &rng))",
                                          widgetId: "w\(Int.random(in: 0..<2, using: &rng))", model: ["gpt-4o", "gemini-2.5-flash", ""][Int.random(in: 0..<3, using: &rng)],
                                          userMessage: id.hasPrefix("r") ? "retry" : "question \(turnNumber)", aiResponse: "answer",
                                          tokens: id.hasPrefix("r") ? nil : TokenCounts(input: Int64.random(in: 0...500, using: &rng), output: Int64.random(in: 0...500, using: &rng)),
                                          userMessageAt: id.hasPrefix("r") ? nil : time - Millis.random(in: 0...5_000, using: &rng),
                                          repliedAt: id.hasPrefix("r") ? base : time,
                                          feedbackScore: Int.random(in: 0..<5, using: &rng) == 0 ? Int32.random(in: 1...5, using: &rng) : nil))
                    }
                    plan.append(.turns(turns))
                case 6..<8:
                    plan.append(.lead(Lead(organizationId: org, sessionId: session, name: "n\(Int.random(in: 0..<5, using: &rng))", email: "e@x",
                                           company: "c", capturedAt: base + Millis.random(in: 0...100_000, using: &rng))))
                default:
                    plan.append(.feedback(Feedback(organizationId: org, sessionId: session, score: Int32.random(in: 1...5, using: &rng))))
                }
            }
            plans.append(plan)
        }

        await withTaskGroup(of: Void.self) { group in
            for plan in plans {
                group.addTask {
                    for operation in plan {
                        switch operation {
                        case .turns(let turns): _ = await store.logTurns(turns, receivedAt: base)
                        case .lead(let lead): _ = try? await store.captureLead(lead, receivedAt: base)
                        case .feedback(let feedback): _ = try? await store.recordFeedback(feedback, receivedAt: base)
                        }
                    }
                }
            }
        }

        var incremental: [String: SessionMetrics] = [:]
        for org in ["org1", "org2"] {
            for session in sessions {
                guard let metrics = try store.sessionMetrics(organization: org, session: session) else { continue }
                var turns: [Turn] = []
                try store.turns(organization: org, session: session, window: TimeWindow(since: .min, until: .max)) { turns.append($0); return true }
                let leads = try store.leads(organization: org, session: session)
                let feedback = try store.feedback(organization: org, session: session)
                var expected = SessionMetrics.recompute(turns: turns, leads: leads, feedback: feedback)
                expected.createdAt = metrics.createdAt
                expected.updatedAt = metrics.updatedAt
                XCTAssertEqual(metrics, expected, "\(org)/\(session)")
                XCTAssertGreaterThan(metrics.turnCount, 0)
                incremental["\(org)/\(session)"] = metrics
            }
        }
        XCTAssertFalse(incremental.isEmpty)

        let reports = ProgressLog()
        let rebuilt = try await store.backfillSessionMetrics(organization: nil) { done, total in reports.append(done, total) }
        XCTAssertEqual(rebuilt, Int64(incremental.count))
        XCTAssertEqual(reports.last?.0, rebuilt)
        XCTAssertEqual(reports.last?.1, rebuilt)
        XCTAssertGreaterThan(reports.count, 2, "batches of 3 sessions report more than start and end")
        for (name, metrics) in incremental {
            let parts = name.split(separator: "/").map(String.init)
            XCTAssertEqual(try store.sessionMetrics(organization: parts[0], session: parts[1]), metrics, name)
        }
        let org2Only = try await store.backfillSessionMetrics(organization: "org2") { _, _ in }
        XCTAssertEqual(org2Only, Int64(incremental.keys.filter { $0.hasPrefix("org2/") }.count))
        try assertClean(store)
    }

    func testBackfillRepairsDamagedMetrics() async throws {
        let store = try openStore()
        defer { store.close() }
        _ = await store.logTurns([turn("t1"), turn("t2", at: 1_700_000_100_000)], receivedAt: 1_700_000_000_000)
        _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "s1", name: "Ann"), receivedAt: 1_700_000_200_000)
        let good = try XCTUnwrap(try store.sessionMetrics(organization: "org1", session: "s1"))
        try store.database.write { txn in
            // Simulate lost metrics: drop them so backfill must rebuild from the turns.
            var key = KeyEncoder()
            key.append(good.organizationId)
            key.append(good.sessionId)
            XCTAssertTrue(try txn.createTree("sessions").delete(key.bytes))
        }
        XCTAssertNil(try store.sessionMetrics(organization: "org1", session: "s1"))
        let rebuilt = try await store.backfillSessionMetrics(organization: "org1") { _, _ in }
        XCTAssertEqual(rebuilt, 1)
        var restored = try XCTUnwrap(try store.sessionMetrics(organization: "org1", session: "s1"))
        restored.createdAt = good.createdAt
        restored.updatedAt = good.updatedAt
        XCTAssertEqual(restored, good)
        // The aggregates derived from the metrics (start index, start and conversion
        // cells) equal their rebuild again: the lost session is in each once.
        XCTAssertEqual(try store.aggregateMismatches().map(\.description), [])
    }
}

/// Progress reports collected from the backfill's callback.
final class ProgressLog: Sendable {
    private let reports = Mutex<[(Int64, Int64)]>([])

    func append(_ done: Int64, _ total: Int64) {
        reports.withLock { $0.append((done, total)) }
    }

    var count: Int { reports.withLock { $0.count } }
    var last: (Int64, Int64)? { reports.withLock { $0.last } }
}
