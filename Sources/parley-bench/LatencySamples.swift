/// Latency samples in nanoseconds and their percentiles.
struct LatencySamples {
    private(set) var values: [UInt64] = []

    mutating func reserve(_ n: Int) { values.reserveCapacity(n) }
    mutating func add(_ ns: UInt64) { values.append(ns) }
    mutating func merge(_ other: LatencySamples) { values += other.values }

    /// The p-th percentile (0...100) in milliseconds.
    func percentileMs(_ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1e6
    }
}
