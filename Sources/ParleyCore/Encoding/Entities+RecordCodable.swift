// Value encodings of the small records: the directory entries, messages, leads and
// feedback. Layout as described on `RecordCodable`.

extension Message: RecordCodable {
    public static let recordName = "Message"
    /// Version 2 packs the content (`TextCompression`).
    public static let recordVersion: UInt8 = 2
    public static let oldestReadableVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        var presence = PresenceBits()
        presence.note(createdAt != nil)
        writer.writeVarint(presence.bits)
        for id in [messageId, organizationId, contactId, deviceId, sessionId] {
            writer.writeString(id)
        }
        writer.writePackedString(content)
        writer.writeSigned(Int64(direction.rawValue))
        writer.writeOptionalSigned(createdAt)
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        let presence = try PresenceBits.read(from: &reader, count: 1, record: Self.recordName)
        self.init(messageId: try reader.readString(), organizationId: try reader.readString(),
                  contactId: try reader.readString(), deviceId: try reader.readString(),
                  sessionId: try reader.readString(), content: try reader.readText(packed: version >= 2))
        let rawDirection = try reader.readInt32(field: "direction")
        guard let direction = Direction(rawValue: rawDirection) else {
            throw .valueOutOfRange(field: "direction", value: Int64(rawDirection))
        }
        self.direction = direction
        createdAt = try reader.readSigned(if: presence.has(0))
    }
}

extension Device: RecordCodable {
    public static let recordName = "Device"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        for text in [organizationId, deviceId, name, phoneNumber] { writer.writeString(text) }
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        self.init(organizationId: try reader.readString(), deviceId: try reader.readString(),
                  name: try reader.readString(), phoneNumber: try reader.readString())
    }
}

extension Contact: RecordCodable {
    public static let recordName = "Contact"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        for text in [organizationId, contactId, name, phoneNumber] { writer.writeString(text) }
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        self.init(organizationId: try reader.readString(), contactId: try reader.readString(),
                  name: try reader.readString(), phoneNumber: try reader.readString())
    }
}

extension Persona: RecordCodable {
    public static let recordName = "Persona"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        for text in [organizationId, personaId, name, defaultModel] { writer.writeString(text) }
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        self.init(organizationId: try reader.readString(), personaId: try reader.readString(),
                  name: try reader.readString(), defaultModel: try reader.readString())
    }
}

extension Widget: RecordCodable {
    public static let recordName = "Widget"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        for text in [organizationId, widgetId, userId, name] { writer.writeString(text) }
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        self.init(organizationId: try reader.readString(), widgetId: try reader.readString(),
                  userId: try reader.readString(), name: try reader.readString())
    }
}

extension Lead: RecordCodable {
    public static let recordName = "Lead"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        var presence = PresenceBits()
        presence.note(capturedAt != nil)
        writer.writeVarint(presence.bits)
        for text in [organizationId, sessionId, name, email, company] { writer.writeString(text) }
        writer.writeOptionalSigned(capturedAt)
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        let presence = try PresenceBits.read(from: &reader, count: 1, record: Self.recordName)
        self.init(organizationId: try reader.readString(), sessionId: try reader.readString(),
                  name: try reader.readString(), email: try reader.readString(),
                  company: try reader.readString())
        capturedAt = try reader.readSigned(if: presence.has(0))
    }
}

extension Feedback: RecordCodable {
    public static let recordName = "Feedback"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        var presence = PresenceBits()
        presence.note(givenAt != nil)
        writer.writeVarint(presence.bits)
        for text in [organizationId, sessionId, turnId] { writer.writeString(text) }
        writer.writeSigned(Int64(score))
        writer.writeOptionalSigned(givenAt)
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        let presence = try PresenceBits.read(from: &reader, count: 1, record: Self.recordName)
        self.init(organizationId: try reader.readString(), sessionId: try reader.readString(),
                  turnId: try reader.readString())
        score = try reader.readInt32(field: "score")
        givenAt = try reader.readSigned(if: presence.has(0))
    }
}
