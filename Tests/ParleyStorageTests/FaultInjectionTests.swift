import Foundation
import Glibc
import XCTest
@testable import ParleyStorage

/// Wraps the real file and fails one chosen operation, through the StorageFile seam. The
/// same type wraps the data file and the commit log; `isLog` tells which steps apply.
final class FaultyFile: StorageFile {
    enum Step {
        case allocate, dataWrite
        case logHeaderWrite, logWrite, logSync, logTruncate
        case checkpointSync, checkpointMetaWrite, checkpointMetaSync
    }
    struct Fault {
        var step: Step
        var errno: Int32
        /// Write the first 2.5% of the bytes before failing (a torn write).
        var short = false
    }

    let inner: PosixFile
    let isLog: Bool
    var fault: Fault?
    private var metaWritten = false

    init(path: String) throws {
        inner = try PosixFile(path: path)
        isLog = path.hasSuffix("-log")
    }

    var descriptor: Int32 { inner.descriptor }
    func size() throws -> Int { try inner.size() }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        try inner.read(into: buffer, at: offset)
    }

    private func trip(_ step: Step) -> Fault? {
        guard let f = fault, f.step == step else { return nil }
        fault = nil
        return f
    }

    func write(_ buffers: [UnsafeRawBufferPointer], at offset: Int) throws {
        let step: Step
        if isLog {
            step = offset == 0 ? .logHeaderWrite : .logWrite
        } else if offset < 2 * 4096 && buffers.count == 1 && buffers[0].count == 4096 {
            metaWritten = true
            step = .checkpointMetaWrite
        } else {
            step = .dataWrite
        }
        if let f = trip(step) {
            if f.short, let first = buffers.first {
                try inner.write([UnsafeRawBufferPointer(rebasing: first[0..<first.count / 40])], at: offset)
            }
            throw posixError("write", f.errno, path: inner.path)
        }
        try inner.write(buffers, at: offset)
    }

    func sync() throws {
        let step: Step = isLog ? .logSync : (metaWritten ? .checkpointMetaSync : .checkpointSync)
        if !isLog { metaWritten = false }
        if let f = trip(step) { throw posixError("sync", f.errno, path: inner.path) }
        try inner.sync()
    }

    func allocate(to size: Int) throws {
        if let f = trip(.allocate) { throw posixError("allocate", f.errno, path: inner.path) }
        try inner.allocate(to: size)
    }

    func truncate(to size: Int) throws {
        if let f = trip(.logTruncate) { throw posixError("truncate", f.errno, path: inner.path) }
        try inner.truncate(to: size)
    }

    func close() { inner.close() }
}

final class FaultInjectionTests: XCTestCase {
    enum Trigger { case smallCommit, bigCommit, checkpoint }

    struct Case {
        var name: String
        var fault: FaultyFile.Fault
        var trigger: Trigger
        var expected: StorageError.Kind
        var poisons: Bool
    }

    let cases = [
        Case(name: "ENOSPC growing the file", fault: .init(step: .allocate, errno: ENOSPC), trigger: .bigCommit, expected: .diskFull, poisons: false),
        Case(name: "ENOSPC writing data pages", fault: .init(step: .dataWrite, errno: ENOSPC), trigger: .smallCommit, expected: .diskFull, poisons: false),
        Case(name: "short data write", fault: .init(step: .dataWrite, errno: ENOSPC, short: true), trigger: .bigCommit, expected: .diskFull, poisons: false),
        Case(name: "ENOSPC appending to the log", fault: .init(step: .logWrite, errno: ENOSPC), trigger: .smallCommit, expected: .diskFull, poisons: false),
        Case(name: "short log write", fault: .init(step: .logWrite, errno: ENOSPC, short: true), trigger: .bigCommit, expected: .diskFull, poisons: false),
        Case(name: "failed log sync", fault: .init(step: .logSync, errno: EIO), trigger: .smallCommit, expected: .io, poisons: true),
        Case(name: "failed checkpoint data sync", fault: .init(step: .checkpointSync, errno: EIO), trigger: .checkpoint, expected: .io, poisons: true),
        Case(name: "failed checkpoint meta write", fault: .init(step: .checkpointMetaWrite, errno: EIO), trigger: .checkpoint, expected: .io, poisons: true),
        Case(name: "torn checkpoint meta write", fault: .init(step: .checkpointMetaWrite, errno: ENOSPC, short: true), trigger: .checkpoint, expected: .diskFull, poisons: true),
        Case(name: "failed checkpoint meta sync", fault: .init(step: .checkpointMetaSync, errno: EIO), trigger: .checkpoint, expected: .io, poisons: true),
        Case(name: "failed log truncation", fault: .init(step: .logTruncate, errno: EIO), trigger: .checkpoint, expected: .io, poisons: false),
        Case(name: "ENOSPC writing the log header", fault: .init(step: .logHeaderWrite, errno: ENOSPC), trigger: .checkpoint, expected: .diskFull, poisons: false),
        Case(name: "torn log header", fault: .init(step: .logHeaderWrite, errno: ENOSPC, short: true), trigger: .checkpoint, expected: .diskFull, poisons: false),
    ]

    func testEachCommitAndCheckpointStepFailsCleanly() throws {
        for c in cases {
            let dir = TempDir()
            var options = testOptions()
            options.durability = .sync
            var files: [FaultyFile] = []
            let db = try Database(path: dir.file(), options: options, openFile: {
                let f = try FaultyFile(path: $0)
                files.append(f)
                return f
            })
            try db.write { w in
                let t = try w.createTree("t")
                for i in 0..<100 { try t.put(bytes("k\(i)"), bytes("v\(i)")) }
            }
            let before = try db.read { try dump($0) }
            var attempted = before
            let target = files.first { $0.isLog == [.logHeaderWrite, .logWrite, .logSync, .logTruncate].contains(c.fault.step) }
            target?.fault = c.fault
            do {
                switch c.trigger {
                case .smallCommit, .bigCommit:
                    let n = c.trigger == .bigCommit ? 3000 : 3
                    for i in 0..<n { attempted["t", default: [:]][bytes("new\(i)")] = [UInt8](repeating: 7, count: 1000) }
                    attempted["t"]?[bytes("k1")] = nil
                    try db.write { w in
                        let t = try w.createTree("t")
                        for i in 0..<n { try t.put(bytes("new\(i)"), [UInt8](repeating: 7, count: 1000)) }
                        try t.delete(bytes("k1"))
                    }
                case .checkpoint:
                    try db.checkpoint()
                }
                XCTFail("\(c.name): succeeded")
            } catch let e as StorageError {
                XCTAssertEqual(e.kind, c.expected, "\(c.name): \(e)")
                XCTAssertFalse(e.message.isEmpty)
            }
            XCTAssertNil(target?.fault, "\(c.name): fault never triggered")
            assertSame(try db.read { try dump($0) }, before, "\(c.name): live state changed")
            if c.poisons {
                XCTAssertThrowsError(try db.write { _ in }) { XCTAssertEqual(($0 as? StorageError)?.kind, .poisoned) }
                XCTAssertTrue(FileManager.default.fileExists(atPath: dir.file() + "-log"), "\(c.name): log removed")
            } else {
                // The database keeps working after a clean failure, and the checker
                // confirms the log on disk still carries every acknowledged commit.
                try db.write { w in try w.createTree("t").put(bytes("after"), bytes("ok")) }
                try assertClean(db, c.name)
                try db.write { w in _ = try w.createTree("t").delete(bytes("after")) }
                try assertClean(db, c.name)
            }
            db.close()
            let reopened = try Database(path: dir.file(), options: options)
            try assertClean(reopened, c.name)
            let got = try reopened.read { try dump($0) }
            if got != attempted || c.trigger == .checkpoint {
                assertSame(got, before, "\(c.name): reopened state")
            }
            reopened.close()
        }
    }

    /// A commit's record reaches the log only whole: after a failed append the next
    /// record is written in its place, and recovery (without a clean close) finds it.
    func testRecordAfterFailedAppendIsRecovered() throws {
        let dir = TempDir()
        var options = testOptions()
        options.durability = .sync
        var files: [FaultyFile] = []
        let db = try Database(path: dir.file(), options: options, openFile: {
            let f = try FaultyFile(path: $0)
            files.append(f)
            return f
        })
        try db.write { w in try w.createTree("t").put(bytes("a"), [UInt8](repeating: 1, count: 3000)) }
        files.first { $0.isLog }?.fault = .init(step: .logWrite, errno: ENOSPC, short: true)
        XCTAssertThrowsError(try db.write { w in
            for i in 0..<500 { try w.createTree("t").put(bytes("x\(i)"), [UInt8](repeating: 2, count: 900)) }
        })
        try db.write { w in try w.createTree("t").put(bytes("b"), bytes("kept")) }
        let expected = try db.read { try dump($0) }
        try assertClean(db)
        // Simulate a crash: copy both files as the kernel holds them, no checkpoint.
        let copy = dir.file("copy")
        try FileManager.default.copyItem(atPath: dir.file(), toPath: copy)
        try FileManager.default.copyItem(atPath: dir.file() + "-log", toPath: copy + "-log")
        db.close()
        let recovered = try Database(path: copy, options: options)
        try assertClean(recovered)
        assertSame(try recovered.read { try dump($0) }, expected, "after replay")
        recovered.close()
    }
}
