import Foundation
import ParleyStorage

/// The pipelined group-commit writer. The writer thread drains every queued request (up
/// to `maxBatch`) into one write transaction and appends its commit record to the log
/// without waiting for the sync; the sync thread then makes it durable and only then
/// completes each request. While one batch syncs, the next gathers and is applied on top
/// of it, so the disk is kept busy with back-to-back syncs and the CPU work of a batch
/// hides behind the previous batch's fsync.
///
/// Dedicated threads rather than an event loop or tasks: a commit blocks on fsync, which
/// would stall every connection of a loop or starve the cooperative pool.
final class Writer: @unchecked Sendable {
    private let database: Database
    private let maxBatch: Int
    // Guards queue, closing, finished, appended, syncFinished and statistics; signalled
    // on enqueue, on a batch handed to the sync thread, and on exit.
    private let condition = NSCondition()
    private var queue: [WriteRequest] = []
    private var closing = false
    private var finished = false
    /// Batches applied and appended, waiting for their sync, in commit order.
    private var appended: [AppendedBatch] = []
    private var syncFinished = false
    private var statistics = WriterStatistics()
    private let onCommit: (@Sendable (CommitSample) -> Void)?

    private struct AppendedBatch {
        var requests: [WriteRequest]
        /// Nil when the batch changed nothing or failed.
        var commit: PendingCommit?
        var failure: StoreError?
        var started: ContinuousClock.Instant
    }

    init(database: Database, maxBatch: Int, onCommit: (@Sendable (CommitSample) -> Void)?) {
        self.database = database
        self.maxBatch = max(1, maxBatch)
        self.onCommit = onCommit
        let thread = Thread { [self] in run() }
        thread.name = "parley-writer"
        thread.start()
        let syncer = Thread { [self] in runSyncs() }
        syncer.name = "parley-writer-sync"
        syncer.start()
    }

    /// Queues `request`; it fails at once with `.closed` once close has begun.
    func submit(_ request: WriteRequest) {
        condition.lock()
        guard !closing else {
            condition.unlock()
            request.fail(.closed)
            return
        }
        queue.append(request)
        condition.broadcast()
        condition.unlock()
    }

    /// Commits what is queued, then stops both threads; returns when they have stopped.
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished || !syncFinished { condition.wait() }
        condition.unlock()
    }

    var currentStatistics: WriterStatistics {
        condition.lock()
        defer { condition.unlock() }
        var figures = statistics
        figures.queuedRequests = Int64(queue.count)
        return figures
    }

    private func run() {
        while let batch = nextBatch() {
            commit(batch)
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, waiting while the queue is empty; nil once closing and drained.
    private func nextBatch() -> [WriteRequest]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closing { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let count = min(maxBatch, queue.count)
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        return batch
    }

    /// Applies a batch and appends its record; the sync thread completes it.
    private func commit(_ batch: [WriteRequest]) {
        let started = ContinuousClock().now
        var pending: PendingCommit?
        var failure: StoreError?
        do {
            (_, pending) = try database.writeUnsynced { txn in
                let store = StoreTransaction(base: txn)
                for request in batch { try request.perform(store) }
                try store.flushPending()
            }
        } catch {
            failure = StoreError.wrap(error)
        }
        condition.lock()
        appended.append(AppendedBatch(requests: batch, commit: pending, failure: failure, started: started))
        condition.broadcast()
        condition.unlock()
    }

    /// The sync thread: makes each appended batch durable in order, then completes its
    /// requests. Batches keep their order even when one sync covers several, so no
    /// request is answered before every batch it may have read from is durable.
    private func runSyncs() {
        condition.lock()
        while true {
            while appended.isEmpty && !finished { condition.wait() }
            if appended.isEmpty { break }
            let batch = appended.removeFirst()
            condition.unlock()
            var failure = batch.failure
            if failure == nil, let commit = batch.commit {
                do { try database.makeDurable(commit) } catch { failure = StoreError.wrap(error) }
            }
            complete(batch, failure: failure)
            condition.lock()
        }
        syncFinished = true
        condition.broadcast()
        condition.unlock()
    }

    private func complete(_ batch: AppendedBatch, failure: StoreError?) {
        let elapsed = batch.started.duration(to: ContinuousClock().now)
        let items = batch.requests.reduce(0) { $0 + $1.itemCount }
        condition.lock()
        statistics.commits += 1
        statistics.requests += Int64(batch.requests.count)
        statistics.items += Int64(items)
        statistics.largestBatch = max(statistics.largestBatch, Int64(batch.requests.count))
        statistics.totalCommitTime += elapsed
        statistics.lastCommitTime = elapsed
        if failure != nil { statistics.failedBatches += 1 }
        condition.unlock()
        onCommit?(CommitSample(requests: batch.requests.count, items: items, duration: elapsed, failed: failure != nil))
        // Completion strictly after the commit is durable: nothing is acknowledged
        // before that, and a failed batch rolled back as a whole.
        for request in batch.requests {
            if let failure { request.fail(failure) } else { request.succeed() }
        }
    }
}
