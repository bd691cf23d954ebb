import Foundation
import NIOCore
import ParleyWire
import XCTest
@testable import ParleyLoad

final class CaptureTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "parley-capture-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func request(_ n: Int, bodySize: Int = 40) -> Frame {
        var meta = ByteBuffer()
        meta.writeString("meta-" + String(repeating: "0", count: 4 - String(n).count) + String(n))
        var body = ByteBuffer()
        body.writeBytes((0..<bodySize).map { UInt8(truncatingIfNeeded: $0 &+ n) })
        return Frame(type: .request, callID: UInt32(n + 1), code: Method.logTurn.id, meta: meta, body: body)
    }

    private func write(_ count: Int, to path: String, limits: CaptureLimits = CaptureLimits()) throws -> [CaptureRecord] {
        let writer = try CaptureWriter(path: path, limits: limits, startMicros: 1_764_547_200_000_000)
        var written: [CaptureRecord] = []
        for n in 0..<count {
            let record = CaptureRecord(arrivalMicros: UInt64(n) * 1_500, connection: UInt32(n % 3), frame: request(n))
            try writer.record(record.frame, connection: record.connection, arrivalMicros: record.arrivalMicros)
            written.append(record)
        }
        try writer.close()
        return written
    }

    func testCRC32CMatchesTheStandardCheckValue() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum(Array("6789".utf8), continuing: CRC32C.checksum(Array("12345".utf8))), 0xE306_9283)
    }

    func testRoundTripKeepsEveryRecordByteForByte() throws {
        let path = directory + "/day.capture"
        let written = try write(50, to: path)
        let reader = try CaptureReader(path: path)
        XCTAssertEqual(reader.header, CaptureHeader(startMicros: 1_764_547_200_000_000, part: 0))
        let read = try reader.readAll()
        XCTAssertEqual(read, written)
        XCTAssertEqual(read[7].method, .logTurn)
        XCTAssertNil(try reader.next(), "a clean end stays a clean end")
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertEqual(size, CaptureFormat.headerSize + written.map(\.encodedSize).reduce(0, +))
    }

    func testHelloAndOtherNonRequestFramesAreRefused() throws {
        let path = directory + "/c"
        let writer = try CaptureWriter(path: path)
        var key = ByteBuffer()
        key.writeString("secret-api-key")
        XCTAssertThrowsError(try writer.record(Frame(type: .hello, body: key), connection: 1)) { error in
            XCTAssertEqual(error as? CaptureError, .notARequest(.hello))
        }
        XCTAssertThrowsError(try writer.record(Frame(type: .ping), connection: 1))
        try writer.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(bytes.count, CaptureFormat.headerSize)
        XCTAssertNil(String(data: bytes, encoding: .isoLatin1)?.range(of: "secret"))
    }

    func testWriterRefusesToOverwriteAnEarlierCapture() throws {
        let path = directory + "/c"
        _ = try write(1, to: path)
        XCTAssertThrowsError(try CaptureWriter(path: path)) { error in
            XCTAssertEqual(error as? CaptureError, .alreadyExists(path: path))
        }
        let stray = directory + "/stray"
        XCTAssertTrue(FileManager.default.createFile(atPath: stray + ".2", contents: Data("old".utf8)))
        XCTAssertThrowsError(try CaptureWriter(path: stray, limits: CaptureLimits(maxPartBytes: 1_000, maxParts: 3))) { error in
            XCTAssertEqual(error as? CaptureError, .alreadyExists(path: stray + ".2"))
        }
    }

    func testRotationCapsThePartsAndKeepsTheNewestInOrder() throws {
        let path = directory + "/r"
        let recordSize = CaptureRecord(arrivalMicros: 0, connection: 0, frame: request(0)).encodedSize
        // Room for four records per part, three parts kept.
        let limits = CaptureLimits(maxPartBytes: CaptureFormat.headerSize + 4 * recordSize + 1, maxParts: 3)
        let written = try write(22, to: path, limits: limits)
        let fm = FileManager.default
        XCTAssertTrue(fm.fileExists(atPath: path))
        XCTAssertTrue(fm.fileExists(atPath: path + ".1"))
        XCTAssertTrue(fm.fileExists(atPath: path + ".2"))
        XCTAssertFalse(fm.fileExists(atPath: path + ".3"), "no more than maxParts parts")
        for part in [path, path + ".1", path + ".2"] {
            let size = try XCTUnwrap(fm.attributesOfItem(atPath: part)[.size] as? Int)
            XCTAssertLessThanOrEqual(size, limits.maxPartBytes)
        }
        // 22 records in parts of 4: parts 0...5, the last (5) holding 2; 3, 4, 5 kept.
        let set = try CaptureSet(path: path)
        XCTAssertEqual(set.parts, [path + ".2", path + ".1", path])
        XCTAssertEqual(set.header.part, 3)
        var read: [CaptureRecord] = []
        try set.forEachRecord { read.append($0) }
        XCTAssertEqual(read, Array(written.suffix(10)))
    }

    func testTruncatedFileNamesTheOffsetAndYieldsNothingPastIt() throws {
        let path = directory + "/t"
        let written = try write(5, to: path)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        let fourthStart = CaptureFormat.headerSize + written.prefix(3).map(\.encodedSize).reduce(0, +)
        // Cut inside the fourth record's frame.
        try full.prefix(fourthStart + 30).write(to: URL(fileURLWithPath: path))
        let reader = try CaptureReader(path: path)
        var yielded: [CaptureRecord] = []
        XCTAssertThrowsError(try { while let r = try reader.next() { yielded.append(r) } }()) { error in
            guard case .truncated(_, let offset, let needed, let available)? = error as? CaptureError else {
                return XCTFail("expected truncated, got \(error)")
            }
            XCTAssertEqual(offset, fourthStart)
            XCTAssertEqual(needed, written[3].encodedSize)
            XCTAssertEqual(available, 30)
            XCTAssertTrue("\(error)".contains("byte offset \(fourthStart)"), "\(error)")
        }
        XCTAssertEqual(yielded, Array(written.prefix(3)))
        XCTAssertThrowsError(try reader.next(), "the reader stays failed")
    }

    func testFileCutInsideARecordPrefixIsTruncatedToo() throws {
        let path = directory + "/p"
        let written = try write(2, to: path)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        let secondStart = CaptureFormat.headerSize + written[0].encodedSize
        try full.prefix(secondStart + 5).write(to: URL(fileURLWithPath: path))
        let reader = try CaptureReader(path: path)
        XCTAssertEqual(try reader.next(), written[0])
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? CaptureError)?.offset, secondStart)
        }
    }

    func testFlippedByteIsCorruptAtItsRecordAndNothingPastItIsYielded() throws {
        let path = directory + "/x"
        let written = try write(6, to: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let thirdStart = CaptureFormat.headerSize + written.prefix(2).map(\.encodedSize).reduce(0, +)
        bytes[thirdStart + CaptureFormat.recordPrefixSize + 25] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try CaptureReader(path: path)
        var yielded: [CaptureRecord] = []
        XCTAssertThrowsError(try { while let r = try reader.next() { yielded.append(r) } }()) { error in
            guard case .corrupt(_, let offset, let reason)? = error as? CaptureError else {
                return XCTFail("expected corrupt, got \(error)")
            }
            XCTAssertEqual(offset, thirdStart)
            XCTAssertTrue(reason.contains("checksum"), reason)
        }
        XCTAssertEqual(yielded, Array(written.prefix(2)))
    }

    func testAbsurdLengthIsCorruptNotAnAllocation() throws {
        let path = directory + "/l"
        let written = try write(2, to: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let secondStart = CaptureFormat.headerSize + written[0].encodedSize
        bytes.replaceSubrange(secondStart..<secondStart + 4, with: [0xFF, 0xFF, 0xFF, 0xF0])
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try CaptureReader(path: path)
        XCTAssertEqual(try reader.next(), written[0])
        XCTAssertThrowsError(try reader.next()) { error in
            guard case .corrupt(_, secondStart, _)? = error as? CaptureError else { return XCTFail("\(error)") }
        }
    }

    func testBadHeaderIsRefused() throws {
        let path = directory + "/h"
        try Data("PL\u{1}\u{2} this is not a capture at all".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CaptureReader(path: path)) { error in
            XCTAssertEqual(error as? CaptureError, .notACapture(path: path))
        }
        try Data(CaptureFormat.magic + [1, 0]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try CaptureReader(path: path)) { error in
            XCTAssertEqual((error as? CaptureError)?.offset, 0)
        }
    }

    func testDamageInAnOlderPartStopsTheWholeSetWithItsOffset() throws {
        let path = directory + "/s"
        let recordSize = CaptureRecord(arrivalMicros: 0, connection: 0, frame: request(0)).encodedSize
        let limits = CaptureLimits(maxPartBytes: CaptureFormat.headerSize + 3 * recordSize, maxParts: 4)
        _ = try write(9, to: path, limits: limits)
        // FILE.1 holds records 3...5; cut it inside its second record.
        let older = path + ".1"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: older))
        try bytes.prefix(CaptureFormat.headerSize + recordSize + 7).write(to: URL(fileURLWithPath: older))
        let set = try CaptureSet(path: path)
        XCTAssertThrowsError(try set.readAll()) { error in
            guard case .truncated(let p, let offset, _, _)? = error as? CaptureError else { return XCTFail("\(error)") }
            XCTAssertEqual(p, older)
            XCTAssertEqual(offset, CaptureFormat.headerSize + recordSize)
        }
    }

    func testPartsOfDifferentCapturesAreNotMixed() throws {
        let path = directory + "/m"
        _ = try write(1, to: path)
        let other = directory + "/other"
        let writer = try CaptureWriter(path: other, startMicros: 5)
        try writer.close()
        try FileManager.default.moveItem(atPath: other, toPath: path + ".1")
        XCTAssertThrowsError(try CaptureSet(path: path)) { error in
            guard case .mismatchedParts? = error as? CaptureError else { return XCTFail("\(error)") }
        }
    }

    func testConcurrentWritersLoseNoRecord() async throws {
        let path = directory + "/concurrent"
        let writer = try CaptureWriter(path: path, limits: CaptureLimits(maxPartBytes: 4_096, maxParts: 1_000))
        let frames = (0..<400).map { request($0) }
        await withTaskGroup(of: Void.self) { group in
            for connection in 0..<4 {
                group.addTask {
                    for n in stride(from: connection, to: frames.count, by: 4) {
                        try? writer.record(frames[n], connection: UInt32(connection))
                    }
                }
            }
        }
        try writer.close()
        XCTAssertEqual(writer.recordsWritten, 400)
        let records = try CaptureSet(path: path).readAll()
        XCTAssertEqual(records.count, 400)
        XCTAssertEqual(Set(records.map(\.frame.callID)), Set((1...400).map(UInt32.init)))
        XCTAssertEqual(records.map(\.arrivalMicros), records.map(\.arrivalMicros).sorted(), "arrival times rise in file order")
        for connection in 0..<4 {
            let mine = records.filter { $0.connection == connection }
            XCTAssertEqual(mine.map(\.frame.callID), mine.map(\.frame.callID).sorted(), "one connection's records keep its order")
            XCTAssertEqual(mine.map(\.arrivalMicros), mine.map(\.arrivalMicros).sorted())
        }
    }

    /// Every single flipped bit after the header, in any field of any record, stops the
    /// read exactly at the damaged record, after yielding the intact records before it.
    func testEveryFlippedBitIsCaughtAtItsRecord() throws {
        let path = directory + "/f"
        let written = try write(3, to: path)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var starts: [Int] = []
        var offset = CaptureFormat.headerSize
        for r in written {
            starts.append(offset)
            offset += r.encodedSize
        }
        for position in CaptureFormat.headerSize..<original.count {
            var damaged = original
            damaged[position] ^= UInt8(1 << (position % 8))
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let record = starts.lastIndex { $0 <= position } ?? 0
            let reader = try CaptureReader(path: path)
            var yielded: [CaptureRecord] = []
            do {
                while let r = try reader.next() { yielded.append(r) }
                XCTFail("byte \(position): the damage went unnoticed")
            } catch {
                XCTAssertEqual(error.offset, starts[record], "byte \(position): \(error)")
            }
            XCTAssertEqual(yielded, Array(written.prefix(record)), "byte \(position)")
        }
        for position in 0..<CaptureFormat.headerSize {
            var damaged = original
            damaged[position] ^= 0x10
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try CaptureReader(path: path), "header byte \(position)")
        }
    }
}
