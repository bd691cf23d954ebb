import Glibc

/// One database file and its commit log: named B+trees, one writer at a time, any number
/// of snapshot readers.
///
/// Commit protocol (docs/STORAGE.md proves it): new and copied pages go to pages no
/// snapshot can see and are written to the data file unsynced, where readers' map finds
/// them; the commit's record (snapshot plus page images) is appended to the log, and with
/// `.sync` the log alone is synced. Checkpoints, off the commit path, sync the data file
/// and write its meta page, after which the log starts a new cycle.
///
/// `@unchecked Sendable`: `state` is guarded by `stateLock`; `log` and the commit path by
/// `writeLock`; the pager and checkpointer guard themselves.
public final class Database: @unchecked Sendable {
    public let path: String
    let options: DatabaseOptions
    let pager: Pager
    let log: CommitLog
    let checkpointer: Checkpointer
    private let pipeline: CommitPipeline
    public var pageSize: Int { pager.pageSize }
    var logPath: String { path + "-log" }

    private struct State {
        var current: Snapshot
        var readers: [UInt64: Int] = [:]
        /// When the first reader still open on each snapshot began.
        var readerSince: [UInt64: ContinuousClock.Instant] = [:]
        var logBytes = 0
        var logPages = 0
        var closed = false
        var poisoned: String?
        var commits = 0
        var writerThread: pthread_t?
    }

    private let stateLock = Lock()
    private var state: State
    private let writeLock = Lock()

    /// Opens the database at `path`, creating it if missing.
    public convenience init(path: String, options: DatabaseOptions = DatabaseOptions()) throws {
        try self.init(path: path, options: options, openFile: { try PosixFile(path: $0) })
    }

    /// `openFile` is the I/O seam tests use to inject faults.
    init(path: String, options: DatabaseOptions, openFile: (String) throws -> StorageFile) throws {
        guard options.pageSize >= 4096, options.pageSize <= 65536, options.pageSize & (options.pageSize - 1) == 0 else {
            throw StorageError(.invalidArgument, "page size \(options.pageSize) must be a power of two from 4096 to 65536")
        }
        let file = try openFile(path)
        let pager: Pager
        let meta: Meta
        do {
            var size = try file.size()
            if size == 0 {
                try Database.create(file, pageSize: options.pageSize)
                syncDirectory(of: path)
                size = try file.size()
            }
            meta = try Database.recover(file, size: size)
            pager = try Pager(file: file, path: path, pageSize: meta.pageSize, fileSize: size, options: options)
        } catch {
            file.close()
            throw error
        }
        let logFile: StorageFile
        do {
            logFile = try openFile(path + "-log")
            // The log's directory entry must be durable before any commit relies on it.
            if try logFile.size() == 0 { syncDirectory(of: path) }
        } catch {
            pager.close()
            throw error
        }
        let log = CommitLog(file: logFile, path: path + "-log", pageSize: pager.pageSize)
        let checkpointer = Checkpointer(pager: pager, checkpointed: meta.snapshot.txnID, slot: meta.slot,
                                        syncs: options.durability == .sync)
        let current: Snapshot
        do {
            current = try Database.replay(log, onto: meta.snapshot, pager: pager, checkpointer: checkpointer)
            try log.reset(base: current.txnID, truncateAbove: Database.truncateAbove(options, pager.pageSize))
            try log.sync()
        } catch {
            checkpointer.stop()
            log.close()
            pager.close()
            throw error
        }
        self.pager = pager
        self.log = log
        self.checkpointer = checkpointer
        pipeline = CommitPipeline(durable: current.txnID)
        state = State(current: current, logBytes: log.bytes, logPages: log.pages)
        self.path = path
        self.options = options
    }

    deinit {
        checkpointer.stop()
        log.close()
        pager.close()
    }

    /// Log size past which a reset cuts the file back (it grows past the checkpoint
    /// threshold when a checkpoint lags or one commit is large).
    private static func truncateAbove(_ options: DatabaseOptions, _ pageSize: Int) -> Int {
        CommitLog.headerSize + 2 * options.checkpointPages * pageSize
    }

    /// Recovery proper: rewrites into the data file every page image of the log's valid
    /// prefix, in commit order, and checkpoints the last commit found. Returns the state
    /// the database opens with.
    private static func replay(_ log: CommitLog, onto checkpoint: Snapshot, pager: Pager, checkpointer: Checkpointer) throws -> Snapshot {
        guard let contents = try log.read(), let last = contents.records.last,
              last.snapshot.txnID > checkpoint.txnID else { return checkpoint }
        try pager.ensureSize(Int(last.snapshot.highWater) * pager.pageSize)
        for record in contents.records {
            var images: [PageBuffer] = []
            for run in record.runs {
                guard let image = try log.image(run) else {
                    throw StorageError(.io, "commit log \(log.path) changed while it was replayed")
                }
                images.append(image)
            }
            try pager.write(images)
        }
        try checkpointer.checkpoint(last.snapshot)
        // A `nosync` checkpoint does not sync, but the log is about to be reset: what it
        // held must be in the data file for good first, whatever the durability.
        try pager.sync()
        return last.snapshot
    }

    private static func create(_ file: StorageFile, pageSize: Int) throws {
        var buffers: [PageBuffer] = []
        for txn: UInt64 in 0...1 {
            let snapshot = Snapshot(txnID: txn, highWater: 2, catalog: TreeRecord(), freeTree: TreeRecord())
            let buffer = PageBuffer(id: txn, length: pageSize)
            Meta(pageSize: pageSize, snapshot: snapshot, written: []).write(into: buffer)
            buffers.append(buffer)
        }
        try file.write(buffers.map { $0.bytes }, at: 0)
        try file.sync()
    }

    /// Picks the newest meta whose checksum holds and whose listed pages all made it to
    /// disk. No log to replay: this is the whole of recovery.
    private static func recover(_ file: StorageFile, size: Int) throws -> Meta {
        var metas: [Meta] = []
        var failures: [StorageError] = []
        var pageSize = 4096
        while pageSize <= 65536 {
            for slot: UInt64 in 0...1 {
                let offset = Int(slot) * pageSize
                guard offset + pageSize <= size else { continue }
                let buffer = PageBuffer(id: slot, length: pageSize)
                _ = try file.read(into: UnsafeMutableRawBufferPointer(start: buffer.base, count: pageSize), at: offset)
                let ref = buffer.ref
                // A meta of another page size is not a candidate at this one.
                if ref.bytes(24, 8) == Meta.magic && Int(ref.u32(36)) != pageSize { continue }
                do {
                    metas.append(try Meta.read(ref, pageSize: pageSize))
                } catch let error as StorageError {
                    failures.append(error)
                }
            }
            pageSize *= 2
        }
        guard !metas.isEmpty else {
            if let version = failures.first(where: { $0.kind == .unsupportedVersion }) { throw version }
            if size < 2 * 4096 {
                throw StorageError(.truncated, "file is \(size) bytes, too short to hold its two meta pages")
            }
            if let damaged = failures.first(where: { $0.kind == .corrupt }) {
                throw StorageError(.corrupt, page: damaged.page, "both meta pages are damaged (\(damaged.message))")
            }
            throw StorageError(.notADatabase, page: 0, "no Parley meta page found; this is not a Parley database")
        }
        var lastProblem: StorageError?
        for meta in metas.sorted(by: { $0.snapshot.txnID > $1.snapshot.txnID }) {
            let needed = Int(meta.snapshot.highWater) * meta.pageSize
            guard meta.snapshot.highWater >= 2 else {
                lastProblem = StorageError.corrupt(meta.snapshot.txnID % 2, "meta high-water mark below 2")
                continue
            }
            guard needed <= size else {
                throw StorageError(.truncated, page: UInt64(size / meta.pageSize),
                                   "file is \(size) bytes but commit \(meta.snapshot.txnID) uses \(needed); it was cut short, restore from a backup")
            }
            do {
                try verifyWritten(meta, file)
                return meta
            } catch let error as StorageError {
                lastProblem = error
            }
        }
        throw lastProblem ?? StorageError(.corrupt, "no usable meta page")
    }

    /// A single-sync commit is complete only if every page it listed carries the listed
    /// checksum; otherwise the commit was torn by a crash and the older meta stands.
    private static func verifyWritten(_ meta: Meta, _ file: StorageFile) throws {
        let ps = meta.pageSize
        for (id, sum) in meta.written {
            guard id >= 2, id < meta.snapshot.highWater else {
                throw StorageError.corrupt(id, "commit \(meta.snapshot.txnID) lists a page beyond its end")
            }
            let head = PageBuffer(id: id, length: ps)
            _ = try file.read(into: UnsafeMutableRawBufferPointer(start: head.base, count: ps), at: Int(id) * ps)
            var page = head
            let extra = UInt64(head.ref.overflow)
            if head.ref.type == PageType.overflow.rawValue, extra > 0 {
                guard extra < meta.snapshot.highWater - id else {
                    throw StorageError.corrupt(id, "overflow run runs past the end of commit \(meta.snapshot.txnID)")
                }
                page = PageBuffer(id: id, length: ps * Int(extra + 1))
                _ = try file.read(into: UnsafeMutableRawBufferPointer(start: page.base, count: page.length), at: Int(id) * ps)
            }
            guard page.ref.storedChecksum == sum, page.ref.computeChecksum() == sum else {
                throw StorageError.corrupt(id, "page written by commit \(meta.snapshot.txnID) did not reach the disk intact")
            }
        }
    }

    // MARK: Transactions

    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        let txn = try beginRead()
        defer { txn.close() }
        return try body(txn)
    }

    public func beginRead() throws -> ReadTransaction {
        let snapshot: Snapshot = try stateLock.withLock {
            guard !state.closed else { throw StorageError(.closed, "database \(path) is closed") }
            let txnID = state.current.txnID
            if state.readers[txnID] == nil { state.readerSince[txnID] = ContinuousClock.now }
            state.readers[txnID, default: 0] += 1
            return state.current
        }
        return ReadTransaction(database: self, reader: PageReader(pager: pager, snapshot: snapshot))
    }

    func endRead(_ txnID: UInt64) {
        stateLock.withLock {
            if let n = state.readers[txnID] {
                state.readers[txnID] = n > 1 ? n - 1 : nil
                if n == 1 { state.readerSince[txnID] = nil }
            }
            if state.closed && state.readers.isEmpty { pager.close() }
        }
    }

    /// Runs `body` as the only writer; commits when it returns, rolls back when it throws.
    /// Returns once the commit is durable (per `durability`) and visible to new readers.
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        let (result, pending) = try writeUnsynced(body)
        if let pending { try makeDurable(pending) }
        return result
    }

    /// The first half of a pipelined commit: runs `body` and appends its record to the
    /// log, but neither syncs nor publishes it. The caller must pass the result to
    /// `makeDurable` (from any thread) before acknowledging anything the body did; the
    /// next write may start meanwhile, on top of this commit, so the next batch is
    /// applied while this one syncs. At most one commit is outstanding when a write
    /// starts: a third waits, since the free-list rule keeps only the commit before the
    /// writer's base intact. Nil when the body changed nothing.
    public func writeUnsynced<T>(_ body: (WriteTransaction) throws -> T) throws -> (T, PendingCommit?) {
        let me = pthread_self()
        let nested = stateLock.withLock { state.writerThread.map { pthread_equal($0, me) != 0 } ?? false }
        guard !nested else {
            throw StorageError(.invalidArgument, "write called inside a write transaction on the same thread")
        }
        return try writeLock.withLock {
            var outstanding = pipeline.waitForRoom()
            // The log restarts only between commits, never with one outstanding, and
            // under steady load one always is: once a checkpoint has made the log's
            // records redundant (or the log is far over its limit), this commit waits for
            // the outstanding one's sync so that it can restart the log, instead of the
            // log growing without end while checkpoints run back to back.
            if let waiting = outstanding, logWantsRestart(), pipeline.waitUntilDurable(waiting.txnID) {
                outstanding = nil
            }
            let (base, limit): (Snapshot, UInt64) = try stateLock.withLock {
                guard !state.closed else { throw StorageError(.closed, "database \(path) is closed") }
                if let reason = state.poisoned { throw StorageError(.poisoned, reason) }
                state.writerThread = me
                let base = outstanding ?? state.current
                let oldest = state.readers.keys.min() ?? base.txnID
                // The commit before the base stays intact: it is what recovery finds if
                // neither the base (when outstanding) nor this commit reach the log whole.
                return (base, min(oldest, base.txnID - 1))
            }
            defer { stateLock.withLock { state.writerThread = nil } }
            let writer = PageWriter(pager: pager, snapshot: base, reuseLimit: limit)
            let txn = WriteTransaction(database: self, writer: writer)
            defer {
                txn.finish()
                writer.discard()
            }
            let result = try body(txn)
            let pending = try commit(txn, outstanding: outstanding != nil)
            return (result, pending)
        }
    }

    /// Syncs the log so `commit` (and every commit appended before it) is durable, then
    /// publishes it to new readers. One sync covers every record appended when it starts,
    /// so a commit appended while an earlier one synced often finds itself covered.
    public func makeDurable(_ commit: PendingCommit) throws {
        let target: Snapshot
        switch pipeline.beginSync(for: commit.snapshot.txnID) {
        case .alreadyDurable: return
        case let .sync(newest): target = newest
        case .failed:
            throw StorageError(.poisoned, "commit \(commit.txnID) cannot be made durable: an earlier sync of the commit log failed; close and reopen the database")
        }
        if options.durability == .sync {
            do {
                try log.sync()
            } catch let error as StorageError {
                // The record may or may not be on disk; after a failed fsync the kernel
                // may also have dropped it. Reopening settles which commit stands.
                poison("commit \(target.txnID) failed while syncing the commit log (\(error.message)); close and reopen the database")
                pipeline.endSync(nil)
                throw error
            }
        }
        stateLock.withLock {
            if target.txnID > state.current.txnID { state.current = target }
        }
        pipeline.endSync(target)
        // One background checkpoint per log cycle: once one has passed the log's base, the
        // next commit restarts the log, and another would only sync the data file again.
        if commit.logPages >= options.checkpointPages, checkpointer.status.completed <= commit.logBase {
            checkpointer.request(target)
        }
    }

    private func commit(_ txn: WriteTransaction, outstanding: Bool) throws -> PendingCommit? {
        let writer = txn.writer
        var treesChanged = false
        for state in txn.trees.values where state.dirty {
            treesChanged = true
            let key = Array(state.name.utf8)
            if state.dropped {
                _ = try BTree.delete(writer, &writer.catalog, key)
            } else {
                try BTree.put(writer, &writer.catalog, key, state.record.encoded)
            }
        }
        guard treesChanged || !writer.dirty.isEmpty || writer.freelist.hasRetired else { return nil }
        try writer.freelist.finalize(writer)

        let txnID = writer.snapshot.txnID + 1
        let buffers = writer.dirty.values.sorted { $0.id < $1.id }
        // With a commit outstanding the log can neither restart nor be checkpointed here.
        if !outstanding { try prepareLog(committed: writer.snapshot) }
        try pager.ensureSize(Int(writer.highWater) * pager.pageSize)
        var checksums: [UInt64] = []
        checksums.reserveCapacity(buffers.count)
        for buffer in buffers {
            pager.forget(buffer.id)
            checksums.append(buffer.seal())
        }
        // Into the data file first, unsynced: no snapshot can reach these pages yet, and
        // once the record below is durable the map must already show them to readers.
        try pager.write(buffers)
        checkpointer.wrote(pages: buffers.count)
        let snapshot = Snapshot(txnID: txnID, highWater: writer.highWater, catalog: writer.catalog, freeTree: writer.freeTree)
        try log.append(snapshot, buffers, checksums: checksums)
        pipeline.appended(snapshot)
        stateLock.withLock {
            state.commits += 1
            state.logBytes = log.bytes
            state.logPages = log.pages
        }
        return PendingCommit(snapshot: snapshot, logPages: log.pages, logBase: log.base)
    }

    private func poison(_ reason: String) {
        stateLock.withLock {
            if state.poisoned == nil { state.poisoned = reason }
        }
    }

    /// Before a commit's record: start a new cycle of the log once a checkpoint covers
    /// all of it, and checkpoint here, on the writer, only when the log must not grow
    /// further: past four times the threshold, or past the threshold once a background
    /// checkpoint has already synced most of its pages.
    private func prepareLog(committed: Snapshot) throws {
        let status = checkpointer.status
        if let failure = status.failure {
            poison(failure.message)
            throw failure
        }
        guard !log.isEmpty else { return }
        if status.completed != committed.txnID {
            guard logWantsRestart(status) else { return }
            do {
                try checkpointer.checkpoint(committed)
            } catch let error as StorageError {
                poison(error.message)
                throw error
            }
        }
        try log.reset(base: committed.txnID, truncateAbove: Database.truncateAbove(options, pager.pageSize))
    }

    /// Whether the next commit should restart the log, checkpointing first if it must:
    /// a background checkpoint has passed the log's base (its records up to there are
    /// redundant), or the log is at four times its limit. Writer only.
    private func logWantsRestart(_ status: Checkpointer.Status? = nil) -> Bool {
        guard !log.isEmpty else { return false }
        let status = status ?? checkpointer.status
        let threshold = options.checkpointPages
        return log.pages >= 4 * threshold || (log.pages >= threshold && !status.busy && status.completed > log.base)
    }

    /// Makes the current commit durable in the data file itself and empties the log.
    public func checkpoint() throws {
        try writeLock.withLock {
            let current: Snapshot = try stateLock.withLock {
                guard !state.closed else { throw StorageError(.closed, "database \(path) is closed") }
                if let reason = state.poisoned { throw StorageError(.poisoned, reason) }
                return state.current
            }
            do {
                try checkpointer.checkpoint(current)
            } catch let error as StorageError {
                poison(error.message)
                throw error
            }
            try log.reset(base: current.txnID, truncateAbove: CommitLog.headerSize)
            try log.sync()
            stateLock.withLock {
                state.logBytes = log.bytes
                state.logPages = log.pages
            }
        }
    }

    /// Waits for the writer, checkpoints and removes the log (the data file then stands
    /// alone), then closes; the data file is released once the last reader closes. A
    /// poisoned database keeps its log, which the next open replays.
    public func close() {
        writeLock.withLock {
            let wasClosed = stateLock.withLock {
                defer { state.closed = true }
                return state.closed
            }
            guard !wasClosed else { return }
            if let outstanding = pipeline.outstanding {
                try? makeDurable(PendingCommit(snapshot: outstanding, logPages: 0, logBase: log.base))
            }
            checkpointer.stop()
            let (current, poisoned) = stateLock.withLock { (state.current, state.poisoned != nil) }
            if !poisoned, (try? checkpointer.checkpoint(current)) != nil {
                unlink(logPath)
            }
            log.close()
            stateLock.withLock {
                if state.readers.isEmpty { pager.close() }
            }
        }
    }

    var commitCount: Int { stateLock.withLock { state.commits } }

    /// The reader and log figures of `activity`, read under the state lock.
    var readerAndLogFigures: (readers: Int, oldestSince: ContinuousClock.Instant?, oldestTxnID: UInt64?, current: UInt64, logBytes: Int, logPages: Int) {
        stateLock.withLock {
            let oldest = state.readers.keys.min()
            return (state.readers.values.reduce(0, +), oldest.flatMap { state.readerSince[$0] }, oldest,
                    state.current.txnID, state.logBytes, state.logPages)
        }
    }
}

extension Database {
    /// The commit log's part of the checker, run between commits: the log on disk must
    /// hold a valid record for every commit since its last checkpoint (else a crash now
    /// would lose acknowledged data), and when `snapshot` is still the newest commit,
    /// every page in use whose newest image is in the log must equal that image in the
    /// data file (else replay would not rebuild what readers see).
    func checkLog(snapshot: UInt64, inUse: (UInt64) -> Bool) throws -> [StorageError] {
        try writeLock.withLock {
            let (current, poisoned, closed) = stateLock.withLock { (state.current, state.poisoned != nil, state.closed) }
            // A poisoned database's log is settled by the next open, not by the checker.
            guard !poisoned, !closed else { return [] }
            var problems: [StorageError] = []
            func problem(_ page: UInt64?, _ message: String) {
                problems.append(StorageError(.corrupt, page: page, "commit log: " + message))
            }
            let checkpointed = checkpointer.status.completed
            guard let contents = try log.read() else {
                if !log.isEmpty || checkpointed != current.txnID {
                    problem(nil, "header unreadable while commits \(checkpointed + 1)...\(current.txnID) rely on it")
                }
                return problems
            }
            guard contents.salt == log.salt, contents.base == log.base else {
                problem(nil, "header (base \(contents.base)) is not the one of the current cycle (base \(log.base))")
                return problems
            }
            let logged = contents.records.last?.snapshot.txnID ?? contents.base
            if contents.records.count != log.records.count {
                problem(nil, "\(contents.records.count) valid records on disk, \(log.records.count) written since the last reset")
            }
            if logged != current.txnID && checkpointed != current.txnID {
                problem(nil, "ends at commit \(logged) but commit \(current.txnID) is acknowledged and not checkpointed (\(checkpointed))")
            }
            guard snapshot == current.txnID else { return problems }
            // Per page, the run holding its newest image and the page's place in it: a
            // later run may cover a page an earlier record logged on its own, or the
            // other way round.
            var newest: [UInt64: (run: LogRecord.Run, index: Int)] = [:]
            for record in contents.records {
                for run in record.runs {
                    for k in 0..<run.count { newest[run.page + UInt64(k)] = (run, k) }
                }
            }
            var images: [Int: PageBuffer] = [:]
            for (id, entry) in newest.sorted(by: { $0.key < $1.key }) where inUse(id) {
                let image: PageBuffer
                if let cached = images[entry.run.offset] {
                    image = cached
                } else {
                    guard let read = try log.image(entry.run) else {
                        problem(id, "image of page \(id) cut short")
                        continue
                    }
                    images = [entry.run.offset: read]
                    image = read
                }
                let page = try pager.page(id, limit: current.highWater)
                if memcmp(page.base, image.base + entry.index * pageSize, pageSize) != 0 {
                    problem(id, "data file differs from the page's newest image in the log")
                }
                if problems.count >= 100 { break }
            }
            return problems
        }
    }
}
