/// Percentiles of a `LatencyRecorder` in milliseconds, as reports and `--json` show them.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var count: Int
    public var p50Ms: Double
    public var p90Ms: Double
    public var p99Ms: Double
    public var p999Ms: Double
    public var maxMs: Double

    public init(_ recorder: LatencyRecorder) {
        func ms(_ ns: UInt64) -> Double { Double(ns) / 1e6 }
        count = recorder.count
        p50Ms = ms(recorder.nanoseconds(at: .p50))
        p90Ms = ms(recorder.nanoseconds(at: .p90))
        p99Ms = ms(recorder.nanoseconds(at: .p99))
        p999Ms = ms(recorder.nanoseconds(at: .p999))
        maxMs = ms(recorder.maxNanoseconds)
    }

    enum CodingKeys: String, CodingKey {
        case count
        case p50Ms = "p50_ms"
        case p90Ms = "p90_ms"
        case p99Ms = "p99_ms"
        case p999Ms = "p99_9_ms"
        case maxMs = "max_ms"
    }
}
