import Foundation

/// A commit appended to the log but not yet synced or published (see
/// `Database.writeUnsynced`).
public struct PendingCommit: Sendable {
    let snapshot: Snapshot
    /// Log pages when it was appended, to decide whether to ask for a checkpoint.
    let logPages: Int
    /// The commit the log's records start after when it was appended.
    let logBase: UInt64

    public var txnID: UInt64 { snapshot.txnID }
}

/// Orders pipelined commits: which one is appended but not durable, which sync is
/// running, and how far the log is durable. One sync at a time; the writer waits only
/// when a second commit would be outstanding.
final class CommitPipeline: @unchecked Sendable {
    // Guards every field below; signalled when a sync ends.
    private let condition = NSCondition()
    private var newest: Snapshot?
    private var durable: UInt64
    private var syncing = false
    /// A sync failed: nothing appended after the durable point may be acknowledged.
    private var syncFailed = false

    init(durable: UInt64) {
        self.durable = durable
    }

    /// The appended commit not yet durable, if any.
    var outstanding: Snapshot? {
        condition.lock()
        defer { condition.unlock() }
        return newest.flatMap { $0.txnID > durable ? $0 : nil }
    }

    /// Waits until at most one commit is outstanding; returns it (the next write's base).
    func waitForRoom() -> Snapshot? {
        condition.lock()
        defer { condition.unlock() }
        while let n = newest, n.txnID > durable + 1, !syncFailed { condition.wait() }
        return newest.flatMap { $0.txnID > durable ? $0 : nil }
    }

    /// Waits until commit `txnID` is durable; false if a sync failed first.
    func waitUntilDurable(_ txnID: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while durable < txnID, !syncFailed { condition.wait() }
        return durable >= txnID
    }

    func appended(_ snapshot: Snapshot) {
        condition.lock()
        newest = snapshot
        condition.unlock()
    }

    enum SyncTurn {
        case alreadyDurable
        /// Sync now; the sync covers this commit, the newest appended.
        case sync(Snapshot)
        case failed
    }

    /// Claims the next sync unless `txnID` is durable already (an earlier sync began
    /// after its record was appended) or a sync failed.
    func beginSync(for txnID: UInt64) -> SyncTurn {
        condition.lock()
        defer { condition.unlock() }
        while syncing && durable < txnID { condition.wait() }
        if durable >= txnID { return .alreadyDurable }
        guard !syncFailed, let target = newest else { return .failed }
        syncing = true
        return .sync(target)
    }

    /// Ends the sync begun by `beginSync`: `target` is now durable, or nil if it failed.
    func endSync(_ target: Snapshot?) {
        condition.lock()
        if let target { durable = max(durable, target.txnID) } else { syncFailed = true }
        syncing = false
        condition.broadcast()
        condition.unlock()
    }
}
