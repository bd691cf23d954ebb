import ParleyCore
import ParleyStore
import XCTest

final class SessionListingTests: StoreTestCase {
    func testPagesNewestFirstWithFiltersAndCounts() async throws {
        let store = try openStore()
        defer { store.close() }
        let base: Millis = 1_700_000_000_000
        var turns: [Turn] = []
        for index in 0..<25 {
            turns.append(turn("t\(index)", session: "s\(index)", at: base + Millis(index) * 60_000))
        }
        _ = await store.logTurns(turns, receivedAt: base)
        for index in stride(from: 0, to: 25, by: 5) {
            _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "s\(index)", name: "n"), receivedAt: base)
        }

        var seen: [String] = []
        var token: String?
        repeat {
            let page = try store.listSessionMetrics(organization: "org1", window: nil, hasLead: nil, pageSize: 7, pageToken: token)
            XCTAssertLessThanOrEqual(page.sessions.count, 7)
            seen += page.sessions.map(\.sessionId)
            token = page.nextPageToken
        } while token != nil
        XCTAssertEqual(seen, (0..<25).reversed().map { "s\($0)" })

        let leads = try store.listSessionMetrics(organization: "org1", window: nil, hasLead: true, pageSize: 100, pageToken: nil)
        XCTAssertEqual(leads.sessions.map(\.sessionId), ["s20", "s15", "s10", "s5", "s0"])
        XCTAssertNil(leads.nextPageToken)
        XCTAssertEqual(try store.countSessionMetrics(organization: "org1", window: nil, hasLead: false), 20)
        // The window is by conversation start: turn "tN" started 500 ms before its reply.
        let window = TimeWindow(since: base + 5 * 60_000 - 500, until: base + 10 * 60_000 - 500)
        XCTAssertEqual(try store.countSessionMetrics(organization: "org1", window: window, hasLead: nil), 5)
        XCTAssertEqual(try store.listSessionMetrics(organization: "org1", window: window, hasLead: true, pageSize: 0, pageToken: nil).sessions.map(\.sessionId), ["s5"])
        XCTAssertEqual(try store.countSessionMetrics(organization: "org2", window: nil, hasLead: nil), 0)
    }

    func testBadPageTokenAndSizeAreInvalid() throws {
        let store = try openStore()
        defer { store.close() }
        for token in ["nonsense", "s1.zz", "s1.0001"] {
            XCTAssertThrowsError(try store.listSessionMetrics(organization: "org1", window: nil, hasLead: nil, pageSize: 10, pageToken: token)) { error in
                guard case StoreError.invalid(let validation) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(validation.violations.map(\.field), ["page_token"])
            }
        }
        XCTAssertThrowsError(try store.listSessionMetrics(organization: "org1", window: nil, hasLead: nil, pageSize: 5_000, pageToken: nil))
    }
}
