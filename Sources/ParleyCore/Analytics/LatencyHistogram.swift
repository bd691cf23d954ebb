/// A log-linear histogram of latencies in ms (HdrHistogram's layout, compact and sparse).
///
/// Values below 64 have a bucket each. Above, each power of two [2^e, 2^(e+1)) is cut
/// into 64 equal buckets, so a bucket spans at most 1/64 of its lower bound. Percentiles
/// report the bucket's midpoint, within 1/128 (0.8%) of any value in it. Buckets are kept
/// sparse, sorted by index, so an hour with a few replies stays a few bytes, and two
/// histograms merge by adding counts, exactly and in any order.
public struct LatencyHistogram: Sendable, Equatable {
    static let subBucketBits = 6
    static let subBucketCount: Int64 = 1 << 6

    /// (bucket index, count), strictly increasing by index, no zero counts.
    public private(set) var buckets: [Bucket]

    public struct Bucket: Sendable, Equatable {
        public var index: Int32
        public var count: Int64
    }

    public init() {
        buckets = []
    }

    public var totalCount: Int64 { buckets.reduce(0) { $0 + $1.count } }

    public var isEmpty: Bool { buckets.isEmpty }

    /// Records one latency; negative values (impossible after intake) count as 0.
    public mutating func record(_ latency: Millis, count: Int64 = 1) {
        add(index: Self.bucketIndex(for: max(latency, 0)), count: count)
    }

    public mutating func merge(_ other: LatencyHistogram) {
        for bucket in other.buckets { add(index: bucket.index, count: bucket.count) }
    }

    /// Takes back one `record(latency)`, so a turn can move between rollup cells; a
    /// bucket that reaches zero is dropped, and removing from an empty bucket does nothing.
    public mutating func remove(_ latency: Millis, count: Int64 = 1) {
        let index = Self.bucketIndex(for: max(latency, 0))
        guard count > 0, let position = buckets.firstIndex(where: { $0.index == index }) else { return }
        buckets[position].count -= count
        if buckets[position].count <= 0 { buckets.remove(at: position) }
    }

    /// The nearest-rank percentile (q in 0...1) as the midpoint of its bucket, or nil when empty.
    public func percentile(_ q: Double) -> Millis? {
        let total = totalCount
        guard total > 0 else { return nil }
        let rank = max(1, Int64((q * Double(total)).rounded(.up)))
        var seen: Int64 = 0
        for bucket in buckets {
            seen += bucket.count
            if seen >= rank { return Self.representative(of: bucket.index) }
        }
        return buckets.last.map { Self.representative(of: $0.index) }
    }

    static func bucketIndex(for value: Millis) -> Int32 {
        guard value >= subBucketCount else { return Int32(value) }
        let exponent = Int64(63 - value.leadingZeroBitCount)
        let shift = exponent - Int64(subBucketBits)
        let mantissa = value >> shift // in 64..<128
        return Int32(subBucketCount + shift * subBucketCount + (mantissa - subBucketCount))
    }

    static func bounds(of index: Int32) -> ClosedRange<Millis> {
        let index = Int64(index)
        guard index >= subBucketCount else { return index...index }
        let shift = (index - subBucketCount) / subBucketCount
        let mantissa = subBucketCount + (index - subBucketCount) % subBucketCount
        let lower = mantissa << shift
        return lower...(lower + ((Int64(1) << shift) - 1))
    }

    static func representative(of index: Int32) -> Millis {
        let range = bounds(of: index)
        return range.lowerBound + (range.upperBound - range.lowerBound) / 2
    }

    /// Rebuilds a histogram from decoded buckets, rejecting any that `record` could not make.
    init(validating buckets: [Bucket]) throws(DecodeError) {
        let maxIndex = Self.bucketIndex(for: .max)
        var previous: Int32 = -1
        for bucket in buckets {
            guard bucket.index > previous, bucket.index <= maxIndex else {
                throw .valueOutOfRange(field: "histogram.index", value: Int64(bucket.index))
            }
            guard bucket.count > 0 else { throw .valueOutOfRange(field: "histogram.count", value: bucket.count) }
            previous = bucket.index
        }
        self.buckets = buckets
    }

    private mutating func add(index: Int32, count: Int64) {
        guard count > 0 else { return }
        var low = 0
        var high = buckets.count
        while low < high {
            let middle = (low + high) / 2
            if buckets[middle].index < index { low = middle + 1 } else { high = middle }
        }
        if low < buckets.count, buckets[low].index == index {
            buckets[low].count += count
        } else {
            buckets.insert(Bucket(index: index, count: count), at: low)
        }
    }
}
