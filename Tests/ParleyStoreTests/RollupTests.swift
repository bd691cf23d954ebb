import ParleyCore
import ParleyStore
import XCTest
import ParleyTestSupport

final class RollupTests: StoreTestCase {
    private let everything = TimeWindow(since: .min, until: .max)

    func testCellsSumToTheTurnsPerDimension() async throws {
        var rng = SeededGenerator.announced("testCellsSumToTheTurnsPerDimension")
        let store = try openStore()
        defer { store.close() }
        let base: Millis = 1_700_000_000_000
        var batch: [Turn] = []
        for index in 0..<300 {
            let time = base + Millis.random(in: 0...(72 * TimeUnits.millisPerHour), using: &rng)
            batch.append(Turn(turnId: "t\(index)", organizationId: "org1", sessionId: "s\(Int.random(in: 0..<20, using: &rng))",
                              deviceId: ["", "d1", "d2"][Int.random(in: 0..<3, using: &rng)], contactId: "c\(Int.random(in: 0..<4, using: &rng))",
                              personaId: "p\(Int.random(in: 0..<3, using: &rng))", widgetId: "w\(Int.random(in: 0..<2, using: &rng))",
                              model: ["gpt-4o", "claude-3-5-haiku", ""][Int.random(in: 0..<3, using: &rng)], aiResponse: "a",
                              tokens: TokenCounts(input: Int64.random(in: 0...900, using: &rng), output: Int64.random(in: 0...900, using: &rng)),
                              userMessageAt: time - Millis.random(in: 0...9_000, using: &rng), repliedAt: time))
            if batch.count == 25 {
                _ = await store.logTurns(batch, receivedAt: base)
                batch = []
            }
        }
        for session in 0..<5 {
            _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "s\(session)", name: "lead"), receivedAt: base)
        }
        _ = await store.logTurns([Turn(turnId: "late", organizationId: "org1", sessionId: "s0", aiResponse: "a",
                                       tokens: TokenCounts(input: 5, output: 5), repliedAt: base + 100 * TimeUnits.millisPerHour)], receivedAt: base)

        var turns: [Turn] = []
        try store.turns(organization: "org1", window: everything) { turns.append($0); return true }
        XCTAssertEqual(turns.count, 301)
        let leadSessions: Set<String> = ["s0", "s1", "s2", "s3", "s4"]
        for dimension in Dimension.allCases {
            var expected: [String: CellRollup] = [:]
            for turn in turns {
                expected[dimension.value(of: turn, sessionHasLead: leadSessions.contains(turn.sessionId)), default: CellRollup()].add(turn)
            }
            var actual: [String: CellRollup] = [:]
            try store.rollupCells(organization: "org1", dimension: dimension, window: everything, values: nil) { cell in
                XCTAssertEqual(cell.start, CellGrid.start(of: cell.start))
                actual[cell.values[dimension] ?? (dimension == .model ? cell.model : ""), default: CellRollup()].merge(cell.rollup)
            }
            XCTAssertEqual(Set(actual.keys), Set(expected.keys), "\(dimension)")
            for (value, rollup) in expected {
                let stored = actual[value]
                XCTAssertEqual(stored?.count, rollup.count, "\(dimension)=\(value)")
                XCTAssertEqual(stored?.tokens, rollup.tokens, "\(dimension)=\(value)")
                XCTAssertEqual(stored?.responseTimeSum, rollup.responseTimeSum, "\(dimension)=\(value)")
                XCTAssertEqual(stored?.latency, rollup.latency, "\(dimension)=\(value)")
            }
            // One value through the value-major tree gives that value's cells exactly.
            if let (value, rollup) = expected.first {
                var merged = CellRollup()
                try store.rollupCells(organization: "org1", dimension: dimension, window: everything, values: [value]) { merged.merge($0.rollup) }
                XCTAssertEqual(merged.count, rollup.count, "\(dimension)=\(value)")
                XCTAssertEqual(merged.tokens, rollup.tokens, "\(dimension)=\(value)")
            }
        }
        try assertClean(store)
    }

    func testLeadCaptureMovesTheSessionsEarlierTurnsToLead() async throws {
        let store = try openStore()
        defer { store.close() }
        let base: Millis = 1_700_000_000_000
        _ = await store.logTurns([turn("a1", session: "won", at: base), turn("a2", session: "won", at: base + 2 * TimeUnits.millisPerHour),
                                  turn("b1", session: "lost", at: base)], receivedAt: base)
        XCTAssertEqual(try outcomeCounts(store), [Dimension.noLeadOutcome: 3])

        let metrics = try await store.captureLead(Lead(organizationId: "org1", sessionId: "won", name: "Ann", email: "ann@example.com"), receivedAt: base)
        XCTAssertTrue(metrics.hasLead)
        XCTAssertEqual(try outcomeCounts(store), [Dimension.noLeadOutcome: 1, Dimension.leadOutcome: 2])

        // A second lead moves nothing again; later turns of the session count as lead.
        _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "won", name: "Ann B"), receivedAt: base + 1)
        _ = await log(store, turn("a3", session: "won", at: base + 3 * TimeUnits.millisPerHour))
        XCTAssertEqual(try outcomeCounts(store), [Dimension.noLeadOutcome: 1, Dimension.leadOutcome: 3])
        var noLeadCells = 0
        try store.rollupCells(organization: "org1", dimension: .sessionOutcome, window: everything, values: [Dimension.noLeadOutcome]) { _ in noLeadCells += 1 }
        XCTAssertEqual(noLeadCells, 1, "emptied no_lead cells are removed")
    }

    func testLeadForSessionWithoutTurnsIsNotFound() async throws {
        let store = try openStore()
        defer { store.close() }
        do {
            _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "ghost", name: "x"), receivedAt: 1)
            XCTFail("expected notFound")
        } catch StoreError.notFound(let message) {
            XCTAssertTrue(message.contains("ghost"), message)
        }
        XCTAssertTrue(try store.leads(organization: "org1", session: "ghost").isEmpty)
    }

    private func outcomeCounts(_ store: ParleyStore) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        try store.rollupCells(organization: "org1", dimension: .sessionOutcome, window: everything, values: nil) { cell in
            counts[cell.value(for: .sessionOutcome), default: 0] += cell.rollup.count
        }
        return counts
    }
}
