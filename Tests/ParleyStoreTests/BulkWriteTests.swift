import ParleyCore
import ParleyStore
import XCTest

/// logMessages and upsertDirectory: one commit per batch, a result per item, bad items
/// leaving no trace and not failing their neighbours, retries answered as duplicates.
final class BulkWriteTests: StoreTestCase {
    func testMessageBatchIsOneCommitWithAResultPerItem() async throws {
        let store = try openStore()
        defer { store.close() }
        let good = (0..<50).map { i in
            Message(messageId: "m\(i)", organizationId: "org1", contactId: "c1", sessionId: "s1", direction: .inbound, content: "hi \(i)", createdAt: 1_000 + Int64(i))
        }
        let bad = Message(messageId: "bad id", organizationId: "org1", contactId: "c1", direction: .inbound, content: "x")
        let commitsBefore = store.writerStatistics.commits
        let first = await store.logMessages(Array(good[0..<25]) + [bad] + Array(good[25...]), receivedAt: 5_000)
        XCTAssertEqual(store.writerStatistics.commits - commitsBefore, 1, "the batch is one transaction")
        XCTAssertEqual(first.count, 51)
        XCTAssertEqual(first.filter { (try? $0.get()) == .stored }.count, 50)
        guard case .failure(.invalid(let error)) = first[25] else { return XCTFail("expected the bad id rejected: \(first[25])") }
        XCTAssertEqual(error.violations.map(\.field), ["message_id"])
        XCTAssertNil(try store.message(organization: "org1", id: "bad id"))
        XCTAssertEqual(try store.message(organization: "org1", id: "m49")?.content, "hi 49")

        var changed = good[3]
        changed.content = "edited"
        let again = await store.logMessages(good + [changed], receivedAt: 6_000)
        XCTAssertEqual(again.prefix(50).filter { (try? $0.get()) == .duplicate }.count, 50, "a re-import stores nothing new")
        guard case .failure(.conflict) = again[50] else { return XCTFail("same id, other content: \(again[50])") }
        var count = 0
        try store.messages(organization: "org1", window: TimeWindow(since: 0, until: 10_000)) { _ in count += 1; return true }
        XCTAssertEqual(count, 50)
    }

    func testDirectoryBatchUpsertsEachKindAndAnswersUnchangedRowsAsDuplicates() async throws {
        let store = try openStore()
        defer { store.close() }
        let rows: [DirectoryItem] = [
            .device(Device(organizationId: "org1", deviceId: "d1", name: "Front desk")),
            .contact(Contact(organizationId: "org1", contactId: "c1", name: "Bo")),
            .persona(Persona(organizationId: "org1", personaId: "bad id")),
            .persona(Persona(organizationId: "org1", personaId: "p1", name: "Sales")),
            .widget(Widget(organizationId: "org1", widgetId: "w1", name: "Site")),
        ]
        let first = await store.upsertDirectory(rows)
        XCTAssertEqual(first.map { try? $0.get() }, [.stored, .stored, nil, .stored, .stored])
        guard case .failure(.invalid(let error)) = first[2] else { return XCTFail("expected invalid: \(first[2])") }
        XCTAssertEqual(error.violations.map(\.field), ["persona_id"])
        XCTAssertEqual(try store.persona(organization: "org1", id: "p1")?.name, "Sales")

        let commitsBefore = store.writerStatistics.commits
        let again = await store.upsertDirectory(rows + [.device(Device(organizationId: "org1", deviceId: "d1", name: "Reception"))])
        XCTAssertEqual(store.writerStatistics.commits - commitsBefore, 1)
        XCTAssertEqual(again.map { try? $0.get() }, [.duplicate, .duplicate, nil, .duplicate, .duplicate, .stored])
        XCTAssertEqual(try store.device(organization: "org1", id: "d1")?.name, "Reception", "a changed row replaces the stored one")
    }
}
