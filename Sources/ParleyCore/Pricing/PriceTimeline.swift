/// One model's resolved prices over time, so a query pays `PriceTable.resolve`'s
/// pattern matching once per model instead of once per cell.
///
/// Which price applies to a model can only change at the effectiveFrom of an entry whose
/// pattern matches it, so resolving at each of those instants gives every period.
struct PriceTimeline {
    /// Sorted by `from`; each price holds from its `from` until the next one's.
    private let periods: [(from: Millis, price: Price?)]

    init(model: String, table: PriceTable) {
        let starts = Set(table.prices.lazy.filter { $0.specificity(for: model) != nil }.map(\.effectiveFrom)).sorted()
        periods = starts.map { ($0, table.resolve(model: model, at: $0)) }
    }

    func price(at time: Millis) -> Price? {
        var low = 0
        var high = periods.count
        while low < high {
            let middle = (low + high) / 2
            if periods[middle].from <= time { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? periods[low - 1].price : nil
    }

    /// True when one price (or none) holds at every instant of `window`: no period
    /// starts after its first instant and before its end.
    func isUniform(over window: TimeWindow) -> Bool {
        !periods.contains { $0.from > window.since && $0.from < window.until }
    }

    /// Adds the cost of `tokens` at `time` to `sum`, unrounded.
    func add(at time: Millis, tokens: TokenCounts, to sum: inout CostSum) {
        sum.add(tokens, price: price(at: time))
    }

    /// As `PriceTable.cost(model:at:tokens:)`.
    func cost(at time: Millis, tokens: TokenCounts) -> Cost {
        guard let price = price(at: time) else { return Cost(priced: .zero, unpricedTokens: tokens.total) }
        return Cost(priced: price.cost(of: tokens), unpricedTokens: 0)
    }
}
