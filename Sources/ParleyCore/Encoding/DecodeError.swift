/// Why stored bytes could not be decoded. Decoders return these instead of trapping,
/// so a damaged page surfaces as an error the checker and the caller can report.
public enum DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(offset: Int, needed: Int)
    case varintTooLong(offset: Int)
    case invalidUTF8(offset: Int)
    case badKeyEscape(offset: Int, byte: UInt8)
    case unsupportedVersion(record: String, found: UInt8, supported: UInt8)
    case valueOutOfRange(field: String, value: Int64)
    case unknownPresenceBits(record: String, bits: UInt64)
    case trailingBytes(offset: Int, count: Int)
    case badPackedText(offset: Int, reason: String)

    public var description: String {
        switch self {
        case let .truncated(offset, needed):
            return "bytes end at offset \(offset) where \(needed) more were expected (truncated value)"
        case let .varintTooLong(offset):
            return "varint at offset \(offset) runs past 10 bytes (garbled value)"
        case let .invalidUTF8(offset):
            return "string at offset \(offset) is not valid UTF-8 (garbled value)"
        case let .badKeyEscape(offset, byte):
            return "key byte 0x00 at offset \(offset) is followed by 0x\(String(byte, radix: 16)), not an escape or terminator"
        case let .unsupportedVersion(record, found, supported):
            return "\(record) encoded with version \(found); this build reads version \(supported) (newer data, or garbled)"
        case let .valueOutOfRange(field, value):
            return "\(field) decoded as \(value), outside its range (garbled value)"
        case let .unknownPresenceBits(record, bits):
            return "\(record) has unknown presence bits 0x\(String(bits, radix: 16)) (garbled value)"
        case let .trailingBytes(offset, count):
            return "\(count) unexpected bytes after the value at offset \(offset)"
        case let .badPackedText(offset, reason):
            return "packed text at offset \(offset): \(reason) (garbled value)"
        }
    }
}
