import ParleyStorage
import ParleyStore
import XCTest

/// A file of the layout before coarse cells and session spend (schema 2) is refused
/// with a message naming its version and `parleyd upgrade`, instead of answering from
/// missing aggregates; FormatUpgradeTests runs the upgrade through version 3.
final class SchemaVersionTests: StoreTestCase {
    func testAFileOfTheOlderLayoutIsRefusedClearly() throws {
        try openStore().close()
        let database = try Database(path: path)
        try database.write { txn in try txn.tree("meta")?.put(Array("schema_version".utf8), [2]) }
        database.close()
        XCTAssertThrowsError(try openStore()) { error in
            XCTAssertTrue("\(error)".contains("store format version 2, older than this build's 3"), "\(error)")
            XCTAssertTrue("\(error)".contains("parleyd upgrade"), "\(error)")
        }
    }
}
