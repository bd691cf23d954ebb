/// A consistent snapshot of the database as of one commit. Never blocks the writer and
/// is never blocked by it. Use from one thread at a time; close it (or let it go) so the
/// pages it pins can be reused.
public class ReadTransaction {
    let database: Database
    let reader: PageReader
    var isOpen = true
    var trees: [String: TreeState] = [:]

    init(database: Database, reader: PageReader) {
        self.database = database
        self.reader = reader
    }

    deinit { close() }

    /// The commit this transaction sees.
    public var txnID: UInt64 { reader.snapshot.txnID }

    func pageReader() throws -> PageReader {
        guard isOpen else {
            throw StorageError(.closed, "transaction \(txnID) is finished; start a new one")
        }
        return reader
    }

    var catalog: TreeRecord { reader.snapshot.catalog }

    func state(for name: String) throws -> TreeState? {
        let reader = try pageReader()
        if let state = trees[name] { return state.dropped ? nil : state }
        guard let raw = try BTree.get(reader, catalog, Array(name.utf8)) else { return nil }
        guard let record = TreeRecord(raw) else {
            throw StorageError(.corrupt, page: catalog.root, "catalog entry for tree \"\(name)\" is unreadable")
        }
        let state = TreeState(name: name, record: record)
        trees[name] = state
        return state
    }

    /// The named tree, or nil if it does not exist.
    public func tree(_ name: String) throws -> Tree? {
        try state(for: name).map { Tree(transaction: self, state: $0) }
    }

    public func treeNames() throws -> [String] {
        let reader = try pageReader()
        var names = Set<String>()
        var path = CursorPath(reader: reader, tree: catalog)
        var more = try path.first()
        while more {
            if let key = try path.key() { names.insert(String(decoding: key, as: UTF8.self)) }
            more = try path.next()
        }
        for (name, state) in trees {
            if state.dropped { names.remove(name) } else { names.insert(name) }
        }
        return names.sorted()
    }

    public func close() {
        guard isOpen else { return }
        isOpen = false
        database.endRead(txnID)
    }
}

/// The single write transaction. Changes become visible to new readers, and durable per
/// the database's Durability, when `Database.write`'s body returns.
public final class WriteTransaction: ReadTransaction {
    let writer: PageWriter

    init(database: Database, writer: PageWriter) {
        self.writer = writer
        super.init(database: database, reader: writer)
    }

    override var catalog: TreeRecord { writer.catalog }

    /// Ends the transaction without touching reader bookkeeping (writers hold none).
    func finish() { isOpen = false }

    /// Write transactions end with `Database.write`'s body; closing one early does nothing.
    override public func close() {}

    /// The named tree, created empty if missing.
    public func createTree(_ name: String) throws -> Tree {
        guard !name.isEmpty, name.utf8.count <= BTree.maxKey else {
            throw StorageError(.invalidArgument, "tree names are 1 to \(BTree.maxKey) bytes")
        }
        if let existing = try state(for: name) { return Tree(transaction: self, state: existing) }
        let state = trees[name] ?? TreeState(name: name, record: TreeRecord())
        state.dropped = false
        state.dirty = true
        state.record = TreeRecord()
        state.version += 1
        trees[name] = state
        return Tree(transaction: self, state: state)
    }

    /// Deletes a tree and frees its pages; no-op if it does not exist.
    public func dropTree(_ name: String) throws {
        guard let state = try state(for: name) else { return }
        try BTree.freeAll(writer, state.record)
        state.record = TreeRecord()
        state.dropped = true
        state.dirty = true
        state.version += 1
    }
}
