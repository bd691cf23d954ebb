/// A tree's record as seen by one transaction; shared by every Tree handle on that name.
final class TreeState {
    let name: String
    var record: TreeRecord
    /// Bumped on every change so cursors notice that pages moved under them.
    var version = 0
    var dirty = false
    var dropped = false

    init(name: String, record: TreeRecord) {
        self.name = name
        self.record = record
    }
}

/// A named ordered map of byte keys (unsigned byte order) to byte values, bound to the
/// transaction that opened it.
public final class Tree {
    let transaction: ReadTransaction
    let state: TreeState

    init(transaction: ReadTransaction, state: TreeState) {
        self.transaction = transaction
        self.state = state
    }

    public var name: String { state.name }

    /// Number of keys.
    public var count: Int { Int(state.record.count) }

    private func reader() throws -> PageReader {
        let reader = try transaction.pageReader()
        guard !state.dropped else {
            throw StorageError(.invalidArgument, "tree \"\(state.name)\" was dropped in this transaction")
        }
        return reader
    }

    private func writer() throws -> PageWriter {
        _ = try reader()
        guard let write = transaction as? WriteTransaction else {
            throw StorageError(.readOnly, "tree \"\(state.name)\" was opened by a read transaction; use Database.write to change it")
        }
        return write.writer
    }

    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try BTree.get(try reader(), state.record, key)
    }

    public func put(_ key: [UInt8], _ value: [UInt8]) throws {
        let writer = try writer()
        guard key.count <= BTree.maxKey else {
            throw StorageError(.keyTooLarge, "key of \(key.count) bytes; keys are at most \(BTree.maxKey) bytes")
        }
        guard value.count <= BTree.maxValue else {
            throw StorageError(.valueTooLarge, "value of \(value.count) bytes; values are at most \(BTree.maxValue) bytes")
        }
        state.version += 1
        state.dirty = true
        try BTree.put(writer, &state.record, key, value)
    }

    /// Removes `key`; false if it was absent.
    @discardableResult
    public func delete(_ key: [UInt8]) throws -> Bool {
        let writer = try writer()
        guard key.count <= BTree.maxKey else { return false }
        state.version += 1
        let removed = try BTree.delete(writer, &state.record, key)
        if removed { state.dirty = true }
        return removed
    }

    public func cursor() throws -> Cursor {
        _ = try reader()
        return try Cursor(tree: self)
    }

    /// Visits entries with `from` <= key < `to` (either bound optional), ascending, or
    /// descending from just below `to` when `reverse`. `body` returns false to stop.
    public func forEach(from: [UInt8]? = nil, to: [UInt8]? = nil, reverse: Bool = false,
                        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool) throws {
        let reader = try reader()
        let version = state.version
        var path = CursorPath(reader: reader, tree: state.record)
        var more: Bool
        if reverse {
            if let to {
                more = try path.seek(to)
                more = more ? try path.prev() : try path.last()
            } else {
                more = try path.last()
            }
        } else {
            if let from { more = try path.seek(from) } else { more = try path.first() }
        }
        while more {
            if reverse, let from, let c = try path.compareCurrent(from), c < 0 { return }
            if !reverse, let to, let c = try path.compareCurrent(to), c >= 0 { return }
            guard let entry = try path.entry() else { return }
            guard try body(entry.key, entry.value) else { return }
            guard version == state.version else {
                throw StorageError(.invalidArgument, "tree \"\(state.name)\" changed during forEach; collect keys first, then change them")
            }
            more = reverse ? try path.prev() : try path.next()
        }
    }

    /// The entries of a range, collected (use `forEach` to stream a large range).
    /// The smallest key with `from` <= key < `to`, or the largest when `reverse`: one
    /// seek, for finding where a range's data starts or ends.
    public func firstKey(from: [UInt8]? = nil, to: [UInt8]? = nil, reverse: Bool = false) throws -> [UInt8]? {
        var found: [UInt8]?
        try forEach(from: from, to: to, reverse: reverse) { key, _ in
            found = key
            return false
        }
        return found
    }

    public func scan(from: [UInt8]? = nil, to: [UInt8]? = nil, reverse: Bool = false) throws -> [(key: [UInt8], value: [UInt8])] {
        var out: [(key: [UInt8], value: [UInt8])] = []
        try forEach(from: from, to: to, reverse: reverse) { key, value in
            out.append((key, value))
            return true
        }
        return out
    }
}
