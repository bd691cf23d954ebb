/// One writer transaction as the operations metrics see it: how many requests and items
/// it carried and how long it took until durable. Handed to `StoreOptions.onCommit`
/// from the writer thread after every commit, so histograms get every batch, not only
/// the totals in `WriterStatistics`.
public struct CommitSample: Sendable {
    public var requests: Int
    public var items: Int
    /// From the transaction's first read to its durable commit (fsyncs included).
    public var duration: Duration
    public var failed: Bool
}
