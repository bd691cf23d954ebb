import Foundation
import NIOCore
import ParleyWire

/// Reads the records of one capture part, in order, checking each record's checksum and
/// frame before yielding it. The first bad record ends the part: `next()` throws a
/// `CaptureError` naming its byte offset, and throws the same error on every later call,
/// so nothing past the damage is ever yielded.
public final class CaptureReader {
    public let path: String
    public let header: CaptureHeader
    private let handle: FileHandle
    /// Bytes read from the file and not yet consumed; `window[0]` is at file offset `windowOffset`.
    private var window: [UInt8] = []
    private var windowStart = 0
    private var windowOffset = 0
    private var atEOF = false
    private var failure: CaptureError?
    private static let chunk = 256 * 1024

    public init(path: String) throws(CaptureError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .cannotOpen(path: path, reason: "no such file, or it is not readable")
        }
        let bytes: [UInt8]
        do { bytes = Array(try handle.read(upToCount: CaptureFormat.headerSize) ?? Data()) } catch {
            throw .cannotOpen(path: path, reason: "read failed: \(error)")
        }
        self.path = path
        self.handle = handle
        header = try CaptureHeader.parse(bytes, path: path)
        windowOffset = CaptureFormat.headerSize
    }

    /// The next record, nil at a clean end of the part.
    public func next() throws(CaptureError) -> CaptureRecord? {
        if let failure { throw failure }
        do {
            return try readRecord()
        } catch {
            failure = error
            throw error
        }
    }

    /// Every record of the part; throws at the first bad one.
    public func readAll() throws(CaptureError) -> [CaptureRecord] {
        var records: [CaptureRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    private var available: Int { window.count - windowStart }

    private func readRecord() throws(CaptureError) -> CaptureRecord? {
        let offset = windowOffset
        guard try fill(1) else { return nil }
        guard try fill(CaptureFormat.recordPrefixSize) else {
            throw .truncated(path: path, offset: offset, needed: CaptureFormat.recordPrefixSize, available: available)
        }
        var prefix = ByteBuffer(bytes: window[windowStart..<windowStart + CaptureFormat.recordPrefixSize])
        // safe: the buffer holds exactly the 16 prefix bytes read above.
        let frameLength = Int(prefix.readInteger(as: UInt32.self)!)
        let arrival = prefix.readInteger(as: UInt64.self)!
        let connection = prefix.readInteger(as: UInt32.self)!
        guard frameLength >= Frame.headerSize, frameLength <= CaptureFormat.maxFrameBytes else {
            throw .corrupt(path: path, offset: offset, reason: "a record cannot hold a frame of \(frameLength) bytes")
        }
        let total = CaptureFormat.recordOverhead + frameLength
        guard try fill(total) else {
            throw .truncated(path: path, offset: offset, needed: total, available: available)
        }
        let summedEnd = windowStart + CaptureFormat.recordPrefixSize + frameLength
        let computed = CRC32C.checksum(window[windowStart..<summedEnd])
        let stored = window[summedEnd..<summedEnd + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard computed == stored else {
            throw .corrupt(path: path, offset: offset, reason: "checksum mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)))")
        }
        var frameBytes = ByteBuffer(bytes: window[windowStart + CaptureFormat.recordPrefixSize..<summedEnd])
        let frame: Frame
        do {
            guard let decoded = try FrameDecoder.nextFrame(from: &frameBytes, maxFrameSize: frameLength),
                  frameBytes.readableBytes == 0
            else {
                throw CaptureError.corrupt(path: path, offset: offset, reason: "the frame's own lengths disagree with the record's")
            }
            frame = decoded
        } catch let error as CaptureError {
            throw error
        } catch {
            throw .corrupt(path: path, offset: offset, reason: "the frame is not valid: \(error)")
        }
        guard frame.type == .request || (frame.type == .response && header.holdsAnswers) else {
            let held = header.holdsAnswers ? "REQUEST and RESPONSE frames" : "REQUEST frames (version 1)"
            throw .corrupt(path: path, offset: offset, reason: "the record holds a \(frame.type) frame; captures hold \(held) only")
        }
        consume(total)
        return CaptureRecord(arrivalMicros: arrival, connection: connection, frame: frame)
    }

    /// Makes `count` unconsumed bytes available; false when the file ends first.
    private func fill(_ count: Int) throws(CaptureError) -> Bool {
        while available < count, !atEOF {
            if windowStart > 0 {
                window.removeFirst(windowStart)
                windowStart = 0
            }
            let data: Data?
            do { data = try handle.read(upToCount: max(Self.chunk, count - available)) } catch {
                throw .cannotOpen(path: path, reason: "read failed: \(error)")
            }
            guard let data, !data.isEmpty else {
                atEOF = true
                break
            }
            window.append(contentsOf: data)
        }
        return available >= count
    }

    private func consume(_ count: Int) {
        windowStart += count
        windowOffset += count
    }
}
