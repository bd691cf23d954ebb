import ParleyCore
import ParleyStorage
import ParleyStore
import XCTest

final class SchemaVersionTests: StoreTestCase {
    /// A file of the layout before packed turn text (schema 2) is refused at open with
    /// both versions named, never misread.
    func testFileOfTheOlderLayoutIsRefusedNamingItsVersion() throws {
        let store = try openStore()
        store.close()
        // A schema-2 file differs from a new one in this byte (and in how its turns read).
        let database = try Database(path: path)
        try database.write { txn in
            let meta = try XCTUnwrap(try txn.tree("meta"))
            XCTAssertEqual(try meta.get(Array("schema_version".utf8)), [3])
            try meta.put(Array("schema_version".utf8), [2])
        }
        database.close()
        XCTAssertThrowsError(try openStore()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("store layout version 2"), message)
            XCTAssertTrue(message.contains("reads version 3"), message)
        }
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
