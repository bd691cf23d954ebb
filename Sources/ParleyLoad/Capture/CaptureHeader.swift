import NIOCore

/// The header every part of a capture starts with.
public struct CaptureHeader: Sendable, Equatable {
    /// When the capture began, in microseconds since the Unix epoch (UTC). Every part of
    /// one capture carries the same value; record arrival times count from it.
    public var startMicros: Int64
    /// 0 for the first part written, one more for each rotation, so the parts of a
    /// capture (FILE, FILE.1, ...) are read in the order they were written.
    public var part: UInt32
    /// The capture format version the part was written in (`CaptureFormat.version` for
    /// new ones).
    public var version: UInt8

    public init(startMicros: Int64, part: UInt32, version: UInt8 = CaptureFormat.version) {
        self.startMicros = startMicros
        self.part = part
        self.version = version
    }

    /// Whether the part's records may hold answers (version 2 on).
    public var holdsAnswers: Bool { version >= 2 }

    func write(to buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeBytes(CaptureFormat.magic)
        buffer.writeInteger(version)
        buffer.writeBytes([0, 0, 0])
        buffer.writeInteger(startMicros)
        buffer.writeInteger(part)
        // safe: the 20 bytes were written just above.
        let summed = buffer.getBytes(at: start, length: 20)!
        buffer.writeInteger(CRC32C.checksum(summed))
    }

    /// Parses the first `CaptureFormat.headerSize` bytes of the part at `path`.
    static func parse(_ bytes: [UInt8], path: String) throws(CaptureError) -> CaptureHeader {
        guard bytes.count >= CaptureFormat.headerSize else {
            throw .truncated(path: path, offset: 0, needed: CaptureFormat.headerSize, available: bytes.count)
        }
        guard Array(bytes[0..<4]) == CaptureFormat.magic else { throw .notACapture(path: path) }
        guard CaptureFormat.readableVersions.contains(bytes[4]) else { throw .unsupportedVersion(path: path, version: bytes[4]) }
        var buffer = ByteBuffer(bytes: bytes[0..<CaptureFormat.headerSize])
        buffer.moveReaderIndex(forwardBy: 8)
        guard let startMicros = buffer.readInteger(as: Int64.self),
              let part = buffer.readInteger(as: UInt32.self),
              let stored = buffer.readInteger(as: UInt32.self)
        else { throw .truncated(path: path, offset: 0, needed: CaptureFormat.headerSize, available: bytes.count) }
        guard CRC32C.checksum(bytes[0..<20]) == stored else {
            throw .corrupt(path: path, offset: 0, reason: "the file header's checksum does not match")
        }
        return CaptureHeader(startMicros: startMicros, part: part, version: bytes[4])
    }
}
