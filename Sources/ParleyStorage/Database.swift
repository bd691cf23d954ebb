import Glibc

/// One database file: named B+trees, one writer at a time, any number of snapshot readers.
///
/// Commit protocol (docs/STORAGE.md proves it): new and copied pages go to pages no
/// snapshot can see; then the meta page not holding the current commit is overwritten.
/// With `.sync`, a commit that wrote few enough pages lists them with their checksums in
/// the meta and syncs once; a larger one syncs its pages, then the meta, then syncs again.
public final class Database: @unchecked Sendable {
    public let path: String
    let options: DatabaseOptions
    let pager: Pager
    public var pageSize: Int { pager.pageSize }

    private struct State {
        var current: Snapshot
        var readers: [UInt64: Int] = [:]
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
        do {
            var size = try file.size()
            if size == 0 {
                try Database.create(file, pageSize: options.pageSize)
                syncDirectory(of: path)
                size = try file.size()
            }
            let meta = try Database.recover(file, size: size)
            pager = try Pager(file: file, path: path, pageSize: meta.pageSize, fileSize: size, options: options)
            state = State(current: meta.snapshot)
        } catch {
            file.close()
            throw error
        }
        self.path = path
        self.options = options
    }

    deinit { pager.close() }

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
            state.readers[state.current.txnID, default: 0] += 1
            return state.current
        }
        return ReadTransaction(database: self, reader: PageReader(pager: pager, snapshot: snapshot))
    }

    func endRead(_ txnID: UInt64) {
        stateLock.withLock {
            if let n = state.readers[txnID] {
                state.readers[txnID] = n > 1 ? n - 1 : nil
            }
            if state.closed && state.readers.isEmpty { pager.close() }
        }
    }

    /// Runs `body` as the only writer; commits when it returns, rolls back when it throws.
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        let me = pthread_self()
        let nested = stateLock.withLock { state.writerThread.map { pthread_equal($0, me) != 0 } ?? false }
        guard !nested else {
            throw StorageError(.invalidArgument, "write called inside a write transaction on the same thread")
        }
        return try writeLock.withLock {
            let (snapshot, limit): (Snapshot, UInt64) = try stateLock.withLock {
                guard !state.closed else { throw StorageError(.closed, "database \(path) is closed") }
                if let reason = state.poisoned { throw StorageError(.poisoned, reason) }
                state.writerThread = me
                let current = state.current
                let oldest = state.readers.keys.min() ?? current.txnID
                // The previous commit stays intact too, so a damaged newest meta can
                // always fall back to it.
                return (current, min(oldest, current.txnID - 1))
            }
            defer { stateLock.withLock { state.writerThread = nil } }
            let writer = PageWriter(pager: pager, snapshot: snapshot, reuseLimit: limit)
            let txn = WriteTransaction(database: self, writer: writer)
            defer {
                txn.finish()
                writer.discard()
            }
            let result = try body(txn)
            try commit(txn)
            return result
        }
    }

    private func commit(_ txn: WriteTransaction) throws {
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
        guard treesChanged || !writer.dirty.isEmpty || writer.freelist.hasRetired else { return }
        try writer.freelist.finalize(writer)

        let txnID = writer.snapshot.txnID + 1
        let buffers = writer.dirty.values.sorted { $0.id < $1.id }
        try pager.ensureSize(Int(writer.highWater) * pager.pageSize)
        var written: [(page: UInt64, checksum: UInt64)] = []
        written.reserveCapacity(buffers.count)
        for buffer in buffers {
            pager.forget(buffer.id)
            written.append((buffer.id, buffer.seal()))
        }
        try pager.write(buffers)
        let durable = options.durability == .sync
        let listed = written.count <= Meta.listCapacity(pageSize: pager.pageSize)
        if durable && !listed { try pager.sync() }

        let snapshot = Snapshot(txnID: txnID, highWater: writer.highWater, catalog: writer.catalog, freeTree: writer.freeTree)
        let metaPage = PageBuffer(id: txnID % 2, length: pager.pageSize)
        Meta(pageSize: pager.pageSize, snapshot: snapshot, written: listed ? written : []).write(into: metaPage)
        do {
            try pager.writeMeta(metaPage)
            if durable { try pager.sync() }
        } catch let error as StorageError {
            // The meta slot may now hold this commit or garbage; writing more could
            // overwrite pages that meta refers to. Reopening settles which commit stands.
            stateLock.withLock {
                state.poisoned = "commit \(txnID) failed while writing its meta page (\(error.message)); close and reopen the database"
            }
            throw error
        }
        stateLock.withLock {
            state.current = snapshot
            state.commits += 1
        }
    }

    /// Waits for the writer, then closes; the file is released once the last reader closes.
    public func close() {
        writeLock.withLock {
            stateLock.withLock {
                state.closed = true
                if state.readers.isEmpty { pager.close() }
            }
        }
    }

    var commitCount: Int { stateLock.withLock { state.commits } }
}
