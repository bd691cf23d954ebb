import Histogram

/// Latencies in nanoseconds over an HdrHistogram (3 significant digits, auto-resizing),
/// the one percentile implementation of the load tool and the benchmarks.
///
/// The rank rule (nearest rank): the p-th percentile of n recorded values is the
/// smallest recorded value v such that at least ceil(p/100 × n) values are ≤ v, reported
/// as the highest value the histogram cannot tell apart from v (within 0.1%), and never
/// above the largest value recorded. So p50 of 1...10 is 5, p99 of 1...10 is 10, and
/// p100 is the maximum.
public struct LatencyRecorder: Sendable {
    private var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)

    public init() {}

    public mutating func record(nanoseconds: UInt64) {
        // Auto-resizing: every UInt64 below UInt64.max / 2 fits, far beyond any latency.
        _ = histogram.record(min(nanoseconds, UInt64.max / 4))
    }

    public mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return record(nanoseconds: 0) }
        record(nanoseconds: UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
    }

    public mutating func merge(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
    }

    public var count: Int { Int(histogram.totalCount) }

    /// The `percent`-th percentile (0 < percent ≤ 100) in nanoseconds, 0 when nothing was recorded.
    public func nanoseconds(atPercentile percent: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        return histogram.valueAtPercentile(percent)
    }

    public func nanoseconds(at percentile: LatencyPercentile) -> UInt64 {
        nanoseconds(atPercentile: percentile.rawValue)
    }

    /// The same percentile in milliseconds, as the benchmarks report it.
    public func milliseconds(atPercentile percent: Double) -> Double {
        Double(nanoseconds(atPercentile: percent)) / 1e6
    }

    /// The largest value recorded, exactly.
    public var maxNanoseconds: UInt64 { count > 0 ? histogram.maxRecorded : 0 }

    public var summary: LatencySummary { LatencySummary(self) }
}
