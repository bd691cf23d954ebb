/// A usage query's running answer: cells are added as the store reads them and summed
/// into their groups at once, so a query holds one accumulator per group rather than
/// every cell it read.
///
/// Cost is computed per cell (one model, one cell or turn) with the price in force at its
/// start, and summed unrounded (`CostSum`): a row rounds once.
public struct UsageAggregator {
    private let query: UsageQuery
    private let bucketer: ZoneBucketer
    private var prices: ModelPrices
    private let groupBy: [Dimension]
    private var buckets: [Millis: LocalBucket] = [:]
    private var groups: [GroupKey: Accumulator] = [:]
    private var totalCost = CostSum()

    /// Checks the query first, so a bad one fails before any data is read.
    public init(_ query: UsageQuery, prices: PriceTable) throws(ValidationError) {
        var check = ViolationCollector()
        if query.window.since > query.window.until {
            check.add("window", "since_ms \(query.window.since) is after until_ms \(query.window.until); give since <= until")
        }
        if query.top < 0 { check.add("top", "is \(query.top); give 0 (all) or a positive count") }
        do {
            bucketer = try ZoneBucketer.named(query.timeZone)
        } catch {
            check.add("time_zone", error.description)
            throw ValidationError(check.violations)
        }
        try check.finish()
        self.query = query
        self.prices = ModelPrices(prices)
        groupBy = query.groupBy.filter { $0 != .all }
    }

    public mutating func add(_ cell: UsageCell) {
        add(start: cell.start, model: cell.model, rollup: cell.rollup, value: cell.value(for:))
    }

    /// A cell given by its parts, `value` answering as `UsageCell.value(for:)`: a rollup
    /// scan adds its cells without a `UsageCell` and its dictionary each.
    public mutating func add(start: Millis, model: String, rollup: CellRollup, value: (Dimension) -> String) {
        guard query.window.contains(start) else { return }
        guard query.filters.allSatisfy({ dimension, allowed in allowed.contains(value(dimension)) }) else { return }
        let bucket: LocalBucket
        if query.granularity == .none {
            bucket = LocalBucket(start: query.window.since, label: "")
        } else if let known = buckets[start] {
            bucket = known
        } else {
            bucket = bucketer.bucket(containing: start, granularity: query.granularity)
            buckets[start] = bucket
        }
        var cost = CostSum()
        prices.add(model: model, at: start, tokens: rollup.tokens, to: &cost)
        totalCost.add(cost)
        let key = GroupKey(bucket: bucket, group: groupBy.map(value))
        groups[key, default: Accumulator()].add(rollup, cost: cost, withLatency: query.responseTimePercentiles)
    }

    /// The rows, ordered and cut as `UsageEngine` documents.
    public func result() -> UsageResult {
        let rows = groups.map { key, accumulated in accumulated.row(for: key) }
        return UsageResult(rows: UsageEngine.order(rows, query: query), totalCost: totalCost.cost)
    }

    private struct GroupKey: Hashable {
        let bucket: LocalBucket
        let group: [String]
    }

    private struct Accumulator {
        var rollup = CellRollup()
        var cost = CostSum()

        mutating func add(_ cell: CellRollup, cost: CostSum, withLatency: Bool) {
            if withLatency { rollup.merge(cell) } else { rollup.mergeTotals(cell) }
            self.cost.add(cost)
        }

        func row(for key: GroupKey) -> UsageRow {
            UsageRow(bucketStart: key.bucket.start, bucketLabel: key.bucket.label, group: key.group,
                     count: rollup.count, tokens: rollup.tokens,
                     avgTokens: rollup.count > 0 ? Double(rollup.tokens.total) / Double(rollup.count) : 0,
                     cost: cost.cost, avgResponseTime: rollup.averageResponseTime,
                     p50ResponseTime: rollup.latency.percentile(0.5), p90ResponseTime: rollup.latency.percentile(0.9),
                     p99ResponseTime: rollup.latency.percentile(0.99), lastActivity: rollup.lastActivity)
        }
    }
}
