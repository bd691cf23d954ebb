import Foundation
import Synchronization
import XCTest
@testable import ParleyStorage
import ParleyTestSupport

final class SnapshotTests: XCTestCase {
    func testReaderSeesSameDataAcrossThousandCommits() throws {
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        defer { db.close() }
        try db.write { w in
            let t = try w.createTree("t")
            for i in 0..<500 { try t.put(bytes("k\(i)"), bytes("v0")) }
        }
        let reader = try db.beginRead()
        let before = try dump(reader)
        var rng = SeededGenerator(seed: 42)
        for c in 1...1000 {
            try db.write { w in
                let t = try w.createTree("t")
                for _ in 0..<5 {
                    let k = bytes("k\(rng.next() % 600)")
                    if rng.next() % 3 == 0 { try t.delete(k) } else { try t.put(k, bytes("v\(c)")) }
                }
                if c % 100 == 0 { try w.dropTree("scratch") } else { try w.createTree("scratch").put(bytes("\(c)"), [UInt8](repeating: 1, count: 3000)) }
            }
            if c % 250 == 0 { assertSame(try dump(reader), before, "after commit \(c)") }
        }
        assertSame(try dump(reader), before)
        XCTAssertEqual(try reader.tree("t")?.get(bytes("k1")), bytes("v0"))
        reader.close()
        try assertClean(db)
        // With the reader gone its pinned pages are reused instead of growing the file.
        let pagesBefore = try db.stats().pages
        for c in 0..<200 { try db.write { w in try w.createTree("t").put(bytes("k\(c)"), bytes("again")) } }
        XCTAssertLessThanOrEqual(try db.stats().pages, pagesBefore + 8)
    }

    func testConcurrentReadersWhileWriting() throws {
        let dir = TempDir()
        let db = try Database(path: dir.file(), options: testOptions())
        defer { db.close() }
        // Invariant every snapshot must show: all 200 keys carry the same commit number.
        try db.write { w in
            let t = try w.createTree("t")
            for i in 0..<200 { try t.put(bytes("k\(i)"), bytes("0")) }
        }
        let done = DispatchSemaphore(value: 0)
        let failures = FailureLog()
        let writing = Flag()
        for _ in 0..<3 {
            Thread.detachNewThread {
                defer { done.signal() }
                while writing.isSet {
                    do {
                        try db.read { txn in
                            let values = Set(try XCTUnwrap(try txn.tree("t")).scan().map { $0.value })
                            if values.count != 1 { failures.add("snapshot \(txn.txnID) mixes commits: \(values.count) values") }
                        }
                    } catch {
                        failures.add("\(error)")
                    }
                }
            }
        }
        for c in 1...300 {
            try db.write { w in
                let t = try w.createTree("t")
                for i in 0..<200 { try t.put(bytes("k\(i)"), bytes("\(c)")) }
            }
        }
        writing.clear()
        for _ in 0..<3 { done.wait() }
        XCTAssertEqual(failures.all, [])
        try assertClean(db)
    }
}

final class FailureLog: Sendable {
    private let items = Mutex<[String]>([])
    func add(_ s: String) { items.withLock { $0.append(s) } }
    var all: [String] { items.withLock { $0 } }
}

final class Flag: Sendable {
    private let value = Atomic(true)
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
    func clear() { value.store(false, ordering: .sequentiallyConsistent) }
}
