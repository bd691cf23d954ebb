/// Page access for one snapshot. Read transactions use it directly; the write
/// transaction's PageWriter layers its dirty pages on top.
class PageReader {
    let pager: Pager
    let snapshot: Snapshot

    init(pager: Pager, snapshot: Snapshot) {
        self.pager = pager
        self.snapshot = snapshot
    }

    var pageSize: Int { pager.pageSize }

    func node(_ id: UInt64) throws -> Node {
        try Node(pager.checkedPage(id, limit: snapshot.highWater))
    }

    /// The whole run of an overflow value, checksum verified.
    func overflowRun(_ id: UInt64) throws -> PageRef {
        let head = try pager.page(id, limit: snapshot.highWater)
        return try pager.checkedPage(id, count: Int(head.overflow) + 1, limit: snapshot.highWater)
    }

    func value(_ node: Node, _ i: Int) throws -> [UInt8] {
        switch try node.value(i) {
        case let .inline(at, length):
            return node.page.bytes(at, length)
        case let .overflow(id, length):
            let run = try overflowRun(id)
            guard run.type == PageType.overflow.rawValue else {
                throw StorageError.corrupt(id, "expected an overflow page, found type \(run.type)")
            }
            guard PageHeader.size + length <= run.length else {
                throw StorageError.corrupt(id, "overflow run of \(run.length / pageSize) pages cannot hold \(length) bytes")
            }
            return run.bytes(PageHeader.size, length)
        }
    }
}
