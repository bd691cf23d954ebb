/// Builds B+tree keys whose byte order equals the order of their component tuples.
///
/// - unsigned integers: big-endian, fixed width;
/// - Int64: big-endian with the sign bit flipped, so negatives sort before positives;
/// - strings and byte strings: each 0x00 byte written as 0x00 0xFF, then the terminator
///   0x00 0x01. The terminator sorts below every continuation (0x01..0xFF, or 0x00 0xFF),
///   so a string sorts before its extensions and components compare one by one.
public struct KeyEncoder: Sendable {
    public private(set) var bytes: [UInt8]

    public init() {
        bytes = []
        bytes.reserveCapacity(64)
    }

    public mutating func append(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func append(_ value: UInt16) {
        appendBigEndian(UInt64(value), width: 2)
    }

    public mutating func append(_ value: UInt32) {
        appendBigEndian(UInt64(value), width: 4)
    }

    public mutating func append(_ value: UInt64) {
        appendBigEndian(value, width: 8)
    }

    public mutating func append(_ value: Int64) {
        appendBigEndian(UInt64(bitPattern: value) ^ (1 << 63), width: 8)
    }

    public mutating func append(_ value: String) {
        appendEscaped(value.utf8)
    }

    public mutating func append(bytes value: [UInt8]) {
        appendEscaped(value)
    }

    /// The smallest key greater than every key that starts with `prefix`, for the
    /// exclusive end of a prefix scan; nil when no such key exists (all 0xFF).
    public static func prefixEnd(_ prefix: [UInt8]) -> [UInt8]? {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return nil
    }

    private mutating func appendBigEndian(_ value: UInt64, width: Int) {
        for index in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
        }
    }

    private mutating func appendEscaped<S: Sequence>(_ value: S) where S.Element == UInt8 {
        for byte in value {
            bytes.append(byte)
            if byte == 0 { bytes.append(0xFF) }
        }
        bytes.append(0x00)
        bytes.append(0x01)
    }
}
