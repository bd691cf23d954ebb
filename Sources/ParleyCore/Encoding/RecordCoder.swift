/// A record with a compact binary value encoding for the store.
///
/// Layout: one version byte, then a varint of presence bits (bit i set when the i-th
/// optional field is present), then the fields in declaration order: strings and bytes
/// length-prefixed, integers as (zigzag) varints, doubles as 8 little-endian bytes,
/// absent optionals omitted. A new field means a new version; decoders keep reading the
/// versions they know.
public protocol RecordCodable {
    /// Name used in error messages.
    static var recordName: String { get }
    static var recordVersion: UInt8 { get }
    /// The oldest version this build still decodes (files written before a field was added).
    static var oldestReadableVersion: UInt8 { get }
    func encodeFields(into writer: inout ByteWriter)
    init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError)
}

extension RecordCodable {
    public static var oldestReadableVersion: UInt8 { recordVersion }
}

public enum RecordCoder {
    public static func encode<Record: RecordCodable>(_ record: Record) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeByte(Record.recordVersion)
        record.encodeFields(into: &writer)
        return writer.bytes
    }

    public static func decode<Record: RecordCodable>(_ type: Record.Type, from bytes: [UInt8]) throws(DecodeError) -> Record {
        var reader = ByteReader(bytes)
        let version = try reader.readByte()
        guard (Record.oldestReadableVersion...Record.recordVersion).contains(version) else {
            throw .unsupportedVersion(record: Record.recordName, found: version, supported: Record.recordVersion)
        }
        let record = try Record(decodingFieldsFrom: &reader, version: version)
        guard reader.isAtEnd else { throw .trailingBytes(offset: reader.offset, count: bytes.count - reader.offset) }
        return record
    }
}

/// The presence bits of a record's optional fields, in declaration order.
public struct PresenceBits: Sendable, Equatable {
    public private(set) var bits: UInt64
    private var nextIndex: UInt64 = 0

    public init() { bits = 0 }

    public mutating func note(_ present: Bool) {
        if present { bits |= 1 << nextIndex }
        nextIndex += 1
    }

    /// Reads the bits for a record with `count` optional fields, rejecting unknown bits.
    public static func read(from reader: inout ByteReader, count: Int, record: String) throws(DecodeError) -> PresenceBits {
        var presence = PresenceBits()
        presence.bits = try reader.readVarint()
        let known: UInt64 = count >= 64 ? .max : (1 << UInt64(count)) - 1
        if presence.bits & ~known != 0 { throw .unknownPresenceBits(record: record, bits: presence.bits) }
        return presence
    }

    public func has(_ index: Int) -> Bool {
        bits & (1 << UInt64(index)) != 0
    }
}

extension ByteWriter {
    mutating func writeOptionalSigned(_ value: Int64?) {
        if let value { writeSigned(value) }
    }

    mutating func writeOptionalDouble(_ value: Double?) {
        if let value { writeDouble(value) }
    }
}

extension ByteReader {
    mutating func readSigned(if present: Bool) throws(DecodeError) -> Int64? {
        present ? try readSigned() : nil
    }

    mutating func readInt32(if present: Bool, field: String) throws(DecodeError) -> Int32? {
        present ? try readInt32(field: field) : nil
    }

    mutating func readDouble(if present: Bool) throws(DecodeError) -> Double? {
        present ? try readDouble() : nil
    }
}
