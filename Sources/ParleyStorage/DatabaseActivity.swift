/// What a database is doing, cheap enough to read at every metrics scrape (no page is
/// read, unlike `stats()`): checkpoints, the commit log, and open readers, whose oldest
/// snapshot keeps every page freed after it from reuse.
public struct DatabaseActivity: Sendable {
    /// Checkpoints completed since open.
    public var checkpoints: Int
    /// Data-file pages made durable by those checkpoints' syncs.
    public var checkpointPages: Int
    public var checkpointDuration: Duration
    public var lastCheckpointDuration: Duration?
    /// The commit log's size in use (header and this cycle's records) and its page images.
    public var logBytes: Int
    public var logPages: Int
    /// Open read transactions.
    public var readers: Int
    /// How long the oldest snapshot still read has been held; nil without readers.
    public var oldestReaderAge: Duration?
    /// Commits since the oldest snapshot still read; 0 without readers.
    public var oldestReaderLag: UInt64
}

extension Database {
    public var activity: DatabaseActivity {
        let checkpoints = checkpointer.currentFigures
        let figures = readerAndLogFigures
        return DatabaseActivity(
            checkpoints: checkpoints.checkpoints, checkpointPages: checkpoints.pages,
            checkpointDuration: checkpoints.totalDuration, lastCheckpointDuration: checkpoints.lastDuration,
            logBytes: figures.logBytes, logPages: figures.logPages, readers: figures.readers,
            oldestReaderAge: figures.oldestSince.map { ContinuousClock.now - $0 },
            oldestReaderLag: figures.oldestTxnID.map { figures.current - $0 } ?? 0)
    }
}
