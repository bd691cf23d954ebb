import ParleyCore

/// How this server counts the tokens of text: turns logged without counts, and
/// CountTokens. `summary` says which vocabulary, or why counts are estimates, for the
/// log and ServerInfo.
public struct TokenCounting: Sendable {
    public var counter: any TurnTokenCounter
    public var summary: String

    public init(counter: any TurnTokenCounter, summary: String) {
        self.counter = counter
        self.summary = summary
    }

    /// The character estimate, for servers (and tests) given no vocabulary.
    public static let estimating = TokenCounting(counter: EstimatingTokenCounter(),
                                                 summary: "estimated from characters: no vocabulary configured")

    /// The name CountTokens answers with; the only encoding Parley has.
    public static let encoding = "cl100k_base"
}
