/// Copy-on-write B+tree operations over a TreeRecord. Writes copy every page on the path
/// from the root once per transaction; later writes in the same transaction edit the
/// copies in place.
enum BTree {
    static let maxKey = 1024
    static let maxValue = 16 << 20

    static func get(_ reader: PageReader, _ tree: TreeRecord, _ key: [UInt8]) throws -> [UInt8]? {
        guard tree.root != 0 else { return nil }
        var id = tree.root
        var level: UInt32 = 1
        while true {
            let node = try reader.node(id)
            if node.isLeaf {
                guard level == tree.depth else {
                    throw StorageError.corrupt(id, "leaf at depth \(level), tree depth is \(tree.depth)")
                }
                let (i, found) = try node.search(key)
                return found ? try reader.value(node, i) : nil
            }
            guard level < tree.depth, node.count > 0 else {
                throw StorageError.corrupt(id, "branch at depth \(level) of a tree of depth \(tree.depth)")
            }
            id = try node.child(try node.childIndex(key))
            level += 1
        }
    }

    /// The cell for a key and value, moving a large value to its own run of pages.
    private static func leafCell(_ writer: PageWriter, _ key: [UInt8], _ value: [UInt8]) throws -> CellSpec {
        if 6 + key.count + value.count <= NodeLimits.maxCell(pageSize: writer.pageSize) {
            return .leaf(key: key, value: value)
        }
        let pages = (PageHeader.size + value.count + writer.pageSize - 1) / writer.pageSize
        let run = try writer.newPage(pages)
        run.set8(PageHeader.type, PageType.overflow.rawValue)
        run.set32(PageHeader.overflow, UInt32(pages - 1))
        run.setBytes(PageHeader.size, value)
        return .leafOverflow(key: key, page: run.id, length: value.count)
    }

    private static func freeValue(_ writer: PageWriter, _ node: Node, _ i: Int) throws {
        if case let .overflow(id, _) = try node.value(i) {
            let run = try writer.overflowRun(id)
            writer.free(id, count: Int(run.overflow) + 1)
        }
    }

    /// Copies the path to `key` into writable pages; returns the path's buffers and the
    /// child index taken at each branch, plus whether every step went to the last child.
    private static func writablePath(_ writer: PageWriter, _ tree: inout TreeRecord, _ key: [UInt8])
        throws -> (path: [PageBuffer], indexes: [Int], rightmost: Bool)
    {
        var buffer = try writer.writable(tree.root)
        tree.root = buffer.id
        var path = [buffer]
        var indexes: [Int] = []
        path.reserveCapacity(Int(tree.depth))
        indexes.reserveCapacity(Int(tree.depth))
        var rightmost = true
        while true {
            let node = try Node(buffer.ref)
            if node.isLeaf {
                guard path.count == Int(tree.depth) else {
                    throw StorageError.corrupt(buffer.id, "leaf at depth \(path.count), tree depth is \(tree.depth)")
                }
                return (path, indexes, rightmost)
            }
            guard path.count < Int(tree.depth), node.count > 0 else {
                throw StorageError.corrupt(buffer.id, "branch at depth \(path.count) of a tree of depth \(tree.depth)")
            }
            let ci = try node.childIndex(key)
            rightmost = rightmost && ci == node.count - 1
            let childID = try node.child(ci)
            let child = try writer.writable(childID)
            if child.id != childID { try buffer.setChild(ci, child.id) }
            indexes.append(ci)
            path.append(child)
            buffer = child
        }
    }

    static func put(_ writer: PageWriter, _ tree: inout TreeRecord, _ key: [UInt8], _ value: [UInt8]) throws {
        let cell = try leafCell(writer, key, value)
        if tree.root == 0 {
            let leaf = try writer.newPage()
            leaf.initNode(.leaf)
            _ = try leaf.insert(cell, at: 0)
            tree = TreeRecord(root: leaf.id, count: 1, depth: 1)
            return
        }
        let (path, indexes, rightmost) = try writablePath(writer, &tree, key)
        let leaf = path[path.count - 1]
        let node = try Node(leaf.ref)
        let (i, found) = try node.search(key)
        if found {
            // A value of the same size (a rollup cell, a session's metrics) is overwritten
            // where it is: removing and inserting it would leave its old bytes as garbage,
            // and a page of repeatedly updated cells would be compacted every few puts.
            if case let .leaf(_, newValue) = cell, case let .inline(at, length) = try node.value(i), length == newValue.count {
                leaf.setBytes(at, newValue)
                return
            }
            try freeValue(writer, node, i)
            try leaf.remove(at: i)
        } else {
            tree.count += 1
        }
        try insert(writer, &tree, path, indexes, level: path.count - 1, cell, at: i, rightmost: rightmost)
    }

    /// Inserts into the node at `level` of `path`, splitting upward as needed.
    private static func insert(_ writer: PageWriter, _ tree: inout TreeRecord, _ path: [PageBuffer], _ indexes: [Int],
                               level: Int, _ cell: CellSpec, at i: Int, rightmost: Bool) throws {
        let buffer = path[level]
        if try buffer.insert(cell, at: i) { return }
        let type: PageType = try Node(buffer.ref).isLeaf ? .leaf : .branch
        var cells = try buffer.cells()
        cells.insert(cell, at: i)
        let appending = rightmost && i == cells.count - 1
        if type == .leaf && level > 0 && !appending,
           try redistribute(writer, &tree, path, indexes, level: level, cells) {
            return
        }
        let split = nearRightEdge(cells, at: i, rightmost: rightmost, pageSize: writer.pageSize)
            ?? splitPoint(cells, appending: appending, pageSize: writer.pageSize)
        let right = try writer.newPage()
        guard buffer.rebuild(type, Array(cells[..<split])), right.rebuild(type, Array(cells[split...])) else {
            throw StorageError.corrupt(buffer.id, "node split produced an oversized half")
        }
        let separator = try Node(right.ref).key(0)
        let promoted = CellSpec.branch(key: separator, child: right.id)
        if level == 0 {
            let root = try writer.newPage()
            root.initNode(.branch)
            _ = try root.insert(.branch(key: [], child: buffer.id), at: 0)
            _ = try root.insert(promoted, at: 1)
            tree.root = root.id
            tree.depth += 1
            return
        }
        try insert(writer, &tree, path, indexes, level: level - 1, promoted, at: indexes[level - 1] + 1, rightmost: rightmost)
    }

    /// Before splitting a full leaf, shares its entries with a sibling that has room (as
    /// SQLite's balancing does): randomly filled trees then stay about 80% full instead of
    /// 50-70%, at the same write cost as a split (one extra page either way).
    private static func redistribute(_ writer: PageWriter, _ tree: inout TreeRecord, _ path: [PageBuffer], _ indexes: [Int],
                                     level: Int, _ cells: [CellSpec]) throws -> Bool {
        let buffer = path[level]
        let parent = path[level - 1]
        let pi = indexes[level - 1]
        let capacity = writer.pageSize - PageHeader.size
        let total = cells.reduce(0) { $0 + $1.size + 2 }
        let siblingCount = try Node(parent.ref).count
        for sibling in [pi + 1, pi - 1] where sibling >= 0 && sibling < siblingCount {
            let siblingID = try Node(parent.ref).child(sibling)
            let siblingNode = try writer.node(siblingID)
            guard siblingNode.isLeaf else {
                throw StorageError.corrupt(siblingID, "sibling of a leaf is not a leaf")
            }
            // Leave both pages some room, or the next insert would split one right away.
            // A balanced cut is then within half a cell of half, so both halves fit.
            let limit = min(capacity * 15 / 8, 2 * capacity - NodeLimits.maxCell(pageSize: writer.pageSize) - 2)
            guard total + siblingNode.usedBytes <= limit else { continue }
            let siblingBuffer = try writer.writable(siblingID)
            if siblingBuffer.id != siblingID { try parent.setChild(sibling, siblingBuffer.id) }
            let (left, right) = sibling > pi ? (buffer, siblingBuffer) : (siblingBuffer, buffer)
            let all = sibling > pi ? cells + (try siblingBuffer.cells()) : (try siblingBuffer.cells()) + cells
            let cut = splitPoint(all, appending: false, pageSize: writer.pageSize)
            guard left.rebuild(.leaf, Array(all[..<cut])), right.rebuild(.leaf, Array(all[cut...])) else {
                throw StorageError.corrupt(buffer.id, "redistribution produced an oversized page")
            }
            // The right page's first key moved, so its separator in the parent changes.
            let rightIndex = max(pi, sibling)
            try parent.remove(at: rightIndex)
            try insert(writer, &tree, path, indexes, level: level - 1,
                       .branch(key: try Node(right.ref).key(0), child: right.id), at: rightIndex, rightmost: false)
            return true
        }
        return false
    }

    /// Keys that arrive almost in order (ids and times from many writers at once) land
    /// just below the right edge of the tree, not at it. Cutting such a node at the new
    /// cell keeps everything before it on the left page, which no later key reaches, so
    /// it stays full; a cut at half the bytes would leave every left page half empty.
    /// Nil when the cell is not in the last quarter of the rightmost node, or a side
    /// would not fit.
    private static func nearRightEdge(_ cells: [CellSpec], at i: Int, rightmost: Bool, pageSize: Int) -> Int? {
        guard rightmost, i >= 1, i < cells.count - 1, 4 * i >= 3 * cells.count else { return nil }
        let capacity = pageSize - PageHeader.size
        let left = cells[..<i].reduce(0) { $0 + $1.size + 2 }
        let right = cells[i...].reduce(0) { $0 + $1.size + 2 }
        return left <= capacity && right <= capacity ? i : nil
    }

    /// Where to cut an overfull node. Appends at the right edge of the tree leave the left
    /// page full (sequential loads then fill every page); otherwise cut at half the bytes.
    private static func splitPoint(_ cells: [CellSpec], appending: Bool, pageSize: Int) -> Int {
        let capacity = pageSize - PageHeader.size
        let sizes = cells.map { $0.size + 2 }
        let total = sizes.reduce(0, +)
        if appending && total - sizes[sizes.count - 1] <= capacity { return cells.count - 1 }
        var left = 0, split = 0
        while split < cells.count - 1 && left + sizes[split] <= total / 2 {
            left += sizes[split]
            split += 1
        }
        if split < cells.count - 1 && abs(2 * (left + sizes[split]) - total) < abs(2 * left - total) {
            left += sizes[split]
            split += 1
        }
        split = max(split, 1)
        left = sizes[..<split].reduce(0, +)
        while left > capacity && split > 1 { split -= 1; left -= sizes[split] }
        while total - left > capacity && split < cells.count - 1 { left += sizes[split]; split += 1 }
        return split
    }

    static func delete(_ writer: PageWriter, _ tree: inout TreeRecord, _ key: [UInt8]) throws -> Bool {
        guard tree.root != 0, try get(writer, tree, key) != nil else { return false }
        let (path, indexes, _) = try writablePath(writer, &tree, key)
        let leaf = path[path.count - 1]
        let node = try Node(leaf.ref)
        let (i, found) = try node.search(key)
        guard found else { return false }
        try freeValue(writer, node, i)
        try leaf.remove(at: i)
        tree.count -= 1
        try rebalance(writer, &tree, path, indexes)
        return true
    }

    /// Merges underfull nodes into a sibling from the leaf up, then shortens the tree while
    /// its root has a single child.
    private static func rebalance(_ writer: PageWriter, _ tree: inout TreeRecord, _ path: [PageBuffer], _ indexes: [Int]) throws {
        let threshold = (writer.pageSize - PageHeader.size) / 4
        var level = path.count - 1
        while level > 0 {
            let buffer = path[level]
            let node = try Node(buffer.ref)
            if node.count > 0 && node.usedBytes >= threshold { break }
            let parent = path[level - 1]
            let parentNode = try Node(parent.ref)
            let pi = indexes[level - 1]
            guard parentNode.count >= 2 else { level -= 1; continue }
            let (li, ri) = pi > 0 ? (pi - 1, pi) : (pi, pi + 1)
            let leftID = try parentNode.child(li)
            let left = li == pi ? buffer : try writer.writable(leftID)
            if left.id != leftID { try parent.setChild(li, left.id) }
            let rightID = try Node(parent.ref).child(ri)
            let rightNode = ri == pi ? node : try writer.node(rightID)
            var rightCells: [CellSpec] = []
            for c in 0..<rightNode.count { rightCells.append(try rightNode.cell(c)) }
            if !node.isLeaf && !rightCells.isEmpty {
                // The right node's first key may be only a loose bound; the parent's
                // separator is the exact one once the two share a page.
                rightCells[0] = .branch(key: try Node(parent.ref).key(ri), child: try rightNode.child(0))
            }
            guard left.rebuild(node.isLeaf ? .leaf : .branch, try left.cells() + rightCells) else { break }
            writer.free(rightID, count: 1)
            try parent.remove(at: ri)
            level -= 1
        }
        while tree.depth > 1 {
            let root = try writer.node(tree.root)
            guard !root.isLeaf, root.count == 1 else { break }
            let child = try root.child(0)
            writer.free(tree.root, count: 1)
            tree.root = child
            tree.depth -= 1
        }
        if tree.depth == 1, try writer.node(tree.root).count == 0 {
            writer.free(tree.root, count: 1)
            tree = TreeRecord()
        }
    }

    /// Frees every page of a tree (dropTree).
    static func freeAll(_ writer: PageWriter, _ tree: TreeRecord) throws {
        guard tree.root != 0 else { return }
        try freeSubtree(writer, tree.root, levels: Int(tree.depth))
    }

    private static func freeSubtree(_ writer: PageWriter, _ id: UInt64, levels: Int) throws {
        guard levels >= 1 else { throw StorageError.corrupt(id, "tree deeper than its record says") }
        let node = try writer.node(id)
        for i in 0..<node.count {
            if node.isLeaf {
                try freeValue(writer, node, i)
            } else {
                try freeSubtree(writer, try node.child(i), levels: levels - 1)
            }
        }
        writer.free(id, count: 1)
    }
}
