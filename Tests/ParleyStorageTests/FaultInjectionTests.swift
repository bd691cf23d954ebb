import Foundation
import Glibc
import XCTest
@testable import ParleyStorage

/// Wraps the real file and fails one chosen operation, through the StorageFile seam.
final class FaultyFile: StorageFile {
    enum Step { case allocate, dataWrite, dataSync, metaWrite, metaSync }
    struct Fault {
        var step: Step
        var errno: Int32
        /// Write the first 2.5% of the bytes before failing (a torn write).
        var short = false
    }

    let inner: PosixFile
    var fault: Fault?
    private var syncs = 0
    private var metaWritten = false

    init(path: String) throws { inner = try PosixFile(path: path) }

    var descriptor: Int32 { inner.descriptor }
    func size() throws -> Int { try inner.size() }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        try inner.read(into: buffer, at: offset)
    }

    private func trip(_ step: Step) throws -> Fault? {
        guard let f = fault, f.step == step else { return nil }
        fault = nil
        return f
    }

    func write(_ buffers: [UnsafeRawBufferPointer], at offset: Int) throws {
        let isMeta = offset < 2 * 4096 && buffers.count == 1 && buffers[0].count == 4096
        if isMeta { metaWritten = true }
        if let f = try trip(isMeta ? .metaWrite : .dataWrite) {
            if f.short, let first = buffers.first {
                try inner.write([UnsafeRawBufferPointer(rebasing: first[0..<first.count / 40])], at: offset)
            }
            throw posixError("write", f.errno, path: inner.path)
        }
        try inner.write(buffers, at: offset)
    }

    func sync() throws {
        if let f = try trip(metaWritten ? .metaSync : .dataSync) {
            throw posixError("sync", f.errno, path: inner.path)
        }
        try inner.sync()
    }

    func allocate(to size: Int) throws {
        if let f = try trip(.allocate) { throw posixError("allocate", f.errno, path: inner.path) }
        try inner.allocate(to: size)
    }

    func close() { inner.close() }

    /// Marks the start of a commit, so syncs before the meta count as data syncs.
    func beginCommit() { metaWritten = false }
}

final class FaultInjectionTests: XCTestCase {
    struct Case {
        var name: String
        var fault: FaultyFile.Fault
        var bigCommit: Bool
        var expected: StorageError.Kind
        var poisons: Bool
    }

    let cases = [
        Case(name: "ENOSPC growing the file", fault: .init(step: .allocate, errno: ENOSPC), bigCommit: true, expected: .diskFull, poisons: false),
        Case(name: "ENOSPC writing data", fault: .init(step: .dataWrite, errno: ENOSPC), bigCommit: false, expected: .diskFull, poisons: false),
        Case(name: "short data write", fault: .init(step: .dataWrite, errno: ENOSPC, short: true), bigCommit: true, expected: .diskFull, poisons: false),
        Case(name: "failed data sync (before meta write)", fault: .init(step: .dataSync, errno: EIO), bigCommit: true, expected: .io, poisons: false),
        Case(name: "failed meta write", fault: .init(step: .metaWrite, errno: EIO), bigCommit: false, expected: .io, poisons: true),
        Case(name: "torn meta write", fault: .init(step: .metaWrite, errno: ENOSPC, short: true), bigCommit: false, expected: .diskFull, poisons: true),
    ]

    func testEachCommitStepFailsCleanly() throws {
        for c in cases {
            let dir = TempDir()
            var options = testOptions()
            options.durability = .sync
            var faulty: FaultyFile?
            let db = try Database(path: dir.file(), options: options, openFile: {
                let f = try FaultyFile(path: $0)
                faulty = f
                return f
            })
            try db.write { w in
                let t = try w.createTree("t")
                for i in 0..<100 { try t.put(bytes("k\(i)"), bytes("v\(i)")) }
            }
            let before = try db.read { try dump($0) }
            faulty?.beginCommit()
            faulty?.fault = c.fault
            do {
                try db.write { w in
                    let t = try w.createTree("t")
                    let n = c.bigCommit ? 3000 : 3
                    for i in 0..<n { try t.put(bytes("new\(i)"), [UInt8](repeating: 7, count: 1000)) }
                    try t.delete(bytes("k1"))
                }
                XCTFail("\(c.name): commit succeeded")
            } catch let e as StorageError {
                XCTAssertEqual(e.kind, c.expected, "\(c.name): \(e)")
                XCTAssertFalse(e.message.isEmpty)
            }
            XCTAssertNil(faulty?.fault, "\(c.name): fault never triggered")
            assertSame(try db.read { try dump($0) }, before, "\(c.name): live state changed")
            if c.poisons {
                XCTAssertThrowsError(try db.write { _ in }) { XCTAssertEqual(($0 as? StorageError)?.kind, .poisoned) }
            } else {
                // The database keeps working after a clean failure.
                try db.write { w in try w.createTree("t").put(bytes("after"), bytes("ok")) }
                try assertClean(db, c.name)
                try db.write { w in _ = try w.createTree("t").delete(bytes("after")) }
            }
            db.close()
            let reopened = try Database(path: dir.file(), options: options)
            try assertClean(reopened, c.name)
            assertSame(try reopened.read { try dump($0) }, before, "\(c.name): reopened state")
            reopened.close()
        }
    }
}
