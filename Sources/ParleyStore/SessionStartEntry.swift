import ParleyCore

/// The value of a `sessions.by_start` entry (store format 5): the lead flag first, so
/// listings filter on the first byte alone, then what the Sessions report sums over a
/// window. The report walks the index of the window and decodes whole metrics only for
/// the rows it lists, instead of looking up and decoding every session's metrics.
/// Kept by `SessionMetricsWriter.save` in the transaction that changes the metrics.
struct SessionStartEntry: Sendable, Equatable, CustomStringConvertible {
    var hasLead: Bool
    var totalMessages: Int64
    var totalTokens: Int64
    var duration: Millis?
    var averageResponseTime: Millis?
    var userSatisfaction: Double?

    init(_ metrics: SessionMetrics) {
        hasLead = metrics.hasLead
        totalMessages = metrics.totalMessages
        totalTokens = metrics.totalTokens
        duration = metrics.duration
        averageResponseTime = metrics.averageResponseTime
        userSatisfaction = metrics.userSatisfaction
    }

    /// Which optional fields follow, one bit each.
    private enum Present: UInt8 {
        case duration = 1
        case averageResponseTime = 2
        case userSatisfaction = 4
    }

    /// lead flag (0/1), presence bits, messages, tokens, then the present optionals in
    /// order; fixed-width big-endian fields (`KeyEncoder`'s integers).
    var bytes: [UInt8] {
        var encoder = KeyEncoder()
        encoder.append(UInt8(hasLead ? 1 : 0))
        var present: UInt8 = 0
        if duration != nil { present |= Present.duration.rawValue }
        if averageResponseTime != nil { present |= Present.averageResponseTime.rawValue }
        if userSatisfaction != nil { present |= Present.userSatisfaction.rawValue }
        encoder.append(present)
        encoder.append(totalMessages)
        encoder.append(totalTokens)
        if let duration { encoder.append(duration) }
        if let averageResponseTime { encoder.append(averageResponseTime) }
        if let userSatisfaction { encoder.append(userSatisfaction.bitPattern) }
        return encoder.bytes
    }

    init(decoding bytes: [UInt8]) throws(DecodeError) {
        var decoder = KeyDecoder(bytes)
        hasLead = try decoder.readUInt8() == 1
        let present = try decoder.readUInt8()
        totalMessages = try decoder.readInt64()
        totalTokens = try decoder.readInt64()
        duration = present & Present.duration.rawValue != 0 ? try decoder.readInt64() : nil
        averageResponseTime = present & Present.averageResponseTime.rawValue != 0 ? try decoder.readInt64() : nil
        userSatisfaction = present & Present.userSatisfaction.rawValue != 0 ? Double(bitPattern: try decoder.readUInt64()) : nil
        try decoder.finish()
    }

    var description: String {
        "lead \(hasLead), messages \(totalMessages), tokens \(totalTokens), duration \(duration.map(String.init) ?? "none"), "
            + "average response \(averageResponseTime.map(String.init) ?? "none"), satisfaction \(userSatisfaction.map { "\($0)" } ?? "none")"
    }
}
