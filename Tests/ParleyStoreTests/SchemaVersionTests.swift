import ParleyStorage
import ParleyStore
import XCTest

/// A file of the layout before coarse cells and session spend (schema 2) is refused
/// with a message that names the version, instead of answering from missing aggregates.
final class SchemaVersionTests: StoreTestCase {
    func testAFileOfTheOlderLayoutIsRefusedClearly() throws {
        try openStore().close()
        let database = try Database(path: path)
        try database.write { txn in try txn.tree("meta")?.put(Array("schema_version".utf8), [2]) }
        database.close()
        XCTAssertThrowsError(try openStore()) { error in
            XCTAssertTrue("\(error)".contains("another store layout than version 3"), "\(error)")
        }
    }
}
