extension Price: RecordCodable {
    public static let recordName = "Price"
    /// Version 2 appends the source.
    public static let recordVersion: UInt8 = 2
    public static let oldestReadableVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        writer.writeString(modelPattern)
        for value in [inputNanosPerMTok, outputNanosPerMTok, cachedReadNanosPerMTok, cacheWriteNanosPerMTok, effectiveFrom] {
            writer.writeSigned(value)
        }
        writer.writeString(source)
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        self.init(modelPattern: try reader.readString(), inputNanosPerMTok: try reader.readSigned(),
                  outputNanosPerMTok: try reader.readSigned(), cachedReadNanosPerMTok: try reader.readSigned(),
                  cacheWriteNanosPerMTok: try reader.readSigned(), effectiveFrom: try reader.readSigned())
        if version >= 2 { source = try reader.readString() }
    }
}
