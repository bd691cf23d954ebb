/// Reads back the components a `KeyEncoder` wrote, in the same order.
public struct KeyDecoder: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    /// Starts reading at `offset`, past a prefix the caller already knows (a range scan's).
    public init(_ bytes: [UInt8], from offset: Int = 0) {
        self.bytes = bytes
        self.offset = min(max(offset, 0), bytes.count)
    }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readUInt8() throws(DecodeError) -> UInt8 {
        UInt8(try readBigEndian(width: 1))
    }

    public mutating func readUInt16() throws(DecodeError) -> UInt16 {
        UInt16(try readBigEndian(width: 2))
    }

    public mutating func readUInt32() throws(DecodeError) -> UInt32 {
        UInt32(try readBigEndian(width: 4))
    }

    public mutating func readUInt64() throws(DecodeError) -> UInt64 {
        try readBigEndian(width: 8)
    }

    public mutating func readInt64() throws(DecodeError) -> Int64 {
        Int64(bitPattern: try readBigEndian(width: 8) ^ (1 << 63))
    }

    public mutating func readString() throws(DecodeError) -> String {
        let start = offset
        // Most strings hold no zero byte, so no escape: read them straight from the key
        // rather than copying byte by byte (scans read one or two strings per entry).
        if let end = bytes[start...].firstIndex(of: 0), end + 1 < bytes.count, bytes[end + 1] == 0x01 {
            guard let text = UTF8Text.string(bytes[start..<end]) else { throw .invalidUTF8(offset: start) }
            offset = end + 2
            return text
        }
        let raw = try readBytes()
        // Decoding repairs bad sequences with U+FFFD, so a round trip that changes the bytes means invalid UTF-8.
        let text = String(decoding: raw, as: UTF8.self)
        guard text.utf8.elementsEqual(raw) else { throw .invalidUTF8(offset: start) }
        return text
    }

    public mutating func readBytes() throws(DecodeError) -> [UInt8] {
        var result: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            guard byte == 0 else {
                result.append(byte)
                continue
            }
            guard offset < bytes.count else { throw .truncated(offset: offset, needed: 1) }
            let marker = bytes[offset]
            offset += 1
            switch marker {
            case 0x01: return result
            case 0xFF: result.append(0)
            default: throw .badKeyEscape(offset: offset - 2, byte: marker)
            }
        }
        throw .truncated(offset: offset, needed: 2)
    }

    /// Fails unless every byte was consumed, so a key of another shape is not misread.
    public func finish() throws(DecodeError) {
        if offset != bytes.count { throw .trailingBytes(offset: offset, count: bytes.count - offset) }
    }

    private mutating func readBigEndian(width: Int) throws(DecodeError) -> UInt64 {
        guard bytes.count - offset >= width else { throw .truncated(offset: offset, needed: width - (bytes.count - offset)) }
        var value: UInt64 = 0
        for byte in bytes[offset..<offset + width] {
            value = value << 8 | UInt64(byte)
        }
        offset += width
        return value
    }
}
