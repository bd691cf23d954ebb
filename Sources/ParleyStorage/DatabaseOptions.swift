/// Whether a commit waits for the disk. `sync` syncs the commit log once per commit.
/// `nosync` never syncs (nor do its checkpoints): it survives a process crash, since the
/// kernel still holds the writes, but a power loss may lose or damage it, as SQLite's
/// synchronous=OFF. Meant for bulk loads and tests.
public enum Durability: Sendable {
    case sync
    case nosync
}

public struct DatabaseOptions: Sendable {
    /// Bytes per page, a power of two from 4 KiB to 64 KiB; fixed when the file is created
    /// (an existing file keeps its own).
    public var pageSize = 4096
    public var durability: Durability = .sync
    /// Address space reserved for the read-only map. The file can grow up to this size
    /// without remapping, so readers never see their pages move.
    public var mapReserve: Int = 64 << 30
    /// Largest step by which the file is extended. Small files grow by an eighth of their
    /// size (at least 1 MiB) so tiny databases stay tiny.
    public var growthStep: Int = 64 << 20
    /// Pages in the commit log after which a background checkpoint starts; at four times
    /// this the writer checkpoints itself before its next commit.
    public var checkpointPages = 4096

    public init() {}
}
