import Foundation
import ParleyStorage

/// The store layout version a file was written with, kept under `schema_version` in its
/// `meta` tree (the data file's own page format has a version of its own, checked by
/// ParleyStorage). Opening checks it before touching anything: a newer one is refused,
/// an older one is refused with the command that upgrades it (`StoreUpgrade`).
public enum StoreFormat {
    /// The layout this build writes; `FormatMigration.registry` reaches it from every
    /// older version.
    public static var current: UInt8 { TreeLayout.schemaVersion }

    /// The layout version stored in an open transaction's `meta` tree; nil for a file
    /// ParleyStore never prepared (no `meta` tree yet).
    static func version(in txn: ReadTransaction, path: String) throws -> UInt8? {
        guard let meta = try txn.tree(TreeLayout.meta) else { return nil }
        guard let bytes = try meta.get(Keys.schemaVersion), bytes.count == 1 else {
            throw StoreError.storage(StorageError(.corrupt, "\(path) has a meta tree without a readable store format version; run `parley admin check` and restore from a backup"))
        }
        return bytes[0]
    }

    /// The version of the store file at `path`, opened and closed again. Opening runs
    /// the storage layer's recovery (the commit log folds into the file) and no more.
    public static func version(at path: String, options: DatabaseOptions = DatabaseOptions()) throws -> UInt8? {
        let database: Database
        do {
            database = try Database(path: path, options: options)
        } catch {
            throw StoreError.wrap(error)
        }
        defer { database.close() }
        return try database.read { try version(in: $0, path: path) }
    }

    /// Refuses any version but `current`, saying what to do.
    static func require(_ version: UInt8, path: String) throws {
        if version > current { throw newer(version, path: path) }
        if version < current { throw older(version, path: path) }
    }

    /// docs/OPERATIONS.md ("Format versions") quotes these two messages.
    static func newer(_ version: UInt8, path: String) -> StoreError {
        .storage(StorageError(.unsupportedVersion, "\(path) has store format version \(version), newer than this build's \(current): it was written by a newer Parley release; run that release or a later one. Nothing was changed"))
    }

    static func older(_ version: UInt8, path: String) -> StoreError {
        let directory = (path as NSString).deletingLastPathComponent
        return .storage(StorageError(.unsupportedVersion, "\(path) has store format version \(version), older than this build's \(current): stop parleyd and run `parleyd upgrade --data-dir \(directory.isEmpty ? "." : directory)`, which backs the files up and then migrates them. Nothing was changed"))
    }
}
