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
            XCTAssertEqual(try meta.get(Array("schema_version".utf8)), [4])
            try meta.put(Array("schema_version".utf8), [2])
        }
        database.close()
        XCTAssertThrowsError(try openStore()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("store format version 2, older than this build's 4"), message)
            XCTAssertTrue(message.contains("parleyd upgrade"), message)
        }
        let outcomes = try StoreUpgrade.run(databasePath: path)
        XCTAssertEqual(outcomes.first?.to, 4)
        XCTAssertTrue(outcomes.allSatisfy { $0.check?.isClean == true })
        let store = try openStore()
        defer { store.close() }
        XCTAssertEqual(try store.turn(organization: "org1", id: "t1")?.aiResponse, reply)
        XCTAssertEqual(try store.message(organization: "org1", id: "m1")?.content, reply)
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
}
