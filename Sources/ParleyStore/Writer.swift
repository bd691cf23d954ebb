import Foundation
import ParleyStorage

/// The group-commit writer: one dedicated thread drains every queued request (up to
/// `maxBatch`) into one write transaction, commits it, and only then completes each
/// request. Under load, callers that arrive during a commit share the next one, so
/// throughput grows with concurrency while each commit stays one or two fsyncs.
///
/// A dedicated thread rather than an event loop or a task: a commit blocks on fsync,
/// which would stall every connection of a loop or starve the cooperative pool.
final class Writer: @unchecked Sendable {
    private let database: Database
    private let maxBatch: Int
    // Guards queue, closing, finished and statistics; signalled on enqueue and on exit.
    private let condition = NSCondition()
    private var queue: [WriteRequest] = []
    private var closing = false
    private var finished = false
    private var statistics = WriterStatistics()
    private let onCommit: (@Sendable (CommitSample) -> Void)?

    init(database: Database, maxBatch: Int, onCommit: (@Sendable (CommitSample) -> Void)?) {
        self.database = database
        self.maxBatch = max(1, maxBatch)
        self.onCommit = onCommit
        let thread = Thread { [self] in run() }
        thread.name = "parley-writer"
        thread.start()
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
        condition.signal()
        condition.unlock()
    }

    /// Commits what is queued, then stops the thread; returns when it has stopped.
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
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

    private func commit(_ batch: [WriteRequest]) {
        let clock = ContinuousClock()
        let started = clock.now
        var failure: StoreError?
        do {
            try database.write { txn in
                let store = StoreTransaction(base: txn)
                for request in batch { try request.perform(store) }
                try store.flushRollups()
            }
        } catch {
            failure = StoreError.wrap(error)
        }
        let elapsed = started.duration(to: clock.now)
        let items = batch.reduce(0) { $0 + $1.itemCount }
        condition.lock()
        statistics.commits += 1
        statistics.requests += Int64(batch.count)
        statistics.items += Int64(items)
        statistics.largestBatch = max(statistics.largestBatch, Int64(batch.count))
        statistics.totalCommitTime += elapsed
        statistics.lastCommitTime = elapsed
        if failure != nil { statistics.failedBatches += 1 }
        condition.unlock()
        onCommit?(CommitSample(requests: batch.count, items: items, duration: elapsed, failed: failure != nil))
        // Completion strictly after write() returned: nothing is acknowledged before its
        // commit is durable, and a failed batch rolled back as a whole.
        for request in batch {
            if let failure { request.fail(failure) } else { request.succeed() }
        }
    }
}
