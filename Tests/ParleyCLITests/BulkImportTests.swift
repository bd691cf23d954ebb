import Foundation
@testable import ParleyCLI
import ParleyCore
import ParleyLoad
import ParleyStore
import XCTest
import ParleyTestSupport

/// `parley import` of generated rows per seed table (SeedExport's layout): every row
/// stored, bad rows reported by their line among them, a second import storing nothing.
final class BulkImportTests: XCTestCase {
    /// 20k by default; PARLEY_IMPORT_TEST_ROWS=100000 runs the size (at least 7
    /// rows). At 100k in a debug build all three pass (session 7: turns, leads and metrics
    /// 367 s, the directory tables 39 s, messages 26 s), too long for every test run.
    static let rows = ProcessInfo.processInfo.environment["PARLEY_IMPORT_TEST_ROWS"].flatMap { Int($0) }.map { max(7, $0) } ?? 20_000
    /// Bad rows appended after the good ones, each with the reason its line must show.
    static let bad: [SeedExport.Table: [(line: String, reason: String)]] = [
        .aiConversations: [("t-bad1,acme,s-x,d-1,\\N,c-1,p-1,gpt-4o,q,a,ten,5,\\N,2026-11-03 10:00:00", "input_tokens: \"ten\" is not a whole number"),
                           ("t-bad2,acme,s-x,only,five,fields", "has 6 fields; the header has 14")],
        .messages: [("m-bad1,acme,c-1,d-1,s-1,sideways,hi,2026-11-03 10:00:00", "direction: \"sideways\" is neither inbound nor outbound"),
                    ("bad id,acme,c-1,d-1,s-1,inbound,hi,2026-11-03 10:00:00", "message_id: ")],
        .whatsappConnections: [("bad id,acme,Line,+1", "device_id: ")],
        .contacts: [("bad id,acme,Someone,+1", "contact_id: ")],
        .personas: [("bad id,acme,Someone,gpt-4o", "persona_id: ")],
        .leads: [("s-none,acme,Ada,ada@example.com,Acme,2026-11-03 10:00:00", "NOT_FOUND: session s-none")],
        .conversationMetrics: [("s-none,acme,2,1,Ada,ada@example.com,Acme,4.0", "NOT_FOUND: session s-none")],
    ]

    var server: ServerHarness!
    var directory: String!

    override func setUp() async throws {
        // The harness stops its server after `lifetime`; a debug build imports a few
        // thousand rows a second, so the lifetime grows with the size.
        server = try await ServerHarness.cliServer(lifetime: 120 + Double(Self.rows) / 100)
        directory = NSTemporaryDirectory() + "parley-bulk-import-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        await server?.stop()
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    var store: ParleyStore { server.instance!.store }

    /// Imports `table` twice and checks both summaries (the second stores nothing new:
    /// every row answers as already stored) and the bad rows' lines.
    func importTwice(_ table: SeedExport.Table) async throws {
        let path = "\(directory!)/\(table.rawValue).csv"
        let bad = Self.bad[table] ?? []
        let lines = try SeedExport.write(table, rows: Self.rows, organization: "acme", to: path, extraLines: bad.map(\.line))
        let read = Self.rows + bad.count
        let first = await server.parley(["import", path])
        XCTAssertEqual(first.code, 65, first.err)
        XCTAssertEqual(first.out, "\(table.rawValue) from \(path): \(read) rows read, \(Self.rows) stored, 0 already stored, \(bad.count) rejected\n", first.err)
        let reported = first.err.split(separator: "\n").filter { $0.hasPrefix("line ") }
        XCTAssertEqual(reported.count, bad.count, first.err)
        for (expected, line) in zip(bad, lines) {
            XCTAssertTrue(reported.contains { $0.hasPrefix("line \(line): \(expected.reason)") }, "line \(line) should say \(expected.reason): \(first.err)")
        }
        let second = await server.parley(["import", path])
        XCTAssertEqual(second.out, "\(table.rawValue) from \(path): \(read) rows read, 0 stored, \(Self.rows) already stored, \(bad.count) rejected\n", second.err)
    }

    func testTurnsLeadsAndMetrics() async throws {
        try await importTwice(.aiConversations)
        var turns = 0
        try store.turns(organization: "acme", window: TimeWindow(since: 0, until: .max)) { _ in turns += 1; return true }
        XCTAssertEqual(turns, Self.rows, "every turn stored once")
        let seventh = try store.turn(organization: "acme", id: "t-7")
        XCTAssertEqual(seventh?.userMessage, "Hi, is the \"premium\" plan\nstill 7?")
        XCTAssertEqual(seventh?.repliedAt, SeedExport.timeMs(7))

        try await importTwice(.leads)
        try await importTwice(.conversationMetrics)
        for i in [0, 3, Self.rows - 1] {
            let leads = try store.leads(organization: "acme", session: "s-\(i)")
            // Lead row i, then metrics row i when i % 3 == 0 (its has_lead): each once, however often imported.
            XCTAssertEqual(leads.map(\.email), Array(repeating: "lead\(i)@example.com", count: i % 3 == 0 ? 2 : 1), "session s-\(i)")
            XCTAssertEqual(try store.feedback(organization: "acme", session: "s-\(i)").map(\.score), [Int32(1 + i % 5)])
        }
    }

    func testMessages() async throws {
        try await importTwice(.messages)
        var messages = 0
        try store.messages(organization: "acme", window: TimeWindow(since: 0, until: .max)) { _ in messages += 1; return true }
        XCTAssertEqual(messages, Self.rows)
        XCTAssertEqual(try store.message(organization: "acme", id: "m-7")?.content, "Hello, \"there\" 7")
    }

    func testDirectoryTables() async throws {
        for table in [SeedExport.Table.whatsappConnections, .contacts, .personas] { try await importTwice(table) }
        for i in stride(from: 0, to: Self.rows, by: 997) + [Self.rows - 1] {
            XCTAssertEqual(try store.device(organization: "acme", id: "d-\(i)")?.name, "Line \(i)")
            XCTAssertEqual(try store.contact(organization: "acme", id: "c-\(i)")?.name, "Contact \(i)")
            XCTAssertEqual(try store.persona(organization: "acme", id: "p-\(i)")?.name, "Persona \(i)")
        }
    }
}
