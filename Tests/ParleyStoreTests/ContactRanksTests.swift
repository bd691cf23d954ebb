import ParleyCore
@testable import ParleyStore
import XCTest

/// The Contacts report stops reading contacts once no unread one can reach its top N
/// (`rollups.month.contact_ranks`). Its answer must be the one of pricing every contact:
/// for any N, with ties, a model without a price, a price change inside the window,
/// windows inside one month and across two, and after a price is set or deleted.
final class ContactRanksTests: StoreTestCase {
    private let start: Millis = 1_698_796_800_000 // 2023-11-01 00:00 UTC

    /// 300 contacts over two months: a few heavy ones, many light ones with equal
    /// weights, each turn of one of three models (gpt-4o-mini has no price).
    private func filled() async throws -> ParleyStore {
        let store = try openStore()
        _ = try await store.setPrice(Price(modelPattern: "gpt-4o", inputNanosPerMTok: 2_500_000_000, outputNanosPerMTok: 10_000_000_000))
        _ = try await store.setPrice(Price(modelPattern: "claude*", inputNanosPerMTok: 3_000_000_000, outputNanosPerMTok: 15_000_000_000))
        var turns: [Turn] = []
        for i in 0..<3_000 {
            let contact = i % 7 == 0 ? i % 5 : 5 + i % 295
            var t = turn("t\(i)", session: "s\(i % 400)", at: start + Millis(i) * 1_800_000 + Millis((i * 7_919) % 1_000_000),
                         tokens: TokenCounts(input: contact < 5 ? 400 : 10, output: contact < 5 ? Int64(100 * (contact + 1)) : 20),
                         model: ["gpt-4o", "claude-3", "gpt-4o-mini"][i % 3])
            t.contactId = i % 97 == 0 ? "" : "c\(contact)"
            turns.append(t)
        }
        for chunk in stride(from: 0, to: turns.count, by: 500) {
            for result in await store.logTurns(Array(turns[chunk..<min(chunk + 500, turns.count)]), receivedAt: start) { _ = try accepted(result) }
        }
        return store
    }

    private func assertEqualToPricingEveryContact(_ store: ParleyStore, _ window: TimeWindow, file: StaticString = #filePath, line: UInt = #line) throws {
        let all = try store.usage(organization: "org1", query: UsageQuery(window: window, groupBy: [.contact], orderBy: .cost)).rows
            .filter { $0.group[0] != "" }
        XCTAssertGreaterThan(all.count, 10, file: file, line: line)
        for top in [1, 3, 20, all.count - 1, all.count + 10] {
            let report = try store.reportContacts(ReportQuery(organization: "org1", window: window, top: top))
            XCTAssertEqual(report.map(\.contactId), all.prefix(top).map { $0.group[0] }, "top \(top) of \(window)", file: file, line: line)
            XCTAssertEqual(report.map(\.cost), all.prefix(top).map(\.cost), "top \(top) of \(window)", file: file, line: line)
            XCTAssertEqual(report.map(\.interactions), all.prefix(top).map(\.count), "top \(top) of \(window)", file: file, line: line)
        }
    }

    func testTheTopContactsEqualPricingEveryContact() async throws {
        let store = try await filled()
        defer { store.close() }
        let windows = [TimeWindow(since: start + 3 * 86_400_000 + 12_345, until: start + 20 * 86_400_000 + 999),
                       TimeWindow(since: start + 10 * 86_400_000 + 1, until: start + 50 * 86_400_000 - 1),
                       ReportQuery.allTime]
        for window in windows { try assertEqualToPricingEveryContact(store, window) }
        // A price change inside the windows, then its removal: no rank moves, every cost does.
        let change = try await store.setPrice(Price(modelPattern: "gpt-4o", inputNanosPerMTok: 90_000_000_000, outputNanosPerMTok: 1,
                                                    effectiveFrom: start + 15 * 86_400_000 + 7_777))
        for window in windows { try assertEqualToPricingEveryContact(store, window) }
        try await store.deletePrice(modelPattern: change.modelPattern, effectiveFrom: change.effectiveFrom)
        for window in windows { try assertEqualToPricingEveryContact(store, window) }
        XCTAssertEqual(try store.aggregateMismatches(), [])
    }

    func testAFilteredReportPricesEveryContactOfTheFilter() async throws {
        let store = try await filled()
        defer { store.close() }
        let window = TimeWindow(since: start, until: start + 60 * 86_400_000)
        var query = ReportQuery(organization: "org1", window: window, top: 5)
        query.filters = [.model: ["claude-3"]]
        let expected = try store.usage(organization: "org1", query: UsageQuery(window: window, groupBy: [.contact], filters: [.model: ["claude-3"]], orderBy: .cost))
            .rows.filter { $0.group[0] != "" }.prefix(5)
        XCTAssertEqual(try store.reportContacts(query).map(\.contactId), expected.map { $0.group[0] })
    }
}
