import Glibc

/// B+tree node layout inside a page, after the 24-byte header:
///   slot array: `count` u16 offsets of cells, in key order, growing up from byte 24;
///   cell area: cells packed down from the end of the page (`upper` is its start).
/// Leaf cell:   klen u16, vinfo u32 (bit 31: value in overflow pages; low bits: value
///              length), key, then the value or the u64 number of its first overflow page.
/// Branch cell: child u64, klen u16, key. Key i is a lower bound of child i's keys and
///              every key in child i sorts below key i+1.
enum CellSpec {
    case leaf(key: [UInt8], value: [UInt8])
    case leafOverflow(key: [UInt8], page: UInt64, length: Int)
    case branch(key: [UInt8], child: UInt64)
    case raw([UInt8])

    var size: Int {
        switch self {
        case let .leaf(key, value): return 6 + key.count + value.count
        case let .leafOverflow(key, _, _): return 6 + key.count + 8
        case let .branch(key, _): return 10 + key.count
        case let .raw(bytes): return bytes.count
        }
    }
}

/// Where a leaf's value lives.
enum LeafValue {
    case inline(at: Int, length: Int)
    case overflow(page: UInt64, length: Int)
}

enum NodeLimits {
    /// Largest cell (with its slot) so that any node holds at least three cells, which
    /// makes every split yield two non-empty pages that fit.
    static func maxCell(pageSize: Int) -> Int { (pageSize - PageHeader.size) / 3 - 2 }
}

struct Node {
    let page: PageRef
    let count: Int
    let isLeaf: Bool

    init(_ page: PageRef) throws {
        let type = page.type
        guard type == PageType.leaf.rawValue || type == PageType.branch.rawValue else {
            throw StorageError.corrupt(page.id, "expected a tree node, found page type \(type)")
        }
        self.page = page
        isLeaf = type == PageType.leaf.rawValue
        count = Int(page.u16(PageHeader.count))
        let upper = Int(page.u32(PageHeader.upper))
        guard PageHeader.size + 2 * count <= upper, upper <= page.length else {
            throw StorageError.corrupt(page.id, "node header out of bounds (count \(count), upper \(upper))")
        }
    }

    var upper: Int { Int(page.u32(PageHeader.upper)) }
    var garbage: Int { Int(page.u32(PageHeader.garbage)) }
    /// Bytes taken by live cells and their slots.
    var usedBytes: Int { 2 * count + (page.length - upper - garbage) }

    @inline(__always) private func offset(_ i: Int) throws -> Int {
        let off = Int(page.u16(PageHeader.size + 2 * i))
        guard off >= PageHeader.size + 2 * count, off + (isLeaf ? 6 : 10) <= page.length else {
            throw StorageError.corrupt(page.id, "cell \(i) offset \(off) out of bounds")
        }
        return off
    }

    /// Key position of cell `i`.
    @inline(__always) func keyRange(_ i: Int) throws -> (at: Int, length: Int) {
        let off = try offset(i)
        let at: Int, length: Int
        if isLeaf {
            length = Int(page.u16(off)); at = off + 6
        } else {
            length = Int(page.u16(off + 8)); at = off + 10
        }
        guard at + length <= page.length else {
            throw StorageError.corrupt(page.id, "key of cell \(i) runs past the page end")
        }
        return (at, length)
    }

    @inline(__always) func compare(_ i: Int, _ key: [UInt8]) throws -> Int {
        let r = try keyRange(i)
        return page.compare(r.at, r.length, key)
    }

    func key(_ i: Int) throws -> [UInt8] {
        let r = try keyRange(i)
        return page.bytes(r.at, r.length)
    }

    func child(_ i: Int) throws -> UInt64 {
        page.u64(try offset(i))
    }

    func value(_ i: Int) throws -> LeafValue {
        let off = try offset(i)
        let klen = Int(page.u16(off))
        let vinfo = page.u32(off + 2)
        let at = off + 6 + klen
        let length = Int(vinfo & 0x7fff_ffff)
        if vinfo & 0x8000_0000 != 0 {
            guard at + 8 <= page.length else {
                throw StorageError.corrupt(page.id, "overflow reference of cell \(i) out of bounds")
            }
            return .overflow(page: page.u64(at), length: length)
        }
        guard at + length <= page.length else {
            throw StorageError.corrupt(page.id, "value of cell \(i) runs past the page end")
        }
        return .inline(at: at, length: length)
    }

    func cellSize(_ i: Int) throws -> Int {
        let off = try offset(i)
        let size: Int
        if isLeaf {
            let klen = Int(page.u16(off))
            let vinfo = page.u32(off + 2)
            size = 6 + klen + (vinfo & 0x8000_0000 != 0 ? 8 : Int(vinfo & 0x7fff_ffff))
        } else {
            size = 10 + Int(page.u16(off + 8))
        }
        guard off + size <= page.length else {
            throw StorageError.corrupt(page.id, "cell \(i) runs past the page end")
        }
        return size
    }

    func cell(_ i: Int) throws -> CellSpec {
        let size = try cellSize(i)
        return .raw(page.bytes(try offset(i), size))
    }

    /// Leaf: first index whose key is >= `key`, and whether it is equal.
    func search(_ key: [UInt8]) throws -> (index: Int, found: Bool) {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let c = try compare(mid, key)
            if c == 0 { return (mid, true) }
            if c < 0 { lo = mid + 1 } else { hi = mid }
        }
        return (lo, false)
    }

    /// Branch: the child whose range holds `key` (the last key <= `key`, else the first).
    func childIndex(_ key: [UInt8]) throws -> Int {
        var lo = 1, hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if try compare(mid, key) <= 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }
}

extension PageBuffer {
    func initNode(_ type: PageType) {
        base.initializeMemory(as: UInt8.self, repeating: 0, count: PageHeader.size)
        set8(PageHeader.type, type.rawValue)
        set32(PageHeader.upper, UInt32(length))
    }

    var nodeCount: Int { Int(get16(PageHeader.count)) }
    private var upper: Int { Int(get32(PageHeader.upper)) }
    private var garbage: Int { Int(get32(PageHeader.garbage)) }

    private func write(_ cell: CellSpec, at off: Int) {
        switch cell {
        case let .leaf(key, value):
            set16(off, UInt16(key.count))
            set32(off + 2, UInt32(value.count))
            setBytes(off + 6, key)
            setBytes(off + 6 + key.count, value)
        case let .leafOverflow(key, page, length):
            set16(off, UInt16(key.count))
            set32(off + 2, UInt32(length) | 0x8000_0000)
            setBytes(off + 6, key)
            set64(off + 6 + key.count, page)
        case let .branch(key, child):
            set64(off, child)
            set16(off + 8, UInt16(key.count))
            setBytes(off + 10, key)
        case let .raw(bytes):
            setBytes(off, bytes)
        }
    }

    /// Inserts a cell at slot `i`; false when the page cannot hold it even after compaction.
    func insert(_ cell: CellSpec, at i: Int) throws -> Bool {
        let need = cell.size + 2
        let count = nodeCount
        var free = upper - (PageHeader.size + 2 * count)
        if free < need {
            guard free + garbage >= need else { return false }
            try compact()
            free = upper - (PageHeader.size + 2 * count)
        }
        let off = upper - cell.size
        write(cell, at: off)
        let slot = PageHeader.size + 2 * i
        moveBytes(from: slot, to: slot + 2, count: 2 * (count - i))
        set16(slot, UInt16(off))
        set16(PageHeader.count, UInt16(count + 1))
        set32(PageHeader.upper, UInt32(off))
        return true
    }

    func remove(at i: Int) throws {
        let size = try Node(ref).cellSize(i)
        let count = nodeCount
        let slot = PageHeader.size + 2 * i
        moveBytes(from: slot + 2, to: slot, count: 2 * (count - i - 1))
        set16(PageHeader.count, UInt16(count - 1))
        set32(PageHeader.garbage, UInt32(garbage + size))
    }

    func setChild(_ i: Int, _ child: UInt64) throws {
        let node = try Node(ref)
        let off = Int(get16(PageHeader.size + 2 * i))
        guard i < node.count, off + 8 <= length else {
            throw StorageError.corrupt(id, "branch slot \(i) out of bounds")
        }
        set64(off, child)
    }

    /// Every live cell, in order, as self-contained bytes.
    func cells() throws -> [CellSpec] {
        let node = try Node(ref)
        var out: [CellSpec] = []
        out.reserveCapacity(node.count)
        for i in 0..<node.count { out.append(try node.cell(i)) }
        return out
    }

    /// Rewrites the node with exactly these cells; false if they do not fit.
    func rebuild(_ type: PageType, _ cells: [CellSpec]) -> Bool {
        var total = 0
        for c in cells { total += c.size + 2 }
        guard total <= length - PageHeader.size else { return false }
        initNode(type)
        var off = length
        for (i, c) in cells.enumerated() {
            off -= c.size
            write(c, at: off)
            set16(PageHeader.size + 2 * i, UInt16(off))
        }
        set16(PageHeader.count, UInt16(cells.count))
        set32(PageHeader.upper, UInt32(off))
        return true
    }

    private func compact() throws {
        let type: PageType = base.load(fromByteOffset: PageHeader.type, as: UInt8.self) == PageType.leaf.rawValue ? .leaf : .branch
        _ = rebuild(type, try cells())
    }
}
