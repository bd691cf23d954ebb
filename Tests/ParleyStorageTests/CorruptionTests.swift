import Foundation
import Glibc
import XCTest
@testable import ParleyStorage
import ParleyTestSupport

/// Damage a closed database file in each way item 3 lists; every read must answer with a
/// typed error naming the page (or fall back to the previous commit), never a crash.
final class CorruptionTests: XCTestCase {
    struct Fixture {
        let dir = TempDir()
        var path: String { dir.file() }
        var leaf: UInt64 = 0
        var overflow: UInt64 = 0
        var highWater: UInt64 = 0
    }

    /// Two commits, each checkpointed so the meta slots hold both: tree "t" of 2,000 keys
    /// (depth 2) with one overflow value, then one key in tree "u". Damage goes to pages
    /// of "t", which the last commit did not write.
    func makeFixture() throws -> Fixture {
        var f = Fixture()
        let db = try Database(path: f.path, options: testOptions())
        try db.write { w in
            let t = try w.createTree("t")
            for i in 0..<2000 { try t.put(bytes(String(format: "key%05d", i)), [UInt8](repeating: UInt8(i % 256), count: 50)) }
            try t.put(bytes("big"), [UInt8](repeating: 9, count: 50_000))
        }
        try db.checkpoint()
        try db.write { w in try w.createTree("u").put(bytes("last"), bytes("commit")) }
        try db.checkpoint()
        try db.read { txn in
            let tree = try XCTUnwrap(try txn.tree("t"))
            let root = try txn.reader.node(tree.state.record.root)
            f.leaf = try root.child(0)
            let leaf = try txn.reader.node(try root.child(try root.childIndex(bytes("big"))))
            if case let .overflow(page, _) = try leaf.value(try leaf.search(bytes("big")).index) { f.overflow = page }
            f.highWater = txn.reader.snapshot.highWater
        }
        XCTAssertGreaterThan(f.leaf, 1)
        XCTAssertGreaterThan(f.overflow, 1)
        db.close()
        return f
    }

    func patch(_ path: String, at offset: Int, _ body: (inout [UInt8]) -> Void, count: Int = 4096) throws {
        let h = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        defer { try? h.close() }
        try h.seek(toOffset: UInt64(offset))
        var data = [UInt8](try h.read(upToCount: count) ?? Data())
        body(&data)
        try h.seek(toOffset: UInt64(offset))
        try h.write(contentsOf: Data(data))
    }

    func expectError(_ kind: StorageError.Kind, page: UInt64? = nil, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        do {
            try body()
            XCTFail("expected \(kind) error", file: file, line: line)
        } catch let e as StorageError {
            XCTAssertEqual(e.kind, kind, "\(e)", file: file, line: line)
            if let page { XCTAssertEqual(e.page, page, "\(e)", file: file, line: line) }
        } catch {
            XCTFail("untyped error \(error)", file: file, line: line)
        }
    }

    func assertPageDamageReported(_ f: Fixture, page: UInt64, key: [UInt8]) throws {
        let db = try Database(path: f.path, options: testOptions())
        defer { db.close() }
        expectError(.corrupt, page: page) { _ = try db.read { try $0.tree("t")?.get(key) } }
        expectError(.corrupt, page: page) { _ = try db.read { try $0.tree("t")?.scan() } }
        let report = try db.check()
        XCTAssertFalse(report.isClean)
        XCTAssertTrue(report.problems.contains { $0.page == page }, "\(report)")
        // Undamaged parts still read.
        XCTAssertEqual(try db.read { try $0.tree("u")?.get(bytes("last")) }, bytes("commit"))
    }

    func testZeroedLeafPage() throws {
        let f = try makeFixture()
        try patch(f.path, at: Int(f.leaf) * 4096) { $0 = [UInt8](repeating: 0, count: $0.count) }
        try assertPageDamageReported(f, page: f.leaf, key: bytes("key00000"))
    }

    func testFlippedBitInLeafPage() throws {
        let f = try makeFixture()
        try patch(f.path, at: Int(f.leaf) * 4096) { $0[3000] ^= 0x10 }
        try assertPageDamageReported(f, page: f.leaf, key: bytes("key00000"))
    }

    func testFlippedBitInOverflowValue() throws {
        let f = try makeFixture()
        try patch(f.path, at: Int(f.overflow) * 4096 + 4096 * 3) { $0[17] ^= 1 }
        let db = try Database(path: f.path, options: testOptions())
        defer { db.close() }
        expectError(.corrupt, page: f.overflow) { _ = try db.read { try $0.tree("t")?.get(bytes("big")) } }
        XCTAssertEqual(try db.read { try $0.tree("t")?.get(bytes("key00001")) }, [UInt8](repeating: 1, count: 50))
        XCTAssertTrue(try db.check().problems.contains { $0.page == f.overflow })
    }

    func testTruncatedFile() throws {
        let f = try makeFixture()
        XCTAssertEqual(truncate(f.path, off_t(f.highWater / 2 * 4096)), 0)
        expectError(.truncated) { _ = try Database(path: f.path, options: testOptions()) }
        XCTAssertEqual(truncate(f.path, 5000), 0)
        expectError(.truncated) { _ = try Database(path: f.path, options: testOptions()) }
    }

    func testDamagedNewestMetaFallsBackToPreviousCommit() throws {
        let f = try makeFixture()
        // Commit 3 (the last) lives in meta slot 1.
        try patch(f.path, at: 4096) { $0[200] ^= 0xff }
        let db = try Database(path: f.path, options: testOptions())
        XCTAssertNil(try db.read { try $0.tree("u") })
        XCTAssertEqual(try db.read { try $0.tree("t")?.count }, 2001)
        try assertClean(db)
        // Writing on from the previous commit works and overwrites the damaged slot.
        try db.write { w in try w.createTree("t").put(bytes("again"), bytes("x")) }
        try assertClean(db)
        db.close()
        let reopened = try Database(path: f.path, options: testOptions())
        XCTAssertEqual(try reopened.read { try $0.tree("t")?.get(bytes("again")) }, bytes("x"))
        reopened.close()
    }

    func testZeroedMetaPagesAndWrongMagicAndVersion() throws {
        let f = try makeFixture()
        try patch(f.path, at: 0) { $0 = [UInt8](repeating: 0, count: $0.count) }
        let db = try Database(path: f.path, options: testOptions())
        XCTAssertEqual(try db.read { try $0.tree("u")?.get(bytes("last")) }, bytes("commit"))
        db.close()
        try patch(f.path, at: 4096) { $0 = [UInt8](repeating: 0, count: $0.count) }
        expectError(.notADatabase) { _ = try Database(path: f.path, options: testOptions()) }

        let g = try makeFixture()
        for slot in 0..<2 { try patch(g.path, at: slot * 4096) { $0[24] = UInt8(ascii: "X") } }
        expectError(.notADatabase) { _ = try Database(path: g.path, options: testOptions()) }

        let h = try makeFixture()
        for slot in 0..<2 { try patch(h.path, at: slot * 4096) { $0[32] = 9 } }
        expectError(.unsupportedVersion) { _ = try Database(path: h.path, options: testOptions()) }
    }

    func testBothMetasDamagedAndForeignFile() throws {
        let f = try makeFixture()
        for slot in 0..<2 { try patch(f.path, at: slot * 4096) { $0[100] ^= 1 } }
        expectError(.corrupt) { _ = try Database(path: f.path, options: testOptions()) }

        let dir = TempDir()
        let junk = dir.file("junk")
        var rng = SeededGenerator(seed: 7)
        _ = FileManager.default.createFile(atPath: junk, contents: Data((0..<65536).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
        expectError(.notADatabase) { _ = try Database(path: junk, options: testOptions()) }
    }

    /// Files written before the commit log list a commit's pages in its meta; a listed
    /// page that does not carry its listed checksum means that commit did not land.
    func testDamagedPageListedByAnOldFormatMetaMeansCommitDidNotLand() throws {
        let f = try makeFixture()
        let (snapshot, catalogRoot, checksum): (Snapshot, UInt64, UInt64) = try {
            let db = try Database(path: f.path, options: testOptions())
            defer { db.close() }
            return try db.read { txn in
                let s = txn.reader.snapshot
                return (s, s.catalog.root, try db.pager.page(s.catalog.root, limit: s.highWater).storedChecksum)
            }
        }()
        let meta = PageBuffer(id: 1, length: 4096)
        Meta(pageSize: 4096, snapshot: snapshot, written: [(catalogRoot, checksum)]).write(into: meta)
        try patch(f.path, at: 4096) { $0 = [UInt8](meta.bytes) }
        try patch(f.path, at: Int(catalogRoot) * 4096) { $0[500] ^= 4 }
        let db = try Database(path: f.path, options: testOptions())
        defer { db.close() }
        XCTAssertNil(try db.read { try $0.tree("u") })
        XCTAssertEqual(try db.read { try $0.tree("t")?.count }, 2001)
        try assertClean(db)
    }

    func testDamagedBranch() throws {
        let f = try makeFixture()
        let root: UInt64 = try {
            let db = try Database(path: f.path, options: testOptions())
            defer { db.close() }
            return try db.read { try XCTUnwrap(try $0.tree("t")).state.record.root }
        }()
        try patch(f.path, at: Int(root) * 4096) { $0[40] ^= 0x80 }
        let db = try Database(path: f.path, options: testOptions())
        defer { db.close() }
        expectError(.corrupt, page: root) { _ = try db.read { try $0.tree("t")?.get(bytes("key00005")) } }
        expectError(.corrupt, page: root) { try db.write { w in try w.createTree("t").put(bytes("k"), bytes("v")) } }
        XCTAssertFalse(try db.check().isClean)
    }
}
