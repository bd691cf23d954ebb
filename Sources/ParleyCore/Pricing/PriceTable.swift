/// The prices in force, with their history.
///
/// Resolution of (model, time): among entries whose pattern matches the model and whose
/// effectiveFrom <= time, the most specific pattern wins (exact name, then the longest
/// prefix); within that pattern, the latest effectiveFrom. So a newer exact price never
/// hides behind an older prefix, and a pattern not yet in force at that time falls back
/// to the next most specific one. No match: the model is unpriced at that time.
public struct PriceTable: Sendable, Equatable {
    /// Sorted by (pattern, effectiveFrom), one entry per pair.
    public private(set) var prices: [Price]

    public init(_ prices: [Price] = []) {
        self.prices = []
        for price in prices { upsert(price) }
    }

    /// The seed's prices (USD per 1M input/output tokens), in force since the epoch:
    /// gemini* free tier, claude-3-5-haiku* 0.25/1.25, gpt-4o* 2.50/10.00. The seed
    /// prices no cached tokens, so those are 0 here.
    public static let seedDefaults = PriceTable([
        Price(modelPattern: "gemini*"),
        Price(modelPattern: "claude-3-5-haiku*", inputNanosPerMTok: 250_000_000, outputNanosPerMTok: 1_250_000_000),
        Price(modelPattern: "gpt-4o*", inputNanosPerMTok: 2_500_000_000, outputNanosPerMTok: 10_000_000_000),
    ])

    /// Adds `price`, replacing an entry with the same pattern and effectiveFrom.
    public mutating func upsert(_ price: Price) {
        prices.removeAll { $0.modelPattern == price.modelPattern && $0.effectiveFrom == price.effectiveFrom }
        prices.append(price)
        prices.sort { ($0.modelPattern.utf8.lexicographicallyPrecedes($1.modelPattern.utf8)) || ($0.modelPattern == $1.modelPattern && $0.effectiveFrom < $1.effectiveFrom) }
    }

    /// Removes the entry for (pattern, effectiveFrom); false when there was none.
    @discardableResult
    public mutating func remove(modelPattern: String, effectiveFrom: Millis) -> Bool {
        let before = prices.count
        prices.removeAll { $0.modelPattern == modelPattern && $0.effectiveFrom == effectiveFrom }
        return prices.count != before
    }

    public func resolve(model: String, at time: Millis) -> Price? {
        var best: (specificity: Int, price: Price)?
        for price in prices where price.effectiveFrom <= time {
            guard let specificity = price.specificity(for: model) else { continue }
            if let current = best,
               current.specificity > specificity || (current.specificity == specificity && current.price.effectiveFrom >= price.effectiveFrom) {
                continue
            }
            best = (specificity, price)
        }
        return best?.price
    }

    /// The cost of `tokens` of `model` used at `time`; all of `tokens.total` is unpriced
    /// when no price applies.
    public func cost(model: String, at time: Millis, tokens: TokenCounts) -> Cost {
        guard let price = resolve(model: model, at: time) else {
            return Cost(priced: .zero, unpricedTokens: tokens.total)
        }
        return Cost(priced: price.cost(of: tokens), unpricedTokens: 0)
    }
}
