import ParleyCore
import ParleyStorage
import ParleyStore
import XCTest

final class SchemaVersionTests: StoreTestCase {
    /// A file of the layout before packed text (store format 2) is refused at open with
    /// both versions and the upgrade command named, and `parleyd upgrade`'s steps from 2
    /// leave every turn and message reading as before.
    func testFormatTwoIsRefusedThenUpgradedWithTextIntact() async throws {
        let reply = String(repeating: "Our plan costs $49 a month. ", count: 30)
        do {
            let store = try openStore()
            var t = turn("t1")
            t.aiResponse = reply
            _ = try accepted(await log(store, t))
            _ = try await store.logMessage(Message(messageId: "m1", organizationId: "org1", contactId: "c1", direction: .inbound,
                                                   content: reply), receivedAt: 1_700_000_000_000)
            store.close()
        }
        let database = try Database(path: path)
        try database.write { txn in
            let meta = try XCTUnwrap(try txn.tree("meta"))
            XCTAssertEqual(try meta.get(Array("schema_version".utf8)), [StoreFormat.current])
            try meta.put(Array("schema_version".utf8), [2])
        }
        database.close()
        XCTAssertThrowsError(try openStore()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("store format version 2, older than this build's \(StoreFormat.current)"), message)
            XCTAssertTrue(message.contains("parleyd upgrade"), message)
        }
        let outcomes = try StoreUpgrade.run(databasePath: path)
        XCTAssertEqual(outcomes.first?.to, StoreFormat.current)
        XCTAssertTrue(outcomes.allSatisfy { $0.check?.isClean == true })
        let store = try openStore()
        defer { store.close() }
        XCTAssertEqual(try store.turn(organization: "org1", id: "t1")?.aiResponse, reply)
        XCTAssertEqual(try store.message(organization: "org1", id: "m1")?.content, reply)
    }

    /// A file of format 4 (its `sessions.by_start` values the lead flag alone) is
    /// upgraded by the 4 -> 5 step: every entry carries its session's summary again, the
    /// Sessions report is the one of before and the store's check finds every aggregate
    /// equal to its rebuild.
    func testFormatFourIsUpgradedToSessionStartSummaries() async throws {
        let window = TimeWindow(since: 1_699_990_000_000, until: 1_700_100_000_000)
        let before: SessionsReport
        do {
            let store = try openStore()
            for i in 0..<9 {
                _ = try accepted(await log(store, turn("t\(i)", session: "s\(i % 4)", at: 1_700_000_000_000 + Millis(i) * 900_000)))
            }
            _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "s1", name: "Ann"), receivedAt: 1_700_050_000_000)
            _ = try await store.recordFeedback(Feedback(organizationId: "org1", sessionId: "s2", turnId: "t2", score: 4), receivedAt: 1_700_050_000_000)
            before = try store.reportSessions(ReportQuery(organization: "org1", window: window))
            XCTAssertEqual(before.sessions, 4)
            store.close()
        }
        try rewind(to: 4) { txn in
            let index = try XCTUnwrap(try txn.tree("sessions.by_start"))
            let entries = try index.scan()
            XCTAssertEqual(entries.count, 4)
            for (key, value) in entries { try index.put(key, [value[0]]) }
        }
        let store = try openStore()
        defer { store.close() }
        XCTAssertEqual(try store.reportSessions(ReportQuery(organization: "org1", window: window)), before)
        let check = try store.check()
        XCTAssertTrue(check.aggregatesChecked && check.isClean, check.summary)
    }

    /// Stored turns keep their text exactly, packed or not, through close and reopen.
    func testTurnTextSurvivesReopenExactly() async throws {
        let texts = ["", "short", String(repeating: "Our plan costs $49 a month. ", count: 40),
                     String(repeating: "你好🙂 e\u{301} ", count: 300), String(repeating: "x", count: 60_000)]
        do {
            let store = try openStore(durability: .sync)
            for (i, text) in texts.enumerated() {
                var t = turn("t\(i)")
                t.userMessage = text
                t.aiResponse = String(text.reversed())
                _ = try accepted(await log(store, t))
            }
            try assertClean(store)
            store.close()
        }
        let store = try openStore()
        defer { store.close() }
        for (i, text) in texts.enumerated() {
            let stored = try XCTUnwrap(try store.turn(organization: "org1", id: "t\(i)"))
            XCTAssertEqual(stored.userMessage, text)
            XCTAssertEqual(stored.aiResponse, String(text.reversed()))
        }
        try assertClean(store)
    }

    /// A file of format 5 (no `sessions.start_cells`) is upgraded by the 5 -> 6 step:
    /// the cells are built from the start index, the Sessions report is the one of
    /// before over windows with partial and whole cells, and the check finds every cell
    /// equal to its rebuild.
    func testFormatFiveIsUpgradedToSessionStartCells() async throws {
        let windows = [TimeWindow(since: 1_699_990_000_000, until: 1_700_100_000_000),
                       TimeWindow(since: 1_700_000_000_001, until: 1_700_004_000_000), TimeWindow(since: .min, until: .max)]
        let before: [SessionsReport]
        do {
            let store = try openStore()
            for i in 0..<9 {
                _ = try accepted(await log(store, turn("t\(i)", session: "s\(i % 4)", at: 1_700_000_000_000 + Millis(i) * 900_000)))
            }
            _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "s1", name: "Ann"), receivedAt: 1_700_050_000_000)
            _ = try await store.recordFeedback(Feedback(organizationId: "org1", sessionId: "s2", turnId: "t2", score: 4), receivedAt: 1_700_050_000_000)
            before = try windows.map { try store.reportSessions(ReportQuery(organization: "org1", window: $0)) }
            XCTAssertEqual(before[0].sessions, 4)
            XCTAssertEqual(before[0].ratedSessions, 1)
            store.close()
        }
        try rewind(to: 5) { txn in
            XCTAssertFalse(try XCTUnwrap(try txn.tree("sessions.start_cells")).scan().isEmpty)
            try txn.dropTree("sessions.start_cells")
        }
        let store = try openStore()
        defer { store.close() }
        XCTAssertEqual(try windows.map { try store.reportSessions(ReportQuery(organization: "org1", window: $0)) }, before)
        let check = try store.check()
        XCTAssertTrue(check.aggregatesChecked && check.isClean, check.summary)
    }

    /// A file of format 6 (no `rollups.month.contact_ranks`) is upgraded by the 6 -> 7
    /// step: the ranks are built from the month cells, the Contacts report is the one of
    /// before, and the check finds every rank entry equal to its rebuild.
    func testFormatSixIsUpgradedToContactRanks() async throws {
        let window = TimeWindow(since: 1_699_990_000_000, until: 1_700_100_000_000)
        let before: [ContactCost]
        do {
            let store = try openStore()
            _ = try await store.setPrice(Price(modelPattern: "gpt-4o", inputNanosPerMTok: 2_500_000_000, outputNanosPerMTok: 10_000_000_000))
            for i in 0..<12 {
                var t = turn("t\(i)", session: "s\(i % 4)", at: 1_700_000_000_000 + Millis(i) * 900_000)
                t.contactId = "c\(i % 3)"
                t.tokens = TokenCounts(input: Int64(10 * (i + 1)), output: Int64(i))
                _ = try accepted(await log(store, t))
            }
            before = try store.reportContacts(ReportQuery(organization: "org1", window: window))
            XCTAssertEqual(before.map(\.contactId), ["c2", "c1", "c0"])
            store.close()
        }
        try rewind(to: 6) { txn in
            XCTAssertEqual(try XCTUnwrap(try txn.tree("rollups.month.contact_ranks")).scan().count, 3)
            try txn.dropTree("rollups.month.contact_ranks")
        }
        let store = try openStore()
        defer { store.close() }
        XCTAssertEqual(try store.reportContacts(ReportQuery(organization: "org1", window: window)), before)
        let check = try store.check()
        XCTAssertTrue(check.aggregatesChecked && check.isClean, check.summary)
    }

    /// A file of format 7 (no `sessions.conversion_cells`) is upgraded by the 7 -> 8
    /// step: the cells are built from the sessions' metrics and spend, the Conversion
    /// report is the one of before over windows with partial and whole cells, and the
    /// check finds every cell equal to its rebuild.
    func testFormatSevenIsUpgradedToConversionCells() async throws {
        let windows = [TimeWindow(since: 1_699_990_000_000, until: 1_700_100_000_000),
                       TimeWindow(since: 1_700_000_000_001, until: 1_700_004_000_000), TimeWindow(since: .min, until: .max)]
        let before: [ConversionReport]
        do {
            let store = try openStore()
            _ = try await store.setPrice(Price(modelPattern: "gpt-4o", inputNanosPerMTok: 2_500_000_000, outputNanosPerMTok: 10_000_000_000))
            for i in 0..<12 {
                var t = turn("t\(i)", session: "s\(i % 4)", at: 1_700_000_000_000 + Millis(i) * 900_000)
                t.personaId = "p\(i % 3)"
                t.tokens = TokenCounts(input: Int64(10 * (i + 1)), output: Int64(i))
                _ = try accepted(await log(store, t))
            }
            _ = try await store.captureLead(Lead(organizationId: "org1", sessionId: "s1", name: "Ann", capturedAt: 1_700_004_000_000),
                                            receivedAt: 1_700_050_000_000)
            before = try windows.map { try store.reportConversion(ReportQuery(organization: "org1", window: $0)) }
            XCTAssertEqual(before[0].sessions, 4)
            XCTAssertEqual(before[0].sessionsWithLead, 1)
            XCTAssertEqual(before[0].personas.count, 3)
            store.close()
        }
        try rewind(to: 7) { txn in
            XCTAssertFalse(try XCTUnwrap(try txn.tree("sessions.conversion_cells")).scan().isEmpty)
            try txn.dropTree("sessions.conversion_cells")
        }
        let store = try openStore()
        defer { store.close() }
        XCTAssertEqual(try windows.map { try store.reportConversion(ReportQuery(organization: "org1", window: $0)) }, before)
        let check = try store.check()
        XCTAssertTrue(check.aggregatesChecked && check.isClean, check.summary)
    }

    /// Turns the closed store file back into format `version`: `undo` takes out what the
    /// later formats added, then the version is stamped. Opening must then be refused
    /// naming both versions, and `parleyd upgrade` must run exactly the steps from
    /// `version` to the current one.
    private func rewind(to version: UInt8, file: StaticString = #filePath, line: UInt = #line, _ undo: (WriteTransaction) throws -> Void) throws {
        let database = try Database(path: path)
        try database.write { txn in
            try undo(txn)
            try XCTUnwrap(try txn.tree("meta")).put(Array("schema_version".utf8), [version])
        }
        database.close()
        XCTAssertThrowsError(try openStore(), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains("store format version \(version), older than this build's \(StoreFormat.current)"), "\(error)", file: file, line: line)
        }
        let outcomes = try StoreUpgrade.run(databasePath: path)
        XCTAssertEqual(outcomes.first?.steps, Self.stepSummaries.filter { $0.from >= version }.map(\.summary), file: file, line: line)
    }

    private static let stepSummaries: [(from: UInt8, summary: String)] = [
        (4, "4 -> 5: each session's start-index entry carries the totals the Sessions report sums"),
        (5, "5 -> 6: the sessions' start summaries summed per cell, for the Sessions report's totals"),
        (6, "6 -> 7: the contacts' month cells ranked by priced tokens, for the Contacts report's top N"),
        (7, "7 -> 8: the sessions' leads and per-persona tokens summed per start cell, for the Conversion report"),
    ]
}
