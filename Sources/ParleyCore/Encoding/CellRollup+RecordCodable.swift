extension CellRollup: RecordCodable {
    public static let recordName = "CellRollup"
    /// Version 2 appends the reasoning tokens after the histogram.
    public static let recordVersion: UInt8 = 2
    public static let oldestReadableVersion: UInt8 = 1

    public func encodeFields(into writer: inout ByteWriter) {
        var presence = PresenceBits()
        presence.note(lastActivity != nil)
        writer.writeVarint(presence.bits)
        for value in [count, tokens.input, tokens.output, tokens.cachedRead, tokens.cacheWrite, tokens.total,
                      responseTimeSum, responseTimeCount] {
            writer.writeSigned(value)
        }
        writer.writeOptionalSigned(lastActivity)
        // Indexes as deltas from the previous one: small varints for clustered latencies.
        writer.writeVarint(UInt64(latency.buckets.count))
        var previous: Int64 = -1
        for bucket in latency.buckets {
            writer.writeVarint(UInt64(Int64(bucket.index) - previous))
            writer.writeVarint(UInt64(bucket.count))
            previous = Int64(bucket.index)
        }
        writer.writeSigned(tokens.reasoning)
    }

    public init(decodingFieldsFrom reader: inout ByteReader, version: UInt8) throws(DecodeError) {
        try self.init(reading: &reader, keepingLatency: true, version: version)
    }

    /// `RecordCoder.decode`, optionally leaving the latency histogram empty: building it
    /// is most of a rollup's decoding, and a read that reports no percentiles drops it.
    /// Its bytes are checked either way, so damage is reported alike.
    public static func decode(_ bytes: [UInt8], keepingLatency: Bool) throws(DecodeError) -> CellRollup {
        var reader = ByteReader(bytes)
        let version = try reader.readByte()
        guard (oldestReadableVersion...recordVersion).contains(version) else {
            throw .unsupportedVersion(record: recordName, found: version, supported: recordVersion)
        }
        let rollup = try CellRollup(reading: &reader, keepingLatency: keepingLatency, version: version)
        guard reader.isAtEnd else { throw .trailingBytes(offset: reader.offset, count: bytes.count - reader.offset) }
        return rollup
    }

    private init(reading reader: inout ByteReader, keepingLatency: Bool, version: UInt8) throws(DecodeError) {
        let presence = try PresenceBits.read(from: &reader, count: 1, record: Self.recordName)
        self.init(count: try reader.readSigned(),
                  tokens: TokenCounts(input: try reader.readSigned(), output: try reader.readSigned(),
                                      cachedRead: try reader.readSigned(), cacheWrite: try reader.readSigned(),
                                      total: try reader.readSigned()),
                  responseTimeSum: try reader.readSigned(), responseTimeCount: try reader.readSigned())
        lastActivity = try reader.readSigned(if: presence.has(0))
        let bucketCount = try reader.readVarint()
        let maxBuckets = UInt64(LatencyHistogram.bucketIndex(for: .max)) + 1
        guard bucketCount <= maxBuckets else { throw .valueOutOfRange(field: "histogram.buckets", value: Int64(clamping: bucketCount)) }
        var buckets: [LatencyHistogram.Bucket] = []
        if keepingLatency { buckets.reserveCapacity(Int(bucketCount)) }
        var previous: Int64 = -1
        for _ in 0..<bucketCount {
            let delta = try reader.readVarint()
            guard delta >= 1, delta <= maxBuckets else { throw .valueOutOfRange(field: "histogram.index", value: Int64(clamping: delta)) }
            let index = previous + Int64(delta)
            guard index < Int64(maxBuckets) else { throw .valueOutOfRange(field: "histogram.index", value: index) }
            let count = try reader.readVarint()
            guard count >= 1, count <= UInt64(Int64.max) else { throw .valueOutOfRange(field: "histogram.count", value: Int64(clamping: count)) }
            if keepingLatency { buckets.append(LatencyHistogram.Bucket(index: Int32(index), count: Int64(count))) }
            previous = index
        }
        latency = try LatencyHistogram(validating: buckets)
        if version >= 2 { tokens.reasoning = try reader.readSigned() }
    }
}
