import Foundation
import XCTest
@testable import ParleyStorage

final class TreeTests: XCTestCase {
    func key(_ i: Int) -> [UInt8] { bytes(String(format: "%06d", i)) }

    /// Rollup cells and session records are rewritten with values of the same size many
    /// times per transaction: such a put overwrites the value in place, so the leaf
    /// collects no garbage (and is never compacted for it), while a put of another size
    /// still replaces the cell.
    func testASameSizePutOverwritesTheValueInPlace() throws {
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        defer { db.close() }
        try db.write { w in
            let t = try w.createTree("t")
            for i in 0..<20 { try t.put(key(i), [UInt8](repeating: 0, count: 100)) }
        }
        let garbage = try db.write { w -> Int in
            let t = try w.createTree("t")
            for round in 1...30 {
                for i in 0..<20 { try t.put(key(i), [UInt8](repeating: UInt8(round), count: 100)) }
            }
            return try w.writer.node(t.state.record.root).garbage
        }
        XCTAssertEqual(garbage, 0, "same-size puts left garbage in the leaf")
        try db.write { w in try w.createTree("t").put(key(3), bytes("shorter")) }
        try db.read { txn in
            let t = try XCTUnwrap(try txn.tree("t"))
            XCTAssertEqual(t.count, 20)
            XCTAssertEqual(try t.get(key(0)), [UInt8](repeating: 30, count: 100))
            XCTAssertEqual(try t.get(key(19)), [UInt8](repeating: 30, count: 100))
            XCTAssertEqual(try t.get(key(3)), bytes("shorter"))
        }
        try assertClean(db)
    }

    func testCursorAndBoundedScansBothWays() throws {
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        defer { db.close() }
        try db.write { w in
            let t = try w.createTree("t")
            for i in stride(from: 0, to: 5000, by: 2) { try t.put(key(i), bytes("v\(i)")) }
        }
        try db.read { txn in
            let t = try XCTUnwrap(try txn.tree("t"))
            XCTAssertEqual(t.count, 2500)
            let c = try t.cursor()
            XCTAssertEqual(try c.seek(key(101))?.key, key(102))
            XCTAssertEqual(try c.next()?.key, key(104))
            XCTAssertEqual(try c.prev()?.key, key(102))
            XCTAssertEqual(try c.prev()?.key, key(100))
            XCTAssertEqual(try c.current?.value, bytes("v100"))
            XCTAssertEqual(try c.first()?.key, key(0))
            XCTAssertNil(try c.prev())
            XCTAssertEqual(try c.last()?.key, key(4998))
            XCTAssertNil(try c.next())
            XCTAssertNil(try c.seek(key(4999)))
            XCTAssertEqual(try t.scan(from: key(10), to: key(20)).map { $0.key }, [10, 12, 14, 16, 18].map(key))
            XCTAssertEqual(try t.scan(from: key(10), to: key(20), reverse: true).map { $0.key }, [18, 16, 14, 12, 10].map(key))
            XCTAssertEqual(try t.scan(from: key(4995)).map { $0.key }, [4996, 4998].map(key))
            XCTAssertEqual(try t.scan(to: key(3), reverse: true).map { $0.key }, [2, 0].map(key))
            XCTAssertEqual(try t.scan(reverse: true).count, 2500)
            var seen = 0
            try t.forEach { _, _ in seen += 1; return seen < 10 }
            XCTAssertEqual(seen, 10)
            XCTAssertNil(try txn.tree("missing"))
            XCTAssertEqual(try txn.treeNames(), ["t"])
            XCTAssertThrowsError(try t.put(key(1), [])) { XCTAssertEqual(($0 as? StorageError)?.kind, .readOnly) }
        }
    }

    /// A database whose tree "t" holds keys 0 to 19,999 with 40-byte values.
    private func twentyThousandKeys(in dir: TempDir) throws -> Database {
        let db = try Database(path: dir.file(), options: testOptions())
        try db.write { w in
            let t = try w.createTree("t")
            for i in 0..<20_000 { try t.put(key(i), [UInt8](repeating: 1, count: 40)) }
        }
        return db
    }

    func testDeletesRebalanceAndFreePages() throws {
        let dir = TempDir()
        let db = try twentyThousandKeys(in: dir)
        defer { db.close() }
        let full = try XCTUnwrap(try db.stats().trees.first)
        try db.write { w in
            let t = try w.createTree("t")
            for i in 0..<20_000 where i % 10 != 0 { XCTAssertTrue(try t.delete(key(i))) }
            XCTAssertFalse(try t.delete(key(1)))
        }
        try assertClean(db)
        let thin = try XCTUnwrap(try db.stats().trees.first)
        XCTAssertEqual(thin.keys, 2000)
        XCTAssertLessThan(thin.pages, full.pages / 3, "merging should shrink the tree")
        try db.write { w in
            let t = try w.createTree("t")
            for i in stride(from: 0, to: 20_000, by: 10) { try t.delete(key(i)) }
        }
        try assertClean(db)
        XCTAssertEqual(try db.read { try $0.tree("t")?.count }, 0)
        XCTAssertEqual(try db.stats().trees.first?.pages, 0)
    }

    /// The cheap page counts (/metrics reads them every few seconds) equal the full
    /// walk's, with pages freed by deletes on the free list.
    func testPageCountsEqualTheFullWalksWithoutWalkingTheTrees() throws {
        let dir = TempDir()
        let db = try twentyThousandKeys(in: dir)
        defer { db.close() }
        try db.write { w in
            let t = try w.createTree("t")
            for i in 0..<20_000 where i % 3 != 0 { XCTAssertTrue(try t.delete(key(i))) }
        }
        try db.write { w in try w.createTree("t").put(key(1), [2]) }
        let stats = try db.stats()
        let counts = try db.pageCounts()
        XCTAssertGreaterThan(stats.freePages, 0, "the deletes must have freed pages")
        XCTAssertEqual(counts.pages, stats.pages)
        XCTAssertEqual(counts.freePages, stats.freePages)
    }

    func testSequentialInsertsFillPages() throws {
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        defer { db.close() }
        for batch in 0..<20 {
            try db.write { w in
                let t = try w.createTree("t")
                for i in batch * 1000..<(batch + 1) * 1000 { try t.put(bytes(String(format: "%016d", i)), [UInt8](repeating: 3, count: 100)) }
            }
        }
        let stats = try XCTUnwrap(try db.stats().trees.first)
        // 20,000 cells of 124 bytes: 4,072 usable bytes per page hold 32 of them.
        XCTAssertLessThan(stats.pages, 20_000 / 32 + 20_000 / 32 / 50 + 10)
        try assertClean(db)
    }

    func testLimitsLargeValuesAndPageSizes() throws {
        for pageSize in [4096, 65536] {
            let dir = TempDir()
            let db = try Database(path: dir.file(), options: testOptions(pageSize: pageSize))
            var big = [UInt8](repeating: 0x5a, count: 16 << 20)
            for i in stride(from: 0, to: big.count, by: 4093) { big[i] = UInt8(truncatingIfNeeded: i >> 12) }
            let maxKey = [UInt8](repeating: 0xff, count: 1024)
            try db.write { w in
                let t = try w.createTree("t")
                try t.put(maxKey, big)
                try t.put([], bytes("empty key"))
                XCTAssertThrowsError(try t.put([UInt8](repeating: 1, count: 1025), [])) {
                    XCTAssertEqual(($0 as? StorageError)?.kind, .keyTooLarge)
                }
                XCTAssertThrowsError(try t.put(bytes("x"), [UInt8](repeating: 1, count: (16 << 20) + 1))) {
                    XCTAssertEqual(($0 as? StorageError)?.kind, .valueTooLarge)
                }
            }
            db.close()
            let reopened = try Database(path: dir.file(), options: testOptions(pageSize: 4096))
            XCTAssertEqual(reopened.pageSize, pageSize)
            XCTAssertEqual(try reopened.read { try $0.tree("t")?.get(maxKey) }, big)
            XCTAssertEqual(try reopened.read { try $0.tree("t")?.get([]) }, bytes("empty key"))
            try reopened.write { w in try w.createTree("t").delete(maxKey) }
            try assertClean(reopened)
            reopened.close()
        }
        XCTAssertThrowsError(try Database(path: TempDir().file(), options: testOptions(pageSize: 3000)))
    }

    func testBackupAndCompactWhileWriting() throws {
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        for c in 0..<20 {
            try db.write { w in
                let t = try w.createTree("t\(c % 3)")
                for i in 0..<500 { try t.put(key(c * 500 + i), [UInt8](repeating: UInt8(c), count: c == 7 ? 9000 : 60)) }
                for i in 0..<200 { try t.delete(key(c * 400 + i)) }
            }
        }
        let expected = try db.read { try dump($0) }
        // Writes go on from another thread during the copies; each copy is one snapshot.
        let lateKeys = (0..<3000).map(key)
        let writer = Thread { try? db.write { w in for k in lateKeys { try w.createTree("late").put(k, bytes("x")) } } }
        writer.start()
        let backup = try db.backup(to: dir.file("backup"))
        let compacted = try db.compact(to: dir.file("compact"))
        while writer.isExecuting { usleep(1000) }
        for (path, info) in [(dir.file("backup"), backup), (dir.file("compact"), compacted)] {
            let copy = try Database(path: path, options: testOptions())
            try assertClean(copy, path)
            let got = try copy.read { try dump($0) }
            if got["late"] == nil || got["late"]!.isEmpty {
                assertSame(got, expected, path)
            } else {
                XCTAssertEqual(got["late"]?.count, 3000)
            }
            XCTAssertGreaterThan(info.bytes, 0)
            copy.close()
        }
        let stats = try db.stats()
        XCTAssertLessThanOrEqual(compacted.bytes, stats.fileBytes)
        XCTAssertThrowsError(try db.backup(to: dir.file("backup")), "refuses to overwrite")
        db.close()
        XCTAssertThrowsError(try db.read { _ in }) { XCTAssertEqual(($0 as? StorageError)?.kind, .closed) }
    }

    func testSecondOpenOfSameFileIsRefused() throws {
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        XCTAssertThrowsError(try Database(path: dir.file(), options: testOptions())) {
            XCTAssertEqual(($0 as? StorageError)?.kind, .locked)
        }
        db.close()
        XCTAssertNoThrow(try Database(path: dir.file(), options: testOptions()).close())
    }
}
