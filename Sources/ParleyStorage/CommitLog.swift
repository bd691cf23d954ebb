/// The commit log, a second file next to the data file (`<path>-log`). A durable commit
/// appends one record (its snapshot plus the image of every page it wrote) and syncs
/// this file once; the data file is synced only by checkpoints. docs/STORAGE.md gives the
/// format and the safety argument.
///
/// Log header (bytes 0..<4096):
///   0 checksum u64 (XXH64 of bytes 8..<4096, seed 0)   8 magic "PARLEYLG"
///  16 version u32   20 page size u32   24 salt u64   32 base txn u64
/// Records follow from byte 4096, each 4096-aligned:
///   0 checksum u64: XXH64 of bytes 8..<headerBytes, seeded with the previous record's
///     checksum (the salt for the first record), so a record left over from an earlier
///     cycle of the log or an earlier failed attempt never continues the chain
///   8 txn u64   16 runs u32   20 headerBytes u32   24 high-water mark u64
///  32 catalog tree record (24)   56 free-list tree record (24)
///  80 runs × (page u64, pages u32, reserved u32, page checksum u64)
/// then the page images, run after run, each sealed with its own page checksum.
final class CommitLog {
    static let headerSize = 4096
    static let magic: [UInt8] = Array("PARLEYLG".utf8)
    static let version: UInt32 = 1
    static let recordFixed = 80
    static let runSize = 24

    let file: StorageFile
    let path: String
    let pageSize: Int
    private(set) var salt: UInt64 = 0
    /// The checkpointed commit the records continue from.
    private(set) var base: UInt64 = 0
    /// Records since the last reset, in order; the log's index for replay and the checker.
    private(set) var records: [LogRecord] = []
    /// Page images since the last reset, to decide when to checkpoint.
    private(set) var pages = 0
    private var end = CommitLog.headerSize
    private var chain: UInt64 = 0
    /// The header of the current cycle has not been written whole yet; appending first
    /// writes it, or records of the new chain would follow an old header.
    private var headerPending = false
    private var header: PageBuffer?
    private var isClosed = false

    init(file: StorageFile, path: String, pageSize: Int) {
        self.file = file
        self.path = path
        self.pageSize = pageSize
    }

    var isEmpty: Bool { records.isEmpty }
    /// Bytes of the file in use: the header and this cycle's records.
    var bytes: Int { end }

    // MARK: Recovery

    /// What the file holds: the header's salt and base, and the valid prefix of records.
    struct Contents {
        var salt: UInt64
        var base: UInt64
        var records: [LogRecord]
    }

    /// Reads the header and the valid prefix of records: the chain and every page
    /// checksum must hold and transaction ids must follow one another. Whatever follows
    /// the first bad record is a torn tail or stale bytes of an earlier cycle. Nil when
    /// the header is missing or torn: the log was being reset, which only happens once
    /// everything it held was checkpointed, so there is nothing to replay.
    func read() throws -> Contents? {
        let size = try file.size()
        let header = PageBuffer(id: 0, length: CommitLog.headerSize)
        guard size >= CommitLog.headerSize,
              try file.read(into: UnsafeMutableRawBufferPointer(start: header.base, count: CommitLog.headerSize), at: 0) == CommitLog.headerSize
        else { return nil }
        let ref = header.ref
        guard ref.bytes(8, 8) == CommitLog.magic,
              ref.storedChecksum == Checksum.hash(UnsafeRawBufferPointer(start: ref.base + 8, count: CommitLog.headerSize - 8), seed: 0)
        else { return nil }
        guard ref.u32(16) == CommitLog.version else {
            throw StorageError(.unsupportedVersion, "commit log \(path) has format version \(ref.u32(16)); this build reads version \(CommitLog.version)")
        }
        guard Int(ref.u32(20)) == pageSize else {
            throw StorageError(.corrupt, "commit log \(path) is for \(ref.u32(20))-byte pages, the database uses \(pageSize)")
        }
        var contents = Contents(salt: ref.u64(24), base: ref.u64(32), records: [])
        var seed = contents.salt
        var offset = CommitLog.headerSize
        while let record = try readRecord(at: offset, size: size, seed: seed,
                                          txn: (contents.records.last?.snapshot.txnID ?? contents.base) + 1) {
            contents.records.append(record)
            seed = record.checksum
            offset = record.offset + record.length
        }
        return contents
    }

    private func readRecord(at offset: Int, size: Int, seed: UInt64, txn: UInt64) throws -> LogRecord? {
        guard offset + 4096 <= size else { return nil }
        let first = PageBuffer(id: 0, length: 4096)
        guard try file.read(into: UnsafeMutableRawBufferPointer(start: first.base, count: 4096), at: offset) == 4096 else { return nil }
        let runs = Int(first.ref.u32(16))
        let headerBytes = Int(first.ref.u32(20))
        guard first.ref.u64(8) == txn, runs >= 1, headerBytes == CommitLog.headerBytes(runs: runs),
              offset + headerBytes <= size else { return nil }
        var head = first
        if headerBytes > 4096 {
            head = PageBuffer(id: 0, length: headerBytes)
            guard try file.read(into: UnsafeMutableRawBufferPointer(start: head.base, count: headerBytes), at: offset) == headerBytes else { return nil }
        }
        let ref = head.ref
        let sum = Checksum.hash(UnsafeRawBufferPointer(start: ref.base + 8, count: headerBytes - 8), seed: seed)
        guard sum == ref.storedChecksum,
              let catalog = TreeRecord(ref.bytes(32, 24)), let freeTree = TreeRecord(ref.bytes(56, 24)) else { return nil }
        let snapshot = Snapshot(txnID: txn, highWater: ref.u64(24), catalog: catalog, freeTree: freeTree)
        var list: [LogRecord.Run] = []
        var imageOffset = offset + headerBytes
        for i in 0..<runs {
            let at = CommitLog.recordFixed + CommitLog.runSize * i
            let run = LogRecord.Run(page: ref.u64(at), count: Int(ref.u32(at + 8)), checksum: ref.u64(at + 16), offset: imageOffset)
            guard run.page >= 2, run.count >= 1, run.page + UInt64(run.count) <= snapshot.highWater else { return nil }
            imageOffset += run.count * pageSize
            list.append(run)
        }
        guard imageOffset <= size else { return nil }
        let record = LogRecord(snapshot: snapshot, offset: offset, length: imageOffset - offset, checksum: sum, runs: list)
        // Every image must carry the checksum its record lists: a record whose images did
        // not all reach the disk is the torn tail.
        for run in list {
            guard let image = try image(run), image.ref.storedChecksum == run.checksum,
                  image.ref.computeChecksum() == run.checksum else { return nil }
        }
        return record
    }

    /// The page image of one run, read from the log; nil if the file ends first.
    func image(_ run: LogRecord.Run) throws -> PageBuffer? {
        let buffer = PageBuffer(id: run.page, length: run.count * pageSize)
        let n = try file.read(into: UnsafeMutableRawBufferPointer(start: buffer.base, count: buffer.length), at: run.offset)
        return n == buffer.length ? buffer : nil
    }

    static func headerBytes(runs: Int) -> Int {
        (recordFixed + runSize * runs + 4095) / 4096 * 4096
    }

    // MARK: Writing

    /// Starts a new cycle of the log after a checkpoint of `base`: a new salt makes every
    /// older record invalid, and the file is cut back if it grew past `truncateAbove`
    /// bytes. The header is not synced here; the next commit's sync covers it, and until
    /// then a torn header is harmless because everything older is checkpointed.
    func reset(base: UInt64, truncateAbove: Int) throws {
        if try file.size() > truncateAbove { try file.truncate(to: CommitLog.headerSize) }
        let header = PageBuffer(id: 0, length: CommitLog.headerSize)
        var newSalt = UInt64.random(in: 1...UInt64.max)
        if newSalt == salt { newSalt &+= 1 }
        header.setBytes(8, CommitLog.magic)
        header.set32(16, CommitLog.version)
        header.set32(20, UInt32(pageSize))
        header.set64(24, newSalt)
        header.set64(32, base)
        header.set64(0, Checksum.hash(UnsafeRawBufferPointer(start: header.base + 8, count: CommitLog.headerSize - 8), seed: 0))
        // The state changes before the write: if the write fails, the old header may be
        // torn, so nothing may continue the old chain either.
        salt = newSalt
        self.base = base
        chain = newSalt
        end = CommitLog.headerSize
        records = []
        pages = 0
        self.header = header
        try writeHeader()
    }

    private func writeHeader() throws {
        guard let header else { return }
        headerPending = true
        try file.write([header.bytes], at: 0)
        headerPending = false
    }

    /// Appends the record of commit `snapshot` with its sealed pages (sorted by page
    /// number) in one write. On failure nothing changes: the next record is written at
    /// the same place and the chain makes any leftover bytes invalid.
    func append(_ snapshot: Snapshot, _ buffers: [PageBuffer], checksums: [UInt64]) throws {
        let headerBytes = CommitLog.headerBytes(runs: buffers.count)
        let head = PageBuffer(id: 0, length: headerBytes)
        head.set64(8, snapshot.txnID)
        head.set32(16, UInt32(buffers.count))
        head.set32(20, UInt32(headerBytes))
        head.set64(24, snapshot.highWater)
        head.setBytes(32, snapshot.catalog.encoded)
        head.setBytes(56, snapshot.freeTree.encoded)
        var runs: [LogRecord.Run] = []
        runs.reserveCapacity(buffers.count)
        var imageOffset = end + headerBytes
        for (i, buffer) in buffers.enumerated() {
            let at = CommitLog.recordFixed + CommitLog.runSize * i
            let count = buffer.length / pageSize
            head.set64(at, buffer.id)
            head.set32(at + 8, UInt32(count))
            head.set64(at + 16, checksums[i])
            runs.append(LogRecord.Run(page: buffer.id, count: count, checksum: checksums[i], offset: imageOffset))
            imageOffset += buffer.length
        }
        let sum = Checksum.hash(UnsafeRawBufferPointer(start: head.base + 8, count: headerBytes - 8), seed: chain)
        head.set64(0, sum)
        if headerPending { try writeHeader() }
        try file.write([head.bytes] + buffers.map { $0.bytes }, at: end)
        let record = LogRecord(snapshot: snapshot, offset: end, length: imageOffset - end, checksum: sum, runs: runs)
        records.append(record)
        pages += record.pageCount
        chain = sum
        end = imageOffset
    }

    func sync() throws { try file.sync() }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        file.close()
    }
}

/// One commit in the log: where it lies and which page images it holds.
struct LogRecord {
    struct Run {
        var page: UInt64
        var count: Int
        var checksum: UInt64
        /// Byte offset of the image in the log file.
        var offset: Int
    }

    var snapshot: Snapshot
    var offset: Int
    var length: Int
    var checksum: UInt64
    var runs: [Run]

    var pageCount: Int { runs.reduce(0) { $0 + $1.count } }
}
