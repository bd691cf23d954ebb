/// Reads what `ByteWriter` wrote; every read checks bounds and throws `DecodeError`.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readByte() throws(DecodeError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset, needed: 1) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readVarint() throws(DecodeError) -> UInt64 {
        // Most varints of a record (counts, histogram deltas) fit in one byte.
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            // The tenth byte may only carry the top bit of a 64-bit value.
            if shift == 63 && byte > 1 { throw .varintTooLong(offset: start) }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw .varintTooLong(offset: start) }
        }
    }

    public mutating func readSigned() throws(DecodeError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func readInt32(field: String) throws(DecodeError) -> Int32 {
        let value = try readSigned()
        guard let narrow = Int32(exactly: value) else { throw .valueOutOfRange(field: field, value: value) }
        return narrow
    }

    public mutating func readString() throws(DecodeError) -> String {
        let start = offset
        // Validated in place: no copy of the bytes first, and no round trip to compare.
        guard let text = UTF8Text.string(bytes[try readLengthPrefixed()]) else { throw .invalidUTF8(offset: start) }
        return text
    }

    public mutating func readBytes() throws(DecodeError) -> [UInt8] {
        Array(bytes[try readLengthPrefixed()])
    }

    /// The next `count` bytes, without a length prefix; moves past them.
    public mutating func readRaw(_ count: Int) throws(DecodeError) -> ArraySlice<UInt8> {
        let available = bytes.count - offset
        guard count >= 0, count <= available else { throw .truncated(offset: offset, needed: count - available) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Where the next length-prefixed field's bytes are; moves past them.
    private mutating func readLengthPrefixed() throws(DecodeError) -> Range<Int> {
        let length = try readVarint()
        let available = bytes.count - offset
        guard length <= UInt64(available) else {
            throw .truncated(offset: offset, needed: length > UInt64(Int.max) ? Int.max : Int(length) - available)
        }
        let count = Int(length)
        defer { offset += count }
        return offset..<offset + count
    }

    public mutating func readDouble() throws(DecodeError) -> Double {
        guard bytes.count - offset >= 8 else { throw .truncated(offset: offset, needed: 8 - (bytes.count - offset)) }
        var bits: UInt64 = 0
        for index in 0..<8 {
            bits |= UInt64(bytes[offset + index]) << (8 * UInt64(index))
        }
        offset += 8
        return Double(bitPattern: bits)
    }

    public mutating func readBool(field: String) throws(DecodeError) -> Bool {
        let byte = try readByte()
        guard byte <= 1 else { throw .valueOutOfRange(field: field, value: Int64(byte)) }
        return byte == 1
    }
}
