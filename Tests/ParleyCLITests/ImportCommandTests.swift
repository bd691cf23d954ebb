@testable import ParleyCLI
import ParleyWire
import XCTest
import ParleyTestSupport

/// `parley import` against a live server: bad rows reported by line and skipped, good
/// rows stored once however often the import runs, checkpoints honoured.
final class ImportCommandTests: XCTestCase {
    var server: ServerHarness!
    var directory: String!

    override func setUp() async throws {
        server = try await ServerHarness.cliServer()
        directory = NSTemporaryDirectory() + "parley-import-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        await server?.stop()
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Line 1 header; row 1001 spans lines 2-3 (a quoted line break); then one row a line.
    static let conversations = """
    id,organization_id,session_id,device_id,message_id,contact_id,persona_id,model,user_message,ai_response,input_tokens,output_tokens,tokens_used,created_at
    1001,acme,s-imp-1,d-1,\\N,c-1,p-sales,gpt-4o,"Hello, there","Hi! How can I help?
    Second line",10,20,0,2026-11-03 10:00:00
    1002,acme,s-imp-1,d-1,\\N,c-1,p-sales,gpt-4o,q2,a2,5,7,12,2026-11-03T10:05:00Z
    1003,acme,bad session,d-1,\\N,c-1,p-sales,gpt-4o,q3,a3,5,7,12,2026-11-03 10:06:00
    1004,acme,s-imp-2,\\N,\\N,\\N,\\N,gpt-4o,q4,a4,ten,5,\\N,2026-11-03 10:00:00
    1005,acme,s-imp-2,\\N,\\N,\\N,\\N,gpt-4o,q5,a5,1,2,3,yesterday
    1006,acme,s-imp-2,only,four
    1007,acme,s-imp-2,\\N,\\N,\\N,\\N,claude-3-5-haiku,q7,a7,3,4,\\N,1793700000000

    """

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func turn(_ id: String) async throws -> V1.Turn? {
        let key = V1.TurnKey(organizationID: "acme", turnID: id)
        let client = server.client()
        defer { Task { await client.close() } }
        do {
            return try await client.getTurn(key)
        } catch let e as RPCError where e.status == .notFound {
            return nil
        }
    }

    func testBadRowsReportedByLineAndGoodRowsStoredOnceAcrossRuns() async throws {
        let path = try write("ai_conversations.csv", Self.conversations)
        let first = await server.parley(["import", path])
        XCTAssertEqual(first.code, 65, "rejected rows make the exit code 65: \(first.err)")
        XCTAssertEqual(first.out, "ai_conversations from \(path): 7 rows read, 3 stored, 0 already stored, 4 rejected\n")
        // Rows the server rejects are reported when their batch returns, after the rows
        // rejected locally; sorted, they read in file order.
        let rejections = first.err.split(separator: "\n").filter { $0.hasPrefix("line ") }
            .sorted { Int($0.dropFirst(5).prefix { $0 != ":" }) ?? 0 < Int($1.dropFirst(5).prefix { $0 != ":" }) ?? 0 }
        XCTAssertEqual(rejections.count, 4, first.err)
        XCTAssertTrue(rejections[0].hasPrefix("line 5: session_id: "), first.err)
        XCTAssertEqual(rejections[1], "line 6: input_tokens: \"ten\" is not a whole number")
        XCTAssertTrue(rejections[2].hasPrefix("line 7: replied_at: \"yesterday\" is not a time"), first.err)
        XCTAssertEqual(rejections[3], "line 8: has 5 fields; the header has 14")

        let found = try await turn("1001")
        let stored = try XCTUnwrap(found)
        XCTAssertEqual(stored.userMessage, "Hello, there")
        XCTAssertEqual(stored.aiResponse, "Hi! How can I help?\nSecond line")
        XCTAssertEqual(stored.repliedAtMs, 1_793_700_000_000 - 1_793_700_000_000 % 86_400_000 + 10 * 3_600_000)
        XCTAssertEqual(stored.tokens?.total, 30, "tokens_used 0 becomes input + output")
        XCTAssertNil(stored.messageID, "\\N is NULL")
        let epoch = try await turn("1007")
        XCTAssertEqual(epoch?.repliedAtMs, 1_793_700_000_000)
        let missing = try await turn("1004")
        XCTAssertNil(missing)

        let second = await server.parley(["import", path])
        XCTAssertEqual(second.code, 65)
        XCTAssertEqual(second.out, "ai_conversations from \(path): 7 rows read, 0 stored, 3 already stored, 4 rejected\n")
        let session = await server.parley(["session", "s-imp-1", "--org", "acme", "--format", "json"])
        let metrics = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(session.out.utf8)) as? [String: Any])
        XCTAssertEqual(metrics["turn_count"] as? Int, 2, "each turn counted once after two imports")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".parley-checkpoint"), "a finished import leaves no checkpoint")
    }

    func testResumesAfterTheCheckpoint() async throws {
        let path = try write("ai_conversations.csv", Self.conversations)
        try "last_line=4\n".write(toFile: path + ".parley-checkpoint", atomically: true, encoding: .utf8)
        let result = await server.parley(["import", path])
        XCTAssertTrue(result.err.contains("resuming after line 4"), result.err)
        XCTAssertEqual(result.out, "ai_conversations from \(path): 5 rows read, 1 stored, 0 already stored, 4 rejected, 2 skipped\n")
        let skipped = try await turn("1001")
        XCTAssertNil(skipped)
        let resumed = try await turn("1007")
        XCTAssertNotNil(resumed)

        let fromLine = await server.parley(["import", path, "--resume-from", "4"])
        XCTAssertEqual(fromLine.out, "ai_conversations from \(path): 6 rows read, 1 stored, 1 already stored, 4 rejected, 1 skipped\n")
        let second = try await turn("1002")
        XCTAssertNotNil(second)
        let first = try await turn("1001")
        XCTAssertNil(first)
    }

    func testJSONLinesMessagesWithAColumnMap() async throws {
        let path = try write("messages.jsonl", """
        {"id":"m-x1","organization_id":"acme","contact_id":"c-1","conn":"d-1","direction":"incoming","body":"hi","created_at":"2026-11-03 09:59:58"}
        {"id":"m-x2","organization_id":"acme","contact_id":"c-1","conn":"d-1","direction":"sideways","body":"?","created_at":"2026-11-03 10:00:00"}
        not json

        """)
        let result = await server.parley(["import", path, "--map", "conn=device_id"])
        XCTAssertEqual(result.out, "messages from \(path): 3 rows read, 1 stored, 0 already stored, 2 rejected\n", result.err)
        XCTAssertTrue(result.err.contains("line 2: direction: \"sideways\" is neither inbound nor outbound"), result.err)
        XCTAssertTrue(result.err.contains("line 3: is not a JSON object"), result.err)
        let again = await server.parley(["import", path, "--map", "conn=device_id"])
        XCTAssertTrue(again.out.contains("0 stored, 1 already stored"), again.out)
        let badMap = await server.parley(["import", path, "--map", "conn=nowhere"])
        XCTAssertEqual(badMap.code, 64)
        XCTAssertTrue(badMap.err.contains("messages has no field \"nowhere\""), badMap.err)
    }

    func testDirectoryTablesAndMetrics() async throws {
        let devices = try write("whatsapp_connections.csv", "id,organization_id,device_name,phone_number,status\nd-9,acme,Night line,+15550009,active\n")
        let result = await server.parley(["import", devices])
        XCTAssertEqual(result.code, 0, result.err)
        XCTAssertTrue(result.err.contains("ignoring columns: status"), result.err)
        var key = V1.EntityKey(organizationID: "acme", id: "d-9")
        let client = server.client()
        let device = try await client.getDevice(key)
        XCTAssertEqual(device.name, "Night line")
        XCTAssertEqual(device.phoneNumber, "+15550009")

        let contacts = try write("contacts.csv", "id,name,phone_number\nc-9,Zoe,+15559999\n")
        let imported = await server.parley(["import", contacts, "--org", "acme"])
        XCTAssertEqual(imported.code, 0, imported.err)
        key.id = "c-9"
        let contact = try await client.getContact(key)
        XCTAssertEqual(contact.name, "Zoe")

        _ = try await client.logTurn(Fixture.turnMessage(Fixture.turns[0]))
        await client.close()
        let metrics = try write("conversation_metrics.csv",
                                "session_id,organization_id,total_messages,has_lead,lead_name,lead_email,lead_company,user_satisfaction\n"
                                + "s-0,acme,2,1,Ada,ada@example.com,Acme,4.4\n")
        let m = await server.parley(["import", metrics])
        XCTAssertEqual(m.code, 0, m.err)
        let session = await server.parley(["session", "s-0", "--org", "acme", "--format", "json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(session.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["lead_email"] as? String, "ada@example.com")
        XCTAssertEqual(object["user_satisfaction"] as? Double, 4)
    }

    func testUndetectableTableIsAUsageError() async throws {
        let path = try write("mystery.csv", "a,b\n1,2\n")
        let result = await server.parley(["import", path])
        XCTAssertEqual(result.code, 64)
        XCTAssertTrue(result.err.contains("name it with --table"), result.err)
    }

    func testCSVSplitting() {
        XCTAssertEqual(CSVReader.fields(of: #"a,"b,c","d ""q""",,e"#), ["a", "b,c", #"d "q""#, "", "e"])
        XCTAssertEqual(CSVReader.fields(of: "a,\"x\r\ny\"\r"), ["a", "x\r\ny"], "CRLF inside quotes stays, a final CR goes")
        XCTAssertNil(CSVReader.fields(of: #"a,"open"#))
    }
}

