/// Root, key count and height of one B+tree, as stored in the catalog and the meta.
struct TreeRecord: Equatable, Sendable {
    var root: UInt64 = 0
    var count: UInt64 = 0
    var depth: UInt32 = 0

    static let size = 24

    var encoded: [UInt8] {
        var out = [UInt8](repeating: 0, count: TreeRecord.size)
        withUnsafeBytes(of: root.littleEndian) { out.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: count.littleEndian) { out.replaceSubrange(8..<16, with: $0) }
        withUnsafeBytes(of: depth.littleEndian) { out.replaceSubrange(16..<20, with: $0) }
        return out
    }

    init() {}

    init(root: UInt64, count: UInt64, depth: UInt32) {
        self.root = root; self.count = count; self.depth = depth
    }

    init?(_ bytes: [UInt8]) {
        guard bytes.count == TreeRecord.size else { return nil }
        func u64(_ at: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            return v
        }
        root = u64(0)
        count = u64(8)
        depth = UInt32(truncatingIfNeeded: u64(16))
    }
}

/// The state a meta page describes: everything a reader needs to see one commit.
struct Snapshot: Sendable {
    var txnID: UInt64
    var highWater: UInt64
    var catalog: TreeRecord
    var freeTree: TreeRecord
}

/// Meta page layout (pages 0 and 1; commit n writes page n % 2), after the page header:
///   24 magic "PARLEYDB"   32 version u32   36 page size u32
///   40 txn id u64         48 high-water mark u64 (pages in use, the file's minimum size)
///   56 catalog tree record (root u64, count u64, depth u32, pad u32)
///   80 free-list tree record
///  104 written count u32: pages of this commit listed below, or 0 if they were synced
///      before this meta was written
///  108 reserved u32
///  112 written list: (page u64, checksum u64) per page written by this commit
struct Meta {
    static let magic: [UInt8] = Array("PARLEYDB".utf8)
    static let version: UInt32 = 1
    static let listStart = 112

    var pageSize: Int
    var snapshot: Snapshot
    var written: [(page: UInt64, checksum: UInt64)]
    /// The slot (0 or 1) the meta was read from.
    var slot: UInt64 = 0

    /// The refusal docs/OPERATIONS.md ("Format versions") quotes: a file from a newer
    /// release is never read, so it is never misread or written with an older layout.
    static func newerMessage(_ version: UInt32) -> String {
        "the data file has file format version \(version), newer than this build reads (\(Meta.version)): it was written by a newer Parley release; run that release or a later one. Nothing was changed"
    }

    static func listCapacity(pageSize: Int) -> Int { (pageSize - listStart) / 16 }

    func write(into buffer: PageBuffer) {
        buffer.base.initializeMemory(as: UInt8.self, repeating: 0, count: buffer.length)
        buffer.set8(PageHeader.type, PageType.meta.rawValue)
        buffer.setBytes(24, Meta.magic)
        buffer.set32(32, Meta.version)
        buffer.set32(36, UInt32(pageSize))
        buffer.set64(40, snapshot.txnID)
        buffer.set64(48, snapshot.highWater)
        buffer.setBytes(56, snapshot.catalog.encoded)
        buffer.setBytes(80, snapshot.freeTree.encoded)
        buffer.set32(104, UInt32(written.count))
        for (i, entry) in written.enumerated() {
            buffer.set64(Meta.listStart + 16 * i, entry.page)
            buffer.set64(Meta.listStart + 16 * i + 8, entry.checksum)
        }
        buffer.seal()
    }

    /// Decodes the meta in `page`, which must be `pageSize` bytes read from slot `page.id`.
    static func read(_ page: PageRef, pageSize: Int) throws -> Meta {
        guard page.length >= listStart else {
            throw StorageError(.truncated, page: page.id, "meta page is cut short")
        }
        guard page.bytes(24, 8) == magic else {
            throw StorageError(.notADatabase, page: page.id, "no Parley magic number; this is not a Parley database")
        }
        let version = page.u32(32)
        guard version <= Meta.version else {
            throw StorageError(.unsupportedVersion, page: page.id, Meta.newerMessage(version))
        }
        guard version == Meta.version else {
            throw StorageError.corrupt(page.id, "meta page has file format version \(version); no Parley release wrote that")
        }
        guard Int(page.u32(36)) == pageSize, page.length == pageSize else {
            throw StorageError.corrupt(page.id, "meta page size field does not match its position")
        }
        try page.verify()
        guard page.type == PageType.meta.rawValue else {
            throw StorageError.corrupt(page.id, "meta page has type \(page.type)")
        }
        let count = Int(page.u32(104))
        guard count <= listCapacity(pageSize: pageSize) else {
            throw StorageError.corrupt(page.id, "meta lists \(count) written pages, more than fit")
        }
        guard let catalog = TreeRecord(page.bytes(56, 24)), let free = TreeRecord(page.bytes(80, 24)) else {
            throw StorageError.corrupt(page.id, "meta tree records unreadable")
        }
        var written: [(page: UInt64, checksum: UInt64)] = []
        for i in 0..<count {
            written.append((page.u64(listStart + 16 * i), page.u64(listStart + 16 * i + 8)))
        }
        let snapshot = Snapshot(txnID: page.u64(40), highWater: page.u64(48), catalog: catalog, freeTree: free)
        return Meta(pageSize: pageSize, snapshot: snapshot, written: written, slot: page.id)
    }
}
