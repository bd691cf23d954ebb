@testable import ParleyCLI
import ParleyWire
import XCTest
import ParleyTestSupport

/// `parley export`: flat JSON lines and CSV, from canned rows now and from the
/// streaming export RPCs once the analytics branch is merged.
final class ExportCommandTests: XCTestCase {
    func testTurnsFlattenToOneJSONObjectPerLine() throws {
        let turn = Fixture.turnMessage(Fixture.turns[0])
        XCTAssertEqual(FlatRecord.jsonLine(of: turn),
                       #"{"turn_id":"t-0","organization_id":"acme","session_id":"s-0","device_id":"d-1","message_id":"m-t-0","#
                       + #""contact_id":"c-1","persona_id":"p-sales","model":"gpt-4o","user_message":"question 0","ai_response":"answer 0","#
                       + #""tokens_input":100,"tokens_output":50,"user_message_at_ms":1793577600000,"replied_at_ms":1793577602000}"#)
        let columns = FlatRecord.columns(of: V1.Turn.self)
        XCTAssertEqual(Array(columns.prefix(3)), ["turn_id", "organization_id", "session_id"])
        XCTAssertTrue(columns.contains("tokens_cached_read"))
        XCTAssertEqual(FlatRecord.cells(of: turn, columns: columns)[columns.firstIndex(of: "tokens_input") ?? 0], "100")
    }

    func testSinkWritesCSVWithHeaderToAFile() throws {
        let path = NSTemporaryDirectory() + "parley-export-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try ExportSink(path: path, shape: .csv)
        try sink.begin(V1.Message.self)
        try sink.write(V1.Message(messageID: "m-1", direction: .inbound, content: "hi, \"you\"\nthere"))
        sink.close()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), """
        message_id,organization_id,contact_id,device_id,session_id,direction,content,created_at_ms
        m-1,,,,,1,"hi, ""you""
        there",

        """)
    }

    func liveServer() async throws -> ServerHarness {
        let server = try await ServerHarness.cliServer()
        let client = server.client()
        try await Fixture.load(into: client)
        await client.close()
        return server
    }

    func testExportTurnsLive() async throws {
        let server = try await liveServer()
        defer { Task { await server.stop() } }
        let result = await server.parley(["export", "turns"] + Fixture.windowArgs)
        XCTAssertEqual(result.code, 0, result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, Fixture.turnCount)
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(first["turn_id"] as? String, "t-0")
        XCTAssertEqual(first["tokens_input"] as? Int, 100)
        XCTAssertNil(first["tokens"], "no nested objects")
        let csv = await server.parley(["export", "turns", "--as", "csv"] + Fixture.windowArgs)
        XCTAssertEqual(csv.out.split(separator: "\n").count, Fixture.turnCount + 1)
    }

    func testExportMessagesLive() async throws {
        let server = try await liveServer()
        defer { Task { await server.stop() } }
        let result = await server.parley(["export", "messages"] + Fixture.windowArgs)
        XCTAssertEqual(result.code, 0, result.err)
        XCTAssertEqual(result.out.split(separator: "\n").count, Fixture.turnCount)
        XCTAssertTrue(result.out.hasPrefix(#"{"message_id":"m-t-0""#), result.out)
    }

    func testExportReportLive() async throws {
        let server = try await liveServer()
        defer { Task { await server.stop() } }
        let result = await server.parley(["export", "report", "models"] + Fixture.windowArgs)
        XCTAssertEqual(result.code, 0, result.err)
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, Fixture.models.count)
        XCTAssertTrue(lines.allSatisfy { $0.contains(#""cost_nanos":"#) }, result.out)
    }
}
