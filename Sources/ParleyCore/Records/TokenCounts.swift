/// Token counts in Parley's convention (`NormalizedUsage`): `input` EXCLUDES cache reads
/// and writes, `output` INCLUDES reasoning, and `reasoning` is that part of output kept
/// apart for reports. Whatever convention the caller's usage had, intake stores these.
public struct TokenCounts: Sendable, Equatable, Hashable {
    public var input: Int64
    public var output: Int64
    /// Cached-input tokens read.
    public var cachedRead: Int64
    /// Cached-input tokens written.
    public var cacheWrite: Int64
    /// The seed's tokens_used: every token the call processed, each once. Intake fills
    /// input + cachedRead + cacheWrite + output when the caller leaves it 0.
    public var total: Int64
    /// The part of `output` that was reasoning; billed as output, never twice.
    public var reasoning: Int64

    public init(input: Int64 = 0, output: Int64 = 0, cachedRead: Int64 = 0, cacheWrite: Int64 = 0, total: Int64 = 0,
                reasoning: Int64 = 0) {
        self.input = input
        self.output = output
        self.cachedRead = cachedRead
        self.cacheWrite = cacheWrite
        self.total = total
        self.reasoning = reasoning
    }

    /// input + cachedRead + cacheWrite + output, the total when none was given.
    public var sumOfKinds: Int64 { input + cachedRead + cacheWrite + output } // callers cap each count first

    public static let zero = TokenCounts()
}
