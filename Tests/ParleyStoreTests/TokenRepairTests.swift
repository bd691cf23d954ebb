import ParleyCore
@testable import ParleyStore
import XCTest

final class TokenRepairTests: StoreTestCase {
    func testRepairFixesLegacyRowsAndKeepsRollupsAndSessionsConsistent() async throws {
        let store = try openStore()
        defer { store.close() }
        _ = try await store.upsertPersona(Persona(organizationId: "org1", personaId: "p1", name: "Sales"))
        var modelLess = turn("t1", model: "")
        modelLess.tokens = TokenCounts(input: 10, output: 20, total: 30)
        _ = try accepted(await log(store, modelLess))
        // A legacy import: tokens_used 0 with real input and output, as intake never stores it.
        let legacy = turn("t2", tokens: TokenCounts(input: 100, output: 50, total: 0))
        try await store.submit { txn in
            try txn.put(legacy, TreeLayout.turns, Keys.entity("org1", "t2"))
            try TurnIndexes(txn: txn).put(legacy)
            let sessions = SessionMetricsWriter(txn: txn)
            let metrics = try sessions.apply(legacy, to: try sessions.load(organization: "org1", session: legacy.sessionId), at: 1)
            try RollupWriter(txn: txn).add(legacy, sessionHasLead: metrics.hasLead)
            return .success(())
        }
        _ = try await store.upsertPersona(Persona(organizationId: "org1", personaId: "p1", name: "Sales", defaultModel: "gpt-4o"))

        let result = try await store.repairTokens(organization: "org1")
        XCTAssertEqual(result, RepairResult(examined: 2, tokensFixed: 1, modelsFilled: 1))
        XCTAssertEqual(try store.turn(organization: "org1", id: "t2")?.tokens?.total, 150)
        XCTAssertEqual(try store.turn(organization: "org1", id: "t1")?.model, "gpt-4o")
        let models = try store.reportModels(ReportQuery(organization: "org1", window: ReportQuery.allTime))
        XCTAssertEqual(models.rows.map(\.model), ["gpt-4o"])
        XCTAssertEqual(models.rows.first?.totalTokens, 180)
        XCTAssertEqual(try store.sessionMetrics(organization: "org1", session: "s1")?.totalTokens, 180)
        let again = try await store.repairTokens(organization: "org1")
        XCTAssertEqual(again, RepairResult(examined: 2, tokensFixed: 0, modelsFilled: 0), "a second run changes nothing")
        try assertClean(store)
    }
}
