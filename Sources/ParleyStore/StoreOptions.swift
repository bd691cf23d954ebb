import ParleyCore
import ParleyStorage

public struct StoreOptions: Sendable {
    /// `.sync` for production: a write is acknowledged only after its commit reached the disk.
    public var durability: Durability = .sync
    /// Intake limits applied to every record before it is stored.
    public var limits = Limits()
    /// Most requests the writer takes into one transaction, so one commit stays bounded.
    public var maxBatch = 1024
    /// Sessions rebuilt per backfill transaction, so backfill never holds the writer long.
    public var backfillBatch = 256
    /// Address space reserved for the database map: the file can grow to this size without
    /// remapping under readers. Lower it where virtual memory is limited (ulimit -v, valgrind).
    public var mapReserve: Int = DatabaseOptions().mapReserve
    /// Keep retention's archive (`archive.db`) next to the database file; off for the
    /// archive itself.
    public var keepsArchive = true
    /// Turns (or messages) moved per retention transaction, so retention never holds
    /// the writer long.
    public var retentionBatch = 2_000
    /// Called on the writer thread after every commit (the metrics' batch sizes and
    /// commit durations); it must be quick, the next batch waits for it.
    public var onCommit: (@Sendable (CommitSample) -> Void)?

    public init() {}
}
