/// A price table as one query uses it: each model's prices are resolved once, on its
/// first use, so pricing many cells or turns costs a lookup each rather than
/// `PriceTable.resolve`'s pattern matching.
public struct ModelPrices {
    private let table: PriceTable
    private var timelines: [String: PriceTimeline] = [:]

    public init(_ table: PriceTable) {
        self.table = table
    }

    /// As `PriceTable.cost(model:at:tokens:)`.
    public mutating func cost(model: String, at time: Millis, tokens: TokenCounts) -> Cost {
        if let known = timelines[model] { return known.cost(at: time, tokens: tokens) }
        let timeline = PriceTimeline(model: model, table: table)
        timelines[model] = timeline
        return timeline.cost(at: time, tokens: tokens)
    }
}
