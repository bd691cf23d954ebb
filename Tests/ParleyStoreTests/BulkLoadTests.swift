import Foundation
import ParleyCore
import ParleyStore
import XCTest

/// The bulk load the queries benchmark builds its data with: many turns of few sessions
/// and then their leads, all in one transaction. The sessions' metrics, spend, index
/// entries and cells are held back while the turns are logged and written once; the
/// leads read them back in the same transaction, so every aggregate must come out as
/// if each turn and lead had been its own call.
final class BulkLoadTests: StoreTestCase {
    func testOneLoadOfTurnsAndLeadsKeepsEveryAggregateAsSeparateCallsWould() async throws {
        let base: Millis = 1_736_467_200_000
        var turns: [Turn] = []
        for i in 0..<300 {
            // Six sessions of fifty turns each, interleaved, over two days and two personas.
            var t = turn("t\(i)", session: "s\(i % 6)", at: base + Millis(i) * 577_000, model: ["gpt-4o", "gpt-4o-mini"][i % 2])
            t.personaId = "p\(i % 3 == 0 ? 1 : 0)"
            turns.append(t)
        }
        // A retry of a turn of this load, and one conflicting with it, in the same load.
        turns.append(turns[10])
        var conflicting = turns[11]
        conflicting.aiResponse = "different"
        turns.append(conflicting)
        let leads = [Lead(organizationId: "org1", sessionId: "s2", name: "Ana", email: "ana@example.com", capturedAt: base + 40 * 577_000),
                     Lead(organizationId: "org1", sessionId: "s5", name: "Bo", email: "bo@example.com", capturedAt: base + 290 * 577_000),
                     Lead(organizationId: "org1", sessionId: "nope", name: "Cy", email: "cy@example.com", capturedAt: base)]

        let loaded = try openStore()
        defer { loaded.close() }
        let result = try await loaded.bulkLoad(turns: turns, leads: leads, receivedAt: base)
        XCTAssertEqual(result.turnsStored, 300)
        XCTAssertEqual(result.turnsDuplicate, 1)
        XCTAssertEqual(result.leadsCaptured, 2)
        XCTAssertEqual(result.refusedCount, 2, "\(result.refusals)")
        XCTAssertTrue(result.refusals.contains { $0.contains("t11") }, "\(result.refusals)")
        XCTAssertTrue(result.refusals.contains { $0.contains("nope") }, "\(result.refusals)")
        XCTAssertEqual(try loaded.aggregateMismatches(), [])

        // The same writes one call each, in a second store.
        var options = StoreOptions()
        options.durability = .nosync
        let oneByOne = try ParleyStore(path: directory + "/separate.db", options: options)
        defer { oneByOne.close() }
        for t in turns { _ = await oneByOne.logTurns([t], receivedAt: base) }
        for lead in leads { _ = try? await oneByOne.captureLead(lead, receivedAt: base) }

        for session in (0..<6).map({ "s\($0)" }) {
            let metrics = try XCTUnwrap(try loaded.sessionMetrics(organization: "org1", session: session))
            XCTAssertEqual(metrics.turnCount, 50, session)
            XCTAssertEqual(metrics, try oneByOne.sessionMetrics(organization: "org1", session: session), session)
            XCTAssertEqual(metrics.hasLead, session == "s2" || session == "s5", session)
        }
        let window = TimeWindow(since: base, until: base + 2 * 86_400_000)
        let query = ReportQuery(organization: "org1", window: window)
        XCTAssertEqual(try loaded.reportSessions(query), try oneByOne.reportSessions(query))
        XCTAssertEqual(try loaded.reportConversion(query), try oneByOne.reportConversion(query))
        XCTAssertEqual(try loaded.reportPersonas(query), try oneByOne.reportPersonas(query))
    }
}
