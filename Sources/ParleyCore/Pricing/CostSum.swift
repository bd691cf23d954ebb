/// A running sum of costs kept exact: priced amounts as the unrounded products of tokens
/// and per-million-token prices (nanos x 10^6), rounded half up once, when read. So the
/// cost of a row is the same whether its tokens came as one cell, many cells or turn by
/// turn: pricing from rollup cells equals pricing every turn from scratch.
public struct CostSum: Sendable {
    private var microNanos = WideUnsigned()
    private var unpricedTokens: Int64 = 0

    public init() {}

    /// `tokens` at `price`; without a price their total counts as unpriced.
    public mutating func add(_ tokens: TokenCounts, price: Price?) {
        guard let price else {
            let (sum, overflow) = unpricedTokens.addingReportingOverflow(tokens.total)
            unpricedTokens = overflow ? .max : sum
            return
        }
        microNanos.addProduct(tokens.input, price.inputNanosPerMTok)
        microNanos.addProduct(tokens.output, price.outputNanosPerMTok)
        microNanos.addProduct(tokens.cachedRead, price.cachedReadNanosPerMTok)
        microNanos.addProduct(tokens.cacheWrite, price.cacheWriteNanosPerMTok)
    }

    public mutating func add(_ other: CostSum) {
        microNanos.add(other.microNanos)
        let (sum, overflow) = unpricedTokens.addingReportingOverflow(other.unpricedTokens)
        unpricedTokens = overflow ? .max : sum
    }

    public var cost: Cost {
        Cost(priced: Money(nanos: microNanos.dividedRoundingHalfUp(by: 1_000_000)), unpricedTokens: unpricedTokens)
    }
}
