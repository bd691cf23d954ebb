import Foundation
import ParleyClient
import ParleyWire
import XCTest
import ParleyTestSupport

/// LogMessages (40) and UpsertDirectory (41) through the typed client: a result per item
/// in request order, bad items refused alone, retries answered as duplicates.
final class BulkServiceTests: XCTestCase {
    var harness: ServerHarness!
    var client: ParleyClient!

    override func setUp() async throws {
        harness = try await ServerHarness.startWithStore()
        client = harness.client()
    }

    override func tearDown() async throws {
        await client?.close()
        await harness?.stop()
    }

    static func message(_ id: String, _ content: String = "hello") -> V1.Message {
        V1.Message(messageID: id, organizationID: "acme", contactID: "c-1", deviceID: "d-1", sessionID: "s-1",
                   direction: .inbound, content: content, createdAtMs: 1_793_700_000_000)
    }

    func testLogMessagesAnswersEachItemInOrder() async throws {
        let batch = [Self.message("m-1"), Self.message(""), Self.message("m-3")]
        let first = try await client.logMessages(V1.LogMessagesRequest(messages: batch))
        XCTAssertEqual(first.items.map(\.status), [0, 3, 0])
        XCTAssertEqual(first.items.map(\.id), ["m-1", nil, "m-3"])
        XCTAssertEqual(first.items.map(\.duplicate), [false, nil, false])
        XCTAssertEqual(first.items[1].violations.map(\.field), ["messages[1].message_id"])

        let again = try await client.logMessages(V1.LogMessagesRequest(messages: [Self.message("m-3"), Self.message("m-1", "other")]))
        XCTAssertEqual(again.items.map(\.status), [0, 6], "a retry is a duplicate; the same id with new content is ALREADY_EXISTS")
        XCTAssertEqual(again.items[0].duplicate, true)

        let thread = try await client.contactThread(V1.ThreadRequest(organizationID: "acme", contactID: "c-1"))
        XCTAssertEqual(Set(thread.entries.compactMap { $0.message?.messageID }), ["m-1", "m-3"])
    }

    func testOversizedBatchIsRefusedWhole() async throws {
        let batch = (0...1_000).map { Self.message("m-\($0)") }
        do {
            _ = try await client.logMessages(V1.LogMessagesRequest(messages: batch))
            XCTFail("1001 messages must be refused")
        } catch let e as RPCError {
            XCTAssertEqual(e.status, .invalidArgument)
            XCTAssertEqual(e.violations.map(\.field), ["messages"])
        }
    }

    func testUpsertDirectoryTakesEachKindAndOneRecordPerRow() async throws {
        var rows = [V1.DirectoryRow(device: V1.Device(organizationID: "acme", deviceID: "d-1", name: "Front desk")),
                    V1.DirectoryRow(contact: V1.Contact(organizationID: "acme", contactID: "c-1", name: "Bo")),
                    V1.DirectoryRow(persona: V1.Persona(organizationID: "acme", personaID: "p 1", name: "Sales")),
                    V1.DirectoryRow(widget: V1.Widget(organizationID: "acme", widgetID: "w-1", name: "Site")),
                    V1.DirectoryRow()]
        var two = V1.DirectoryRow(device: V1.Device(organizationID: "acme", deviceID: "d-2"))
        two.contact = V1.Contact(organizationID: "acme", contactID: "c-2")
        rows.append(two)
        let first = try await client.upsertDirectory(V1.UpsertDirectoryRequest(rows: rows))
        XCTAssertEqual(first.items.map(\.status), [0, 0, 3, 0, 3, 3])
        XCTAssertEqual(first.items[2].violations.map(\.field), ["rows[2].persona.persona_id"])
        XCTAssertEqual(first.items[4].violations.map(\.field), ["rows[4]"])
        XCTAssertTrue(first.items[5].message?.contains("device and contact") == true, first.items[5].message ?? "")
        let device = try await client.getDevice(V1.EntityKey(organizationID: "acme", id: "d-1"))
        XCTAssertEqual(device.name, "Front desk")

        rows[0].device?.name = "Reception"
        let again = try await client.upsertDirectory(V1.UpsertDirectoryRequest(rows: Array(rows[0..<4])))
        XCTAssertEqual(again.items.map(\.status), [0, 0, 3, 0])
        XCTAssertEqual(again.items.map(\.duplicate), [false, true, nil, true], "unchanged rows are duplicates, a changed one is stored")
        let renamed = try await client.getDevice(V1.EntityKey(organizationID: "acme", id: "d-1"))
        XCTAssertEqual(renamed.name, "Reception")
    }
}
