/// Answers a `UsageQuery` from cells: buckets each cell's start in the caller's zone,
/// groups, sums, prices and orders. Pure and deterministic.
///
/// Cost is computed per cell (one model, one 15-minute cell or one turn) with the price
/// in force at its start, then summed, so a price change re-prices exactly the cells
/// from its effective date (the store reads the turns of a cell a price change cuts). Ordering: with one bucket (granularity none) rows are ordered by the measure;
/// otherwise chronologically by bucket, then by the measure within a bucket, and `top`
/// applies per bucket. Ties fall back to the group values, so output never depends on
/// the order of the input cells.
public enum UsageEngine {
    public static func run<Cells: Sequence>(_ query: UsageQuery, cells: Cells, prices: PriceTable) throws(ValidationError) -> UsageResult
    where Cells.Element == UsageCell {
        var aggregator = try UsageAggregator(query, prices: prices)
        for cell in cells { aggregator.add(cell) }
        return aggregator.result()
    }

    /// `rows` in the query's order, cut to its `top`.
    public static func order(_ rows: [UsageRow], query: UsageQuery) -> [UsageRow] {
        let precedes = { (a: UsageRow, b: UsageRow) -> Bool in
            if query.granularity != .none, a.bucketStart != b.bucketStart { return a.bucketStart < b.bucketStart }
            switch compare(a, b, by: query.orderBy) {
            case .some(let aFirst): return query.ascending ? aFirst : !aFirst
            case .none: return a.group.lexicographicallyPrecedes(b.group) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            }
        }
        // One bucket and a top (contacts: 20 of ~100k): select instead of sorting every row.
        if query.granularity == .none, query.top > 0 { return rows.smallest(query.top, by: precedes) }
        let sorted = rows.sorted(by: precedes)
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
