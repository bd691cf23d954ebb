/// A position in a tree: the stack of nodes from the root to a leaf slot. Nodes hold
/// their pages (map or dirty buffer), so walking needs no locks.
struct CursorPath {
    let reader: PageReader
    let tree: TreeRecord
    private var stack: [(node: Node, index: Int)] = []

    init(reader: PageReader, tree: TreeRecord) {
        self.reader = reader
        self.tree = tree
    }

    /// Page of the current leaf, for error messages.
    var leafPage: UInt64 { stack.last?.node.page.id ?? tree.root }

    private var isValid: Bool {
        guard let top = stack.last else { return false }
        return top.node.isLeaf && top.index >= 0 && top.index < top.node.count
    }

    func key() throws -> [UInt8]? {
        guard isValid, let top = stack.last else { return nil }
        return try top.node.key(top.index)
    }

    func value() throws -> [UInt8]? {
        guard isValid, let top = stack.last else { return nil }
        return try reader.value(top.node, top.index)
    }

    func entry() throws -> (key: [UInt8], value: [UInt8])? {
        guard isValid, let top = stack.last else { return nil }
        return (try top.node.key(top.index), try reader.value(top.node, top.index))
    }

    /// Key at the current slot compared with `key`; nil when not on an entry.
    func compareCurrent(_ key: [UInt8]) throws -> Int? {
        guard isValid, let top = stack.last else { return nil }
        return try top.node.compare(top.index, key)
    }

    private func node(_ id: UInt64, level: Int) throws -> Node {
        let node = try reader.node(id)
        guard node.isLeaf == (level == Int(tree.depth)), level <= Int(tree.depth) else {
            throw StorageError.corrupt(id, "node at depth \(level) does not match tree depth \(tree.depth)")
        }
        return node
    }

    /// Descends from the node on top of the stack to its leftmost or rightmost leaf.
    private mutating func descend(toLast: Bool) throws {
        while let top = stack.last, !top.node.isLeaf {
            guard top.node.count > 0 else { throw StorageError.corrupt(top.node.page.id, "empty branch") }
            let child = try node(try top.node.child(top.index), level: stack.count + 1)
            stack.append((child, toLast ? child.count - 1 : 0))
        }
    }

    /// Moves to the first entry >= key; false if there is none.
    mutating func seek(_ key: [UInt8]) throws -> Bool {
        stack.removeAll(keepingCapacity: true)
        guard tree.root != 0 else { return false }
        var current = try node(tree.root, level: 1)
        while !current.isLeaf {
            let ci = try current.childIndex(key)
            stack.append((current, ci))
            current = try node(try current.child(ci), level: stack.count + 1)
        }
        let (i, _) = try current.search(key)
        stack.append((current, i))
        if i >= current.count { return try next() }
        return true
    }

    mutating func first() throws -> Bool {
        stack.removeAll(keepingCapacity: true)
        guard tree.root != 0 else { return false }
        stack.append((try node(tree.root, level: 1), 0))
        try descend(toLast: false)
        return isValid ? true : try next()
    }

    mutating func last() throws -> Bool {
        stack.removeAll(keepingCapacity: true)
        guard tree.root != 0 else { return false }
        let root = try node(tree.root, level: 1)
        stack.append((root, root.count - 1))
        try descend(toLast: true)
        return isValid ? true : try prev()
    }

    /// Advances; leaves left empty by deletes are skipped.
    mutating func next() throws -> Bool {
        guard !stack.isEmpty else { return false }
        stack[stack.count - 1].index += 1
        while true {
            guard let top = stack.last else { return false }
            if top.index < top.node.count {
                if top.node.isLeaf { return true }
                try descend(toLast: false)
                if isValid { return true }
                stack[stack.count - 1].index += 1
                continue
            }
            stack.removeLast()
            guard !stack.isEmpty else { return false }
            stack[stack.count - 1].index += 1
        }
    }

    mutating func prev() throws -> Bool {
        guard !stack.isEmpty else { return false }
        stack[stack.count - 1].index -= 1
        while true {
            guard let top = stack.last else { return false }
            if top.index >= 0 && top.index < top.node.count {
                if top.node.isLeaf { return true }
                try descend(toLast: true)
                if isValid { return true }
                stack[stack.count - 1].index -= 1
                continue
            }
            stack.removeLast()
            guard !stack.isEmpty else { return false }
            stack[stack.count - 1].index -= 1
        }
    }
}

/// Ordered traversal of one tree. On a write transaction a cursor is invalidated by any
/// change to its tree (it then throws rather than read pages that moved).
public final class Cursor {
    private let tree: Tree
    private var path: CursorPath
    private var version: Int

    init(tree: Tree) throws {
        self.tree = tree
        path = CursorPath(reader: try tree.transaction.pageReader(), tree: tree.state.record)
        version = tree.state.version
    }

    private func checked() throws {
        _ = try tree.transaction.pageReader()
        guard version == tree.state.version else {
            throw StorageError(.invalidArgument, "the tree changed after this cursor was made; make a new cursor")
        }
    }

    /// First entry with key >= `key`.
    public func seek(_ key: [UInt8]) throws -> (key: [UInt8], value: [UInt8])? {
        try checked()
        return try path.seek(key) ? try path.entry() : nil
    }

    public func first() throws -> (key: [UInt8], value: [UInt8])? {
        try checked()
        return try path.first() ? try path.entry() : nil
    }

    public func last() throws -> (key: [UInt8], value: [UInt8])? {
        try checked()
        return try path.last() ? try path.entry() : nil
    }

    public func next() throws -> (key: [UInt8], value: [UInt8])? {
        try checked()
        return try path.next() ? try path.entry() : nil
    }

    public func prev() throws -> (key: [UInt8], value: [UInt8])? {
        try checked()
        return try path.prev() ? try path.entry() : nil
    }

    public var current: (key: [UInt8], value: [UInt8])? {
        get throws {
            try checked()
            return try path.entry()
        }
    }
}
