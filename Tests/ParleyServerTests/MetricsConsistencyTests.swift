import Foundation
import NIOConcurrencyHelpers
import ParleyClient
import ParleyCore
import ParleyWire
import XCTest
import ParleyTestSupport

/// Session metrics stay equal to a recomputation from the turns, leads and feedback,
/// whatever 32 concurrent clients do; BackfillSessionMetrics rebuilds the same figures.
final class MetricsConsistencyTests: XCTestCase {
    func testMetricsMatchRecomputationAfterConcurrentMixAndBackfillAgrees() async throws {
        let harness = try await ServerHarness.startWithStore()
        let seed = UInt64(ProcessInfo.processInfo.environment["PARLEY_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max)
        print("MetricsConsistencyTests seed: \(seed) (PARLEY_SEED=\(seed) repeats it)")
        let sessions = (0..<12).map { "s\($0)" }
        let base: Int64 = 1_763_000_000_000
        let setup = harness.client()
        for (i, s) in sessions.enumerated() {
            _ = try await setup.call(ParleyRPC.logTurn, Self.turn("seed-\(s)", session: s, at: base + Int64(i) * 1000, tokens: 10).wire)
        }

        let acked = NIOLockedValueBox(Acknowledged())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for clientIndex in 0..<32 {
                group.addTask {
                    var rng = SeededGenerator(seed: seed &+ UInt64(clientIndex))
                    let client = harness.client()
                    defer { Task { await client.close() } }
                    for op in 0..<25 {
                        let session = sessions[Int(rng.next() % UInt64(sessions.count))]
                        let at = base + Int64(rng.next() % 3_600_000)
                        switch rng.next() % 10 {
                        case 0..<6:
                            let t = Self.turn("c\(clientIndex)-\(op)", session: session, at: at, tokens: Int64(rng.next() % 500))
                            _ = try await client.call(ParleyRPC.logTurn, t.wire)
                            acked.withLockedValue { $0.turns.append(t.turnId) }
                        case 6..<8:
                            let lead = Lead(organizationId: "acme", sessionId: session, name: "n\(clientIndex)-\(op)",
                                            email: "e\(op)@x.io", company: "co", capturedAt: at)
                            _ = try await client.call(ParleyRPC.captureLead, Self.wire(lead))
                            acked.withLockedValue { $0.leads.append(lead) }
                        default:
                            let fb = Feedback(organizationId: "acme", sessionId: session, score: Int32(1 + rng.next() % 5), givenAt: at)
                            _ = try await client.call(ParleyRPC.recordFeedback, Self.wire(fb))
                            acked.withLockedValue { $0.feedback.append(fb) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        let done = acked.withLockedValue { $0 }
        var storedTurns: [String: [Turn]] = [:]
        for id in done.turns + sessions.map({ "seed-\($0)" }) {
            var key = V1.TurnKey()
            key.organizationID = "acme"
            key.turnID = id
            let t = try Turn(wire: try await setup.call(ParleyRPC.getTurn, key))
            storedTurns[t.sessionId, default: []].append(t)
        }
        var before: [String: V1.SessionMetrics] = [:]
        for s in sessions {
            let actual = try await Self.metrics(setup, s)
            var expected = SessionMetrics.recompute(turns: storedTurns[s] ?? [],
                                                    leads: done.leads.filter { $0.sessionId == s },
                                                    feedback: done.feedback.filter { $0.sessionId == s })
            expected.organizationId = "acme"
            expected.sessionId = s
            XCTAssertEqual(Self.comparable(actual), Self.comparable(expected.wire), "session \(s)")
            before[s] = actual
        }

        var progress: [V1.Progress] = []
        for try await p in setup.stream(ParleyRPC.backfillSessionMetrics, V1.BackfillRequest()) {
            progress.append(p)
        }
        XCTAssertEqual(progress.last?.finished, true)
        for s in sessions {
            let rebuilt = try await Self.metrics(setup, s)
            XCTAssertEqual(Self.comparable(rebuilt), Self.comparable(try XCTUnwrap(before[s])), "backfill of \(s)")
        }
        await setup.close()
        await harness.stop()
    }

    struct Acknowledged {
        var turns: [String] = []
        var leads: [Lead] = []
        var feedback: [Feedback] = []
    }

    static func turn(_ id: String, session: String, at: Int64, tokens: Int64) -> Turn {
        Turn(turnId: id, organizationId: "acme", sessionId: session, contactId: "c-\(session)", model: "gpt-4o",
             userMessage: "q", aiResponse: "a", tokens: TokenCounts(input: tokens, output: tokens / 2),
             userMessageAt: at, repliedAt: at + 700 + tokens)
    }

    static func wire(_ lead: Lead) -> V1.Lead {
        var m = leadProto(org: lead.organizationId, session: lead.sessionId, name: lead.name, email: lead.email)
        m.company = lead.company
        m.capturedAtMs = lead.capturedAt
        return m
    }

    static func wire(_ fb: Feedback) -> V1.Feedback {
        var m = V1.Feedback()
        m.organizationID = fb.organizationId
        m.sessionID = fb.sessionId
        m.score = fb.score
        m.givenAtMs = fb.givenAt
        return m
    }

    static func metrics(_ client: ParleyClient, _ session: String) async throws -> V1.SessionMetrics {
        var key = V1.SessionKey()
        key.organizationID = "acme"
        key.sessionID = session
        return try await client.call(ParleyRPC.getSessionMetrics, key)
    }

    /// The metrics without the bookkeeping times, which legitimately differ.
    static func comparable(_ m: V1.SessionMetrics) -> V1.SessionMetrics {
        var m = m
        m.createdAtMs = nil
        m.updatedAtMs = nil
        return m
    }
}
