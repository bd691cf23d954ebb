/// The write transaction's pages: copies made on write, new pages, and the pages it
/// frees. Nothing here touches the file until commit.
final class PageWriter: PageReader {
    private(set) var dirty: [UInt64: PageBuffer] = [:]
    var highWater: UInt64
    var catalog: TreeRecord
    var freeTree: TreeRecord
    let freelist: Freelist

    init(pager: Pager, snapshot: Snapshot, reuseLimit: UInt64) {
        highWater = snapshot.highWater
        catalog = snapshot.catalog
        freeTree = snapshot.freeTree
        freelist = Freelist(txnID: snapshot.txnID + 1, reuseLimit: reuseLimit, pageSize: pager.pageSize)
        super.init(pager: pager, snapshot: snapshot)
    }

    override func node(_ id: UInt64) throws -> Node {
        if let buffer = dirty[id] { return try Node(buffer.ref) }
        return try super.node(id)
    }

    override func overflowRun(_ id: UInt64) throws -> PageRef {
        if let buffer = dirty[id] { return buffer.ref }
        return try super.overflowRun(id)
    }

    /// Page numbers for a run of `count` pages: reused ones when readers allow, else new.
    func allocate(_ count: Int) throws -> UInt64 {
        if let id = try freelist.take(count, from: self) { return id }
        let id = highWater
        highWater += UInt64(count)
        guard Int(highWater) <= pager.mapLength / pageSize else {
            throw StorageError(.mapFull, "database would exceed the map reserve; reopen with a larger DatabaseOptions.mapReserve")
        }
        return id
    }

    func newPage(_ count: Int = 1) throws -> PageBuffer {
        let buffer = PageBuffer(id: try allocate(count), length: count * pageSize)
        dirty[buffer.id] = buffer
        return buffer
    }

    /// The page in writable form: itself if this transaction already owns it, else a copy
    /// under a new number (the original stays intact for older snapshots).
    func writable(_ id: UInt64) throws -> PageBuffer {
        if let buffer = dirty[id] { return buffer }
        let original = try pager.checkedPage(id, limit: snapshot.highWater)
        let copy = PageBuffer(copying: original, id: try allocate(1))
        dirty[copy.id] = copy
        free(id, count: 1)
        return copy
    }

    /// Pages this transaction created are reusable at once; committed ones only once no
    /// snapshot can see them.
    func free(_ id: UInt64, count: Int) {
        if dirty.removeValue(forKey: id) != nil {
            freelist.release(id, count: count)
        } else {
            freelist.retire(id, count: count)
        }
    }

    func discard() {
        dirty.removeAll()
    }
}
