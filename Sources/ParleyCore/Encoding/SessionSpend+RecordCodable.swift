extension SessionSpend: RecordCodable {
    public static let recordName = "SessionSpend"
    public static let recordVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        writer.writeVarint(UInt64(entries.count))
        // Times as deltas from the previous entry: a session's turns are minutes apart.
        var previous: Millis = 0
        for entry in entries {
            writer.writeString(entry.turnId)
            writer.writeSigned(entry.time &- previous)
            previous = entry.time
            writer.writeString(entry.personaId)
            writer.writeString(entry.model)
            for value in [entry.tokens.input, entry.tokens.output, entry.tokens.cachedRead, entry.tokens.cacheWrite, entry.tokens.total] {
                writer.writeSigned(value)
            }
        }
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        let count = try reader.readVarint()
        var entries: [Entry] = []
        // A damaged count fails at the first read past the record; reserve no more than a session's usual size on its word.
        entries.reserveCapacity(Int(min(count, 64)))
        var previous: Millis = 0
        for _ in 0..<count {
            let turnId = try reader.readString()
            let time = previous &+ (try reader.readSigned())
            previous = time
            entries.append(Entry(turnId: turnId, time: time, personaId: try reader.readString(), model: try reader.readString(),
                                 tokens: TokenCounts(input: try reader.readSigned(), output: try reader.readSigned(), cachedRead: try reader.readSigned(),
                                                     cacheWrite: try reader.readSigned(), total: try reader.readSigned())))
        }
        self.init(entries: entries)
    }
}
