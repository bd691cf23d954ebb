/// Answers a `UsageQuery` from hour cells: buckets each cell's hour in the caller's
/// zone, groups, sums, prices and orders. Pure and deterministic.
///
/// Cost is computed per cell (one model, one hour) with the price in force at that
/// hour, then summed, so a price change re-prices exactly the hours from its effective
/// date. Ordering: with one bucket (granularity none) rows are ordered by the measure;
/// otherwise chronologically by bucket, then by the measure within a bucket, and `top`
/// applies per bucket. Ties fall back to the group values, so output never depends on
/// the order of the input cells.
public enum UsageEngine {
    public static func run<Cells: Sequence>(_ query: UsageQuery, cells: Cells, prices: PriceTable) throws(ValidationError) -> UsageResult
    where Cells.Element == UsageCell {
        var check = ViolationCollector()
        if query.window.since > query.window.until {
            check.add("window", "since_ms \(query.window.since) is after until_ms \(query.window.until); give since <= until")
        }
        if query.top < 0 { check.add("top", "is \(query.top); give 0 (all) or a positive count") }
        var bucketer: ZoneBucketer?
        do {
            bucketer = try ZoneBucketer.named(query.timeZone)
        } catch {
            check.add("time_zone", error.description)
        }
        try check.finish()
        guard let bucketer else { return UsageResult(rows: [], totalCost: .zero) }

        let groupBy = query.groupBy.filter { $0 != .all }
        var buckets: [Millis: LocalBucket] = [:]
        var groups: [GroupKey: Accumulator] = [:]
        var totalCost = Cost.zero
        for cell in cells where query.window.contains(cell.hourStart) {
            guard query.filters.allSatisfy({ dimension, allowed in allowed.contains(cell.value(for: dimension)) }) else { continue }
            let bucket: LocalBucket
            if query.granularity == .none {
                bucket = LocalBucket(start: query.window.since, label: "")
            } else if let known = buckets[cell.hourStart] {
                bucket = known
            } else {
                bucket = bucketer.bucket(forHourStart: cell.hourStart, granularity: query.granularity)
                buckets[cell.hourStart] = bucket
            }
            let cost = prices.cost(model: cell.model, at: cell.hourStart, tokens: cell.rollup.tokens)
            totalCost += cost
            let key = GroupKey(bucket: bucket, group: groupBy.map { cell.value(for: $0) })
            groups[key, default: Accumulator()].add(cell.rollup, cost: cost)
        }

        let rows = groups.map { key, accumulated in accumulated.row(for: key) }
        return UsageResult(rows: order(rows, query: query), totalCost: totalCost)
    }

    private struct GroupKey: Hashable {
        let bucket: LocalBucket
        let group: [String]
    }

    private struct Accumulator {
        var rollup = HourRollup()
        var cost = Cost.zero

        mutating func add(_ cell: HourRollup, cost: Cost) {
            rollup.merge(cell)
            self.cost += cost
        }

        func row(for key: GroupKey) -> UsageRow {
            UsageRow(bucketStart: key.bucket.start, bucketLabel: key.bucket.label, group: key.group,
                     count: rollup.count, tokens: rollup.tokens,
                     avgTokens: rollup.count > 0 ? Double(rollup.tokens.total) / Double(rollup.count) : 0,
                     cost: cost, avgResponseTime: rollup.averageResponseTime,
                     p50ResponseTime: rollup.latency.percentile(0.5), p90ResponseTime: rollup.latency.percentile(0.9),
                     p99ResponseTime: rollup.latency.percentile(0.99), lastActivity: rollup.lastActivity)
        }
    }

    private static func order(_ rows: [UsageRow], query: UsageQuery) -> [UsageRow] {
        let sorted = rows.sorted { a, b in
            if query.granularity != .none, a.bucketStart != b.bucketStart { return a.bucketStart < b.bucketStart }
            switch compare(a, b, by: query.orderBy) {
            case .some(let aFirst): return query.ascending ? aFirst : !aFirst
            case .none: return a.group.lexicographicallyPrecedes(b.group) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            }
        }
        guard query.top > 0 else { return sorted }
        var kept: [UsageRow] = []
        var inBucket = 0
        var currentBucket: Millis?
        for row in sorted {
            if row.bucketStart != currentBucket {
                currentBucket = row.bucketStart
                inBucket = 0
            }
            if inBucket < query.top { kept.append(row) }
            inBucket += 1
        }
        return kept
    }

    /// Whether `a` is smaller than `b` by the measure, or nil when they tie. Costs compare
    /// by priced money, then by unpriced tokens, so of two equally priced rows the one
    /// hiding unknown cost ranks as the larger.
    private static func compare(_ a: UsageRow, _ b: UsageRow, by measure: Measure) -> Bool? {
        func decide<T: Comparable>(_ x: T, _ y: T) -> Bool? { x == y ? nil : x < y }
        switch measure {
        case .count: return decide(a.count, b.count)
        case .inputTokens: return decide(a.tokens.input, b.tokens.input)
        case .outputTokens: return decide(a.tokens.output, b.tokens.output)
        case .totalTokens: return decide(a.tokens.total, b.tokens.total)
        case .cost:
            return decide(a.cost.priced, b.cost.priced) ?? decide(a.cost.unpricedTokens, b.cost.unpricedTokens)
        case .lastActivity: return decide(a.lastActivity ?? .min, b.lastActivity ?? .min)
        case .avgResponseTime: return decide(a.avgResponseTime ?? -1, b.avgResponseTime ?? -1)
        }
    }
}
