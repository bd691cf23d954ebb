/// Appends the primitives of the record encoding: LEB128 varints, zigzag signed
/// varints, length-prefixed UTF-8, and little-endian IEEE doubles.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { bytes.count }

    public mutating func reserve(_ capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Bytes without a length prefix (the reader must know their count).
    public mutating func append(_ raw: ArraySlice<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    public mutating func writeByte(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Zigzag keeps small negative numbers short.
    public mutating func writeSigned(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func writeString(_ value: String) {
        writeVarint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    public mutating func writeBytes(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func writeDouble(_ value: Double) {
        let bits = value.bitPattern
        for index in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(index))))
        }
    }

    public mutating func writeBool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }
}
