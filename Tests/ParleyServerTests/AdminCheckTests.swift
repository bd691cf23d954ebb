import ParleyClient
import ParleyCore
@testable import ParleyStore
import ParleyTestSupport
import ParleyWire
import XCTest

/// The Check RPC (what `parley admin check` calls) runs the store's aggregate checks
/// after the page walk and names a wrong aggregate in its final message.
final class AdminCheckTests: XCTestCase {
    func testTheCheckRPCNamesAWrongAggregateAndPassesAGoodStore() async throws {
        let harness = try await ServerHarness.startWithStore()
        let client = harness.client()
        let store = try XCTUnwrap(harness.instance).store
        let turns = (0..<4).map { i in
            Turn(turnId: "t\(i)", organizationId: "acme", sessionId: "s\(i % 2)", deviceId: "d1", contactId: "c1", personaId: "p1",
                 model: "gpt-4o", userMessage: "hello", aiResponse: "hi", tokens: TokenCounts(input: 10, output: 20),
                 userMessageAt: 1_700_000_000_000 + Millis(i) * 60_000, repliedAt: 1_700_000_000_500 + Millis(i) * 60_000)
        }
        for result in await store.logTurns(turns, receivedAt: 1_700_000_300_000) {
            guard case .accepted = result else { return XCTFail("refused: \(result)") }
        }
        func finalMessage() async throws -> String {
            var final: V1.Progress?
            for try await p in client.stream(ParleyRPC.check, V1.Empty()) { final = p }
            XCTAssertEqual(final?.finished, true)
            return final?.message ?? "no check result"
        }
        let good = try await finalMessage()
        XCTAssertTrue(good.hasPrefix("clean:") && good.hasSuffix("every aggregate equals its rebuild"), good)

        try store.database.write { txn in
            XCTAssertTrue(try XCTUnwrap(try txn.tree(TreeLayout.sessionSpend)).delete(Keys.entity("acme", "s1")))
        }
        let bad = try await finalMessage()
        XCTAssertFalse(bad.hasPrefix("clean"), bad)
        // The session's conversion cells (its quarter and day) are checked against the
        // stored spend, so they differ from that rebuild too.
        XCTAssertTrue(bad.contains("3 aggregate mismatches: sessions.spend of organization \"acme\", key (\"s1\"): expected 2 entries, entry 0 "), bad)
        XCTAssertTrue(bad.contains("(rebuilt), found none; sessions.conversion_cells of organization \"acme\", key (quarter, "), bad)
        await client.close()
        await harness.stop()
    }
}
