import Glibc
import Synchronization

/// Owns the file and its read-only map. Readers take pages straight from the map; the
/// writer never writes through it (pwrite instead), so a full disk is an error code at
/// commit rather than a SIGBUS in the middle of a store.
// @unchecked: the map is read-only and shared by design; `fileSize` and `isClosed` change
// only under the database's write lock; `verified` is a table of atomics.
final class Pager: @unchecked Sendable {
    let file: StorageFile
    let path: String
    let pageSize: Int
    let growthStep: Int
    private let map: UnsafeRawPointer
    let mapLength: Int
    /// Allocated file size; only the writer changes it, under the write lock.
    private(set) var fileSize: Int
    /// One bit per page: checksum already verified since open. Readers verify a page the
    /// first time they touch it, so damage at rest is caught at near-zero steady-state cost.
    private let verified: UnsafeMutablePointer<Atomic<UInt64>>
    private let verifiedWords: Int
    private var isClosed = false

    init(file: StorageFile, path: String, pageSize: Int, fileSize: Int, options: DatabaseOptions) throws {
        let step = 1 << 20
        let length = max(options.mapReserve, (fileSize + step - 1) / step * step)
        guard let m = mmap(nil, length, PROT_READ, MAP_SHARED, file.descriptor, 0), m != MAP_FAILED else {
            throw posixError("map", errno, path: path)
        }
        self.file = file
        self.path = path
        self.pageSize = pageSize
        self.growthStep = max(options.growthStep, pageSize)
        self.map = UnsafeRawPointer(m)
        self.mapLength = length
        self.fileSize = fileSize
        verifiedWords = (length / pageSize + 63) / 64
        verified = .allocate(capacity: verifiedWords)
        for i in 0..<verifiedWords { (verified + i).initialize(to: Atomic(0)) }
    }

    deinit {
        close()
        verified.deinitialize(count: verifiedWords)
        verified.deallocate()
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        munmap(UnsafeMutableRawPointer(mutating: map), mapLength)
        file.close()
    }

    /// A run of `count` pages from the map; every page must lie below `limit` (the
    /// snapshot's high-water mark), which open checked against the file size.
    func page(_ id: UInt64, count: Int = 1, limit: UInt64) throws -> PageRef {
        guard id >= 2, count >= 1, id < limit, UInt64(count) <= limit - id else {
            throw StorageError.corrupt(id, "page number out of range (file has \(limit) pages)")
        }
        let offset = Int(id) * pageSize
        return PageRef(base: map + offset, length: count * pageSize, id: id, owner: nil)
    }

    /// Like `page`, verifying the checksum the first time the page is touched.
    func checkedPage(_ id: UInt64, count: Int = 1, limit: UInt64) throws -> PageRef {
        let ref = try page(id, count: count, limit: limit)
        let word = Int(id >> 6), bit = UInt64(1) << (id & 63)
        if verified[word].load(ordering: .acquiring) & bit == 0 {
            try ref.verify()
            verified[word].bitwiseOr(bit, ordering: .releasing)
        }
        return ref
    }

    /// The writer is about to overwrite `id`; the next reader must check it afresh.
    func forget(_ id: UInt64) {
        let word = Int(id >> 6)
        guard word < verifiedWords else { return }
        verified[word].bitwiseAnd(~(UInt64(1) << (id & 63)), ordering: .releasing)
    }

    /// Grows the file so `bytes` fit, in steps proportional to its size (capped by the
    /// growth step) so small databases stay small and large ones grow rarely.
    func ensureSize(_ bytes: Int) throws {
        guard bytes > fileSize else { return }
        guard bytes <= mapLength else {
            throw StorageError(.mapFull, "database would exceed the \(mapLength >> 20) MiB map reserve; reopen with a larger DatabaseOptions.mapReserve")
        }
        let step = min(growthStep, max(1 << 20, fileSize / 8))
        let target = min(mapLength, (bytes + step - 1) / step * step)
        try file.allocate(to: target)
        fileSize = target
    }

    /// Writes sealed buffers, coalescing runs of adjacent pages into one system call.
    func write(_ buffers: [PageBuffer]) throws {
        var i = 0
        while i < buffers.count {
            var j = i + 1
            var next = buffers[i].id + UInt64(buffers[i].length / pageSize)
            while j < buffers.count, buffers[j].id == next {
                next += UInt64(buffers[j].length / pageSize)
                j += 1
            }
            try file.write(buffers[i..<j].map { $0.bytes }, at: Int(buffers[i].id) * pageSize)
            i = j
        }
    }

    func writeMeta(_ buffer: PageBuffer) throws {
        try file.write([buffer.bytes], at: Int(buffer.id) * pageSize)
    }

    func sync() throws { try file.sync() }
}
