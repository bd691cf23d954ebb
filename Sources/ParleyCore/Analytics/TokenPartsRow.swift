/// A report row that shows cache and reasoning tokens as their own columns, in Parley's
/// convention (docs/TOKENS.md): input excludes cache reads and writes, reasoning is part
/// of output.
public protocol TokenPartsRow {
    var cachedReadTokens: Int64 { get set }
    var cacheWriteTokens: Int64 { get set }
    var reasoningTokens: Int64 { get set }
}

extension TokenPartsRow {
    /// The row with its parts taken from the summed counts it was built from.
    public func withParts(of tokens: TokenCounts) -> Self {
        var row = self
        row.cachedReadTokens = tokens.cachedRead
        row.cacheWriteTokens = tokens.cacheWrite
        row.reasoningTokens = tokens.reasoning
        return row
    }
}
