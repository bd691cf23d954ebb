/// The percentiles every Parley latency report gives.
public enum LatencyPercentile: Double, Sendable, CaseIterable {
    case p50 = 50
    case p90 = 90
    case p99 = 99
    case p999 = 99.9
}
