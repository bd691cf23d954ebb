/// A price table as one query uses it: each model's prices are resolved once, on its
/// first use, so pricing many cells or turns costs a lookup each rather than
/// `PriceTable.resolve`'s pattern matching.
public struct ModelPrices {
    private let table: PriceTable
    private var timelines: [String: PriceTimeline] = [:]

    public init(_ table: PriceTable) {
        self.table = table
    }

    /// Adds the cost of `tokens` of `model` at `time` to `sum`, unrounded: sums of many
    /// cells or turns round once, so they do not depend on how the tokens were grouped.
    public mutating func add(model: String, at time: Millis, tokens: TokenCounts, to sum: inout CostSum) {
        timeline(of: model).add(at: time, tokens: tokens, to: &sum)
    }

    /// True when `model` has one price (or none) over the whole of `window`, so tokens
    /// spent anywhere in it cost what they cost at its start.
    public mutating func isUniform(model: String, over window: TimeWindow) -> Bool {
        timeline(of: model).isUniform(over: window)
    }

    private mutating func timeline(of model: String) -> PriceTimeline {
        if let known = timelines[model] { return known }
        let timeline = PriceTimeline(model: model, table: table)
        timelines[model] = timeline
        return timeline
    }

    /// As `PriceTable.cost(model:at:tokens:)`.
    public mutating func cost(model: String, at time: Millis, tokens: TokenCounts) -> Cost {
        if let known = timelines[model] { return known.cost(at: time, tokens: tokens) }
        let timeline = PriceTimeline(model: model, table: table)
        timelines[model] = timeline
        return timeline.cost(at: time, tokens: tokens)
    }
}
