import ParleyCore
import ParleyWire

/// Writes generated traffic in the capture format, so `parley-load replay` plays a
/// generated day exactly as it plays a recorded one.
public enum GeneratedCapture {
    /// The capture's start time (µs since the epoch) for `generator`: its first event.
    public static func startMicros(of generator: TrafficGenerator) -> Int64 {
        Int64(generator.firstEventAt) * 1_000
    }

    /// Encodes every event of `generator` with `encoder` into `writer` (which must have
    /// been opened with `startMicros(of:)`). A session's events (turns, duplicates, lead,
    /// feedback) all go on one of `connections` connections, so a replay delivers them in
    /// their order; the directory goes on connection 0. Returns the generator's totals.
    public static func write(_ generator: TrafficGenerator, encoder: some RequestEncoder, connections: Int,
                             to writer: CaptureWriter) throws -> TrafficTotals {
        guard connections > 0 else { throw CaptureError.invalidLimits("use at least 1 connection, not \(connections)") }
        var stream = generator.makeIterator()
        var nextCallID = [UInt32](repeating: 1, count: connections)
        while let event = stream.next() {
            let connection = Self.connection(of: event, among: connections)
            let frame = try encoder.request(for: event, callID: nextCallID[connection])
            nextCallID[connection] &+= 1
            let arrival = UInt64(max(0, Int64(event.at) * 1_000 - writer.startMicros))
            try writer.record(frame, connection: UInt32(connection), arrivalMicros: arrival)
        }
        return stream.totals
    }

    static func connection(of event: TrafficEvent, among connections: Int) -> Int {
        let session: String
        switch event.kind {
        case .device, .contact, .persona: return 0
        case .turn(let t), .duplicateTurn(let t): session = t.sessionId
        case .lead(let l): session = l.sessionId
        case .feedback(let f): session = f.sessionId
        }
        return Int(CRC32C.checksum(session.utf8) % UInt32(connections))
    }
}
