import ParleyCore
@testable import ParleyStore
import XCTest

/// The store's check (what `parley admin check` and the Check RPC run) compares every
/// aggregate with its rebuild. The damage is made below the store, through the storage
/// layer, as a bug in a writer would leave it.
final class AggregateCheckTests: StoreTestCase {
    private func filled() async throws -> ParleyStore {
        let store = try openStore()
        for i in 0..<6 {
            _ = try accepted(await log(store, turn("t\(i)", session: "s\(i % 2)", at: 1_700_000_000_000 + Millis(i) * 600_000)))
        }
        return store
    }

    func testAGoodStorePassesWithEveryAggregateChecked() async throws {
        let store = try await filled()
        defer { store.close() }
        let report = try store.check()
        XCTAssertTrue(report.aggregatesChecked)
        XCTAssertEqual(report.aggregateProblems, [])
        XCTAssertTrue(report.isClean, report.summary)
        XCTAssertTrue(report.summary.hasSuffix("every aggregate equals its rebuild"), report.summary)
    }

    func testAWrongDayCellFailsNamingTheCellAndBothValues() async throws {
        let store = try await filled()
        defer { store.close() }
        let time: Millis = 1_700_000_000_000
        let day = CellLevel.day.start(of: time)
        let key = Keys.rollupByTime("org1", .model, day, "gpt-4o", "gpt-4o")
        try store.database.write { txn in
            let tree = try XCTUnwrap(try txn.tree(TreeLayout.rollupsByTime(.day)))
            var cell = try RecordCoder.decode(CellRollup.self, from: try XCTUnwrap(try tree.get(key)))
            XCTAssertEqual(cell.count, 6)
            cell.count = 7
            try tree.put(key, RecordCoder.encode(cell))
        }
        let report = try store.check()
        XCTAssertFalse(report.isClean)
        XCTAssertEqual(report.problems, [], "the pages are sound; only the aggregate is wrong")
        let mismatch = try XCTUnwrap(report.aggregateProblems.first)
        XCTAssertEqual(report.aggregateProblems.count, 1, report.summary)
        XCTAssertEqual(mismatch.organization, "org1")
        XCTAssertEqual(mismatch.aggregate, "rollups.day.by_time")
        XCTAssertEqual(mismatch.key, "(model, day, \(day), \"gpt-4o\", \"gpt-4o\")")
        XCTAssertTrue(mismatch.expected.contains("count: 6"), mismatch.expected)
        XCTAssertTrue(mismatch.found.contains("count: 7"), mismatch.found)
        XCTAssertTrue(report.summary.contains("1 aggregate mismatches: rollups.day.by_time of organization \"org1\""), report.summary)
    }

    func testAMissingSessionSpendFailsNamingTheSession() async throws {
        let store = try await filled()
        defer { store.close() }
        try store.database.write { txn in
            XCTAssertTrue(try XCTUnwrap(try txn.tree(TreeLayout.sessionSpend)).delete(Keys.entity("org1", "s1")))
        }
        let report = try store.check()
        let mismatch = try XCTUnwrap(report.aggregateProblems.first)
        // The conversion cells are checked against the stored spend, so the cells of
        // s1's start (its quarter and its day) differ from that rebuild too.
        XCTAssertEqual(report.aggregateProblems.map(\.aggregate), ["sessions.spend", "sessions.conversion_cells", "sessions.conversion_cells"],
                       report.summary)
        XCTAssertEqual(mismatch.aggregate, "sessions.spend")
        XCTAssertEqual(mismatch.key, "(\"s1\")")
        XCTAssertTrue(mismatch.expected.hasPrefix("3 entries, entry 0 "), mismatch.expected)
        XCTAssertTrue(mismatch.expected.contains("t1"), mismatch.expected)
        XCTAssertEqual(mismatch.found, "none")
        XCTAssertFalse(report.isClean)
    }

    func testAStartIndexEntryOfTheOldShapeFailsNamingTheSession() async throws {
        let store = try await filled()
        defer { store.close() }
        let start = try XCTUnwrap(try store.sessionMetrics(organization: "org1", session: "s0")?.conversationStart)
        try store.database.write { txn in
            // The format-4 value: the lead flag alone, as an upgrade that skipped 4 -> 5 leaves it.
            let index = try XCTUnwrap(try txn.tree(TreeLayout.sessionsByStart))
            XCTAssertNotNil(try index.get(Keys.timed("org1", start, "s0")))
            try index.put(Keys.timed("org1", start, "s0"), [0])
        }
        let report = try store.check()
        let mismatch = try XCTUnwrap(report.aggregateProblems.first)
        XCTAssertEqual(report.aggregateProblems.count, 1, report.summary)
        XCTAssertEqual(mismatch.aggregate, "sessions.by_start")
        XCTAssertEqual(mismatch.key, "(\(start), \"s0\")")
        XCTAssertTrue(mismatch.expected.hasPrefix("lead false, messages 6, tokens 90"), mismatch.expected)
        XCTAssertEqual(mismatch.found, "an undecodable value of 1 bytes")
    }

    func testAWrongSessionStartCellFailsNamingTheCellAndBothValues() async throws {
        let store = try await filled()
        defer { store.close() }
        let start = try XCTUnwrap(try store.sessionMetrics(organization: "org1", session: "s0")?.conversationStart)
        let day = CellLevel.day.start(of: start)
        try store.database.write { txn in
            let cells = try XCTUnwrap(try txn.tree(TreeLayout.sessionStartCells))
            let key = Keys.sessionStartCell("org1", .day, day)
            var cell = try SessionStartCell(decoding: try XCTUnwrap(try cells.get(key)))
            XCTAssertEqual(cell.sessions, 2)
            cell.totalMessages += 1
            try cells.put(key, cell.bytes)
        }
        let report = try store.check()
        let mismatch = try XCTUnwrap(report.aggregateProblems.first)
        XCTAssertEqual(report.aggregateProblems.count, 1, report.summary)
        XCTAssertEqual(mismatch.aggregate, "sessions.start_cells")
        XCTAssertEqual(mismatch.key, "(day, \(day))")
        XCTAssertTrue(mismatch.expected.hasPrefix("sessions 2, with lead 0, messages 12, tokens 180"), mismatch.expected)
        XCTAssertTrue(mismatch.found.hasPrefix("sessions 2, with lead 0, messages 13,"), mismatch.found)
        XCTAssertFalse(report.isClean)
    }

    func testAStaleContactRankFailsNamingBothEntries() async throws {
        let store = try await filled()
        defer { store.close() }
        let month = CellLevel.month.start(of: 1_700_000_000_000)
        // Six turns of 10 input and 20 output tokens each, all of contact c1 (StoreTestCase's turn).
        let right = ContactRanks.key(organization: "org1", month: month, model: "gpt-4o", weight: 180, contact: "c1")
        let stale = ContactRanks.key(organization: "org1", month: month, model: "gpt-4o", weight: 150, contact: "c1")
        try store.database.write { txn in
            let ranks = try XCTUnwrap(try txn.tree(TreeLayout.contactRanks))
            XCTAssertEqual(try ranks.scan().map(\.key), [right])
            XCTAssertTrue(try ranks.delete(right))
            try ranks.put(stale, [])
        }
        let report = try store.check()
        XCTAssertEqual(report.aggregateProblems.map(\.key), ["(\(month), \"gpt-4o\", 180, \"c1\")", "(\(month), \"gpt-4o\", 150, \"c1\")"], report.summary)
        XCTAssertEqual(report.aggregateProblems.map(\.aggregate), ["rollups.month.contact_ranks", "rollups.month.contact_ranks"])
        XCTAssertEqual(report.aggregateProblems.map(\.expected), ["present", "none"])
        XCTAssertEqual(report.aggregateProblems.map(\.found), ["none", "present"])
        XCTAssertFalse(report.isClean)
    }

    func testAWrongConversionCellFailsNamingTheCellAndBothValues() async throws {
        let store = try await filled()
        defer { store.close() }
        let day = CellLevel.day.start(of: 1_700_000_000_000)
        let key = Keys.conversionCell("org1", .day, day, .persona("p1"))
        try store.database.write { txn in
            let cells = try XCTUnwrap(try txn.tree(TreeLayout.conversionCells))
            var cell = try ConversionCell(decoding: try XCTUnwrap(try cells.get(key)))
            XCTAssertEqual(cell.sessions, 2)
            cell.spent(TokenCounts(input: 1), on: ConversionCell.SpendSlot(model: "gpt-4o", day: day))
            try cells.put(key, cell.bytes)
        }
        let report = try store.check()
        let mismatch = try XCTUnwrap(report.aggregateProblems.first)
        XCTAssertEqual(report.aggregateProblems.count, 1, report.summary)
        XCTAssertEqual(mismatch.aggregate, "sessions.conversion_cells")
        XCTAssertEqual(mismatch.key, "(day, \(day), persona \"p1\")")
        // Two sessions of three turns of 10 input and 20 output tokens, on one day.
        XCTAssertEqual(mismatch.expected, "sessions 2, leads 0, time to lead 0/0, turns to lead 0/0, spend [gpt-4o@\(day): 60/120/0/0/180]")
        XCTAssertEqual(mismatch.found, "sessions 2, leads 0, time to lead 0/0, turns to lead 0/0, spend [gpt-4o@\(day): 61/120/0/0/180]")
        XCTAssertFalse(report.isClean)
    }
}
