/// What the group-commit writer has done since the store opened.
public struct WriterStatistics: Sendable, Equatable {
    /// Transactions committed (or attempted: a failed batch counts too).
    public var commits: Int64 = 0
    /// Requests completed through those transactions.
    public var requests: Int64 = 0
    /// Items in those requests (a logTurns call of n turns is n items).
    public var items: Int64 = 0
    public var failedBatches: Int64 = 0
    /// Time spent in transactions, from the first read to the durable commit.
    public var totalCommitTime: Duration = .zero
    public var lastCommitTime: Duration = .zero
    public var largestBatch: Int64 = 0
    /// Requests waiting for the next transaction when these figures were read.
    public var queuedRequests: Int64 = 0

    public init() {}
}
