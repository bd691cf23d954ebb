import Foundation

/// Makes a committed snapshot durable in the data file itself, off the commit path: sync
/// the data file (every page of that commit was already written to it, unsynced), write
/// the snapshot into the meta slot not holding the last checkpoint, sync again. After
/// that the log records up to that commit are no longer needed for recovery.
///
/// A background thread runs the checkpoints commits request; the writer runs one itself
/// only when the log outgrows its limit or the database closes.
final class Checkpointer: @unchecked Sendable {
    private let pager: Pager
    // Guards every field below; signalled when a checkpoint is requested or finishes.
    private let condition = NSCondition()
    private var requested: Snapshot?
    private var running = false
    private var stopping = false
    private var stopped = false
    private var completed: UInt64
    /// Meta slot (0 or 1) holding the checkpoint `completed`.
    private var slot: UInt64
    private var failure: StorageError?
    /// Data-file pages commits wrote since the last checkpoint's sync started, and the
    /// figures `DatabaseActivity` reports.
    private var pagesUnsynced = 0
    private var figures = Figures()

    struct Figures {
        var checkpoints = 0
        /// Pages made durable by checkpoint syncs: every page written to the data file
        /// before a sync began counts at that checkpoint.
        var pages = 0
        var totalDuration: Duration = .zero
        var lastDuration: Duration?
    }

    /// With `nosync` durability checkpoints do not sync either: a bulk load pays no
    /// fsync at all, and a power loss may then damage the file (as with SQLite's
    /// synchronous=OFF); a process crash loses nothing.
    private let syncs: Bool

    init(pager: Pager, checkpointed: UInt64, slot: UInt64, syncs: Bool) {
        self.pager = pager
        self.syncs = syncs
        completed = checkpointed
        self.slot = slot
        let thread = Thread { [self] in run() }
        thread.name = "parley-checkpointer"
        thread.start()
    }

    struct Status {
        /// The newest commit durable in the data file.
        var completed: UInt64
        var busy: Bool
        /// A checkpoint failed; the data file's dirty pages may be lost, so only a reopen
        /// (which replays the log) can go on safely.
        var failure: StorageError?
    }

    var status: Status {
        condition.lock()
        defer { condition.unlock() }
        return Status(completed: completed, busy: running || requested != nil, failure: failure)
    }

    var currentFigures: Figures {
        condition.lock()
        defer { condition.unlock() }
        return figures
    }

    /// A commit wrote `pages` pages into the data file, unsynced; the next checkpoint syncs them.
    func wrote(pages: Int) {
        condition.lock()
        pagesUnsynced += pages
        condition.unlock()
    }

    /// Asks the background thread to checkpoint `snapshot`; ignored while one is running.
    func request(_ snapshot: Snapshot) {
        condition.lock()
        defer { condition.unlock() }
        guard !running, !stopping, failure == nil, snapshot.txnID > completed else { return }
        requested = snapshot
        condition.broadcast()
    }

    /// Checkpoints `snapshot` on the calling thread, after any running checkpoint ends.
    func checkpoint(_ snapshot: Snapshot) throws {
        condition.lock()
        while running { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        guard snapshot.txnID > completed else {
            condition.unlock()
            return
        }
        running = true
        requested = nil
        condition.unlock()
        try perform(snapshot)
    }

    /// Stops the thread after the checkpoint in progress, if any; returns once it has.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped || running { condition.wait() }
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while requested == nil && !stopping { condition.wait() }
            if stopping { break }
            guard let target = requested else { continue }
            requested = nil
            guard !running, target.txnID > completed else { continue }
            running = true
            condition.unlock()
            try? perform(target)  // a failure is kept in `failure` for the writer
            condition.lock()
        }
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs with `running` set; clears it and records the outcome.
    private func perform(_ snapshot: Snapshot) throws {
        let target = 1 - slot
        let clock = ContinuousClock()
        let started = clock.now
        condition.lock()
        let covering = pagesUnsynced
        condition.unlock()
        do {
            if syncs { try pager.sync() }
            let meta = PageBuffer(id: target, length: pager.pageSize)
            Meta(pageSize: pager.pageSize, snapshot: snapshot, written: []).write(into: meta)
            try pager.writeMeta(meta)
            if syncs { try pager.sync() }
        } catch {
            let cause = error as? StorageError ?? StorageError(.io, "\(error)")
            let failed = StorageError(cause.kind, "checkpoint of commit \(snapshot.txnID) failed (\(cause.message)); writes are refused until the database is reopened, which replays the log")
            condition.lock()
            failure = failed
            running = false
            condition.broadcast()
            condition.unlock()
            throw failed
        }
        let duration = clock.now - started
        condition.lock()
        pagesUnsynced -= covering
        figures.checkpoints += 1
        figures.pages += covering
        figures.totalDuration += duration
        figures.lastDuration = duration
        completed = snapshot.txnID
        slot = target
        running = false
        condition.broadcast()
        condition.unlock()
    }
}
