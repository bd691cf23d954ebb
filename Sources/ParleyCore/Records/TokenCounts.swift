/// Token counts as the model reported them (or as Parley estimated them).
public struct TokenCounts: Sendable, Equatable, Hashable {
    public var input: Int64
    public var output: Int64
    /// Cached-input tokens read.
    public var cachedRead: Int64
    /// Cached-input tokens written.
    public var cacheWrite: Int64
    /// The seed's tokens_used; intake fills input + output when the caller leaves it 0.
    public var total: Int64

    public init(input: Int64 = 0, output: Int64 = 0, cachedRead: Int64 = 0, cacheWrite: Int64 = 0, total: Int64 = 0) {
        self.input = input
        self.output = output
        self.cachedRead = cachedRead
        self.cacheWrite = cacheWrite
        self.total = total
    }

    public static let zero = TokenCounts()
}
