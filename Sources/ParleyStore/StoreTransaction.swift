import ParleyCore
import ParleyStorage

/// Typed access to the store's trees within one transaction: records in and out through
/// RecordCoder, missing trees and undecodable values reported as damage.
struct StoreTransaction {
    let base: ReadTransaction
    /// Rollup changes held back until the batch ends (see PendingRollups).
    let pendingRollups = PendingRollups()
    /// Session records and cells held back until the batch ends (see PendingSessions).
    let pendingSessions = PendingSessions()

    /// Opening a rollup or session tree directly first writes the held-back changes, so
    /// whoever reads or writes it within the batch sees every change made so far.
    func tree(_ name: String) throws -> Tree {
        if !pendingRollups.isEmpty, TreeLayout.rollupTrees.contains(name) {
            try flushRollups()
        }
        if !pendingSessions.isEmpty, TreeLayout.pendingSessionTrees.contains(name) {
            try pendingSessions.flush(self)
        }
        return try storedTree(name)
    }

    /// Writes everything held back: the sessions first, then the rollup cells.
    func flushPending() throws {
        try pendingSessions.flush(self)
        try flushRollups()
    }

    func flushRollups() throws {
        try pendingRollups.flush(trees: { level in
            (try storedTree(TreeLayout.rollupsByTime(level)), try storedTree(TreeLayout.rollupsByValue(level)))
        }, contactRanks: try base.tree(TreeLayout.contactRanks))
    }

    /// The tree as stored, without writing held-back rollup cells first.
    func storedTree(_ name: String) throws -> Tree {
        guard let tree = try base.tree(name) else {
            throw StoreError.storage(StorageError(.corrupt, "tree \"\(name)\" is missing; the file was not written by ParleyStore or is damaged, run `parley admin check`"))
        }
        return tree
    }

    func get<Record: RecordCodable>(_ type: Record.Type, _ treeName: String, _ key: [UInt8]) throws -> Record? {
        guard let bytes = try tree(treeName).get(key) else { return nil }
        return try Self.decode(type, bytes, tree: treeName)
    }

    /// `get` of the tree as stored, without writing held-back changes first: for the
    /// loads that fill the pending state itself.
    func storedGet<Record: RecordCodable>(_ type: Record.Type, _ treeName: String, _ key: [UInt8]) throws -> Record? {
        guard let bytes = try storedTree(treeName).get(key) else { return nil }
        return try Self.decode(type, bytes, tree: treeName)
    }

    func put<Record: RecordCodable>(_ record: Record, _ treeName: String, _ key: [UInt8]) throws {
        try tree(treeName).put(key, RecordCoder.encode(record))
    }

    static func decode<Record: RecordCodable>(_ type: Record.Type, _ bytes: [UInt8], tree: String) throws -> Record {
        do {
            return try RecordCoder.decode(type, from: bytes)
        } catch {
            throw StoreError.corrupt(tree: tree, error)
        }
    }

    /// Runs a key decode, reporting a key of the wrong shape as damage in `tree`.
    static func decodeKey<T>(tree: String, _ body: () throws(DecodeError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreError.corrupt(tree: tree, error)
        }
    }
}
