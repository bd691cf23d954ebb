/// Size limits applied at intake. Configurable so an operator can admit longer
/// transcripts, but always finite so one request cannot bloat a page of the store.
public struct Limits: Sendable, Equatable {
    /// Per user message and per AI response, and per raw message content.
    public var maxTextBytes: Int
    /// Model names, names, phone numbers, emails, companies, languages.
    public var maxNameBytes: Int

    /// Per token count of one turn. 2^40 is far above any context window, and keeps
    /// rollup and session sums of millions of turns inside Int64.
    public var maxTokensPerTurn: Int64

    public init(maxTextBytes: Int = 64 * 1024, maxNameBytes: Int = 256, maxTokensPerTurn: Int64 = 1 << 40) {
        self.maxTextBytes = maxTextBytes
        self.maxNameBytes = maxNameBytes
        self.maxTokensPerTurn = maxTokensPerTurn
    }
}
