import Foundation
import ParleyCore
import ParleyStorage

/// `parleyd upgrade`: brings a store file and its archive from an older store format
/// version to `StoreFormat.current`. Run it with parleyd stopped (the file lock refuses
/// a second opener). For each file still behind: first a backup, a copy of the file and
/// of its commit log next to them named with the old version (`parley.db.v1.bak`,
/// `parley.db-log.v1.bak`), synced before any change; then the steps of
/// `FormatMigration.registry`, one transaction each; then the storage checker, which
/// must find the file clean. A file already at the current version is left untouched.
public enum StoreUpgrade {
    public struct FileOutcome: Sendable {
        public var path: String
        public var from: UInt8
        public var to: UInt8
        /// The copies made before the first change; empty when the file was current.
        public var backups: [String]
        /// One summary line per step run.
        public var steps: [String]
        public var check: CheckReport?
    }

    /// Upgrades `databasePath` and, when present, its `archive.db`. The live file goes
    /// first: its rollups are rebuilt from the archive's turns too, which any version
    /// of the archive holds in the same record layout.
    public static func run(databasePath: String, mapReserve: Int = DatabaseOptions().mapReserve) throws -> [FileOutcome] {
        var options = DatabaseOptions()
        options.mapReserve = mapReserve
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw StoreError.notFound("no database at \(databasePath); nothing to upgrade")
        }
        let archivePath = ArchiveHolder.path(besides: databasePath)
        let hasArchive = FileManager.default.fileExists(atPath: archivePath)
        let archivedTurns: @Sendable ((Turn) throws -> Void) throws -> Void = { body in
            guard hasArchive else { return }
            let archive = try Database(path: archivePath, options: options)
            defer { archive.close() }
            try archive.read { txn in
                guard let turns = try txn.tree(TreeLayout.turns) else { return }
                try turns.forEach { _, bytes in
                    try body(StoreTransaction.decode(Turn.self, bytes, tree: TreeLayout.turns))
                    return true
                }
            }
        }
        var outcomes = [try upgrade(databasePath, role: .live(archivedTurns: archivedTurns), options: options)]
        if hasArchive { outcomes.append(try upgrade(archivePath, role: .archive, options: options)) }
        return outcomes
    }

    private static func upgrade(_ path: String, role: FormatMigration.FileRole, options: DatabaseOptions) throws -> FileOutcome {
        // Held open from here to the end: its lock keeps parleyd and other upgrades out,
        // so nothing writes either file while they are copied.
        let database: Database
        do {
            database = try Database(path: path, options: options)
        } catch {
            throw StoreError.wrap(error)
        }
        defer { database.close() }
        guard let version = try database.read({ try StoreFormat.version(in: $0, path: path) }) else {
            throw StoreError.storage(StorageError(.notADatabase, "\(path) holds no Parley store (no meta tree); nothing to upgrade"))
        }
        if version > StoreFormat.current { throw StoreFormat.newer(version, path: path) }
        var outcome = FileOutcome(path: path, from: version, to: version, backups: [], steps: [], check: nil)
        guard version < StoreFormat.current else { return outcome }
        let steps = try FormatMigration.steps(from: version)
        // Opening ran recovery: the data file holds every commit, the log a fresh cycle.
        outcome.backups = [try backUp(path, version: version), try backUp(path + "-log", version: version)]
        for step in steps {
            do {
                try database.write { txn in
                    try step.apply(txn, role)
                    try txn.createTree(TreeLayout.meta).put(Keys.schemaVersion, [step.to])
                }
            } catch {
                throw StoreError.storage(StorageError(.io, "the upgrade step from store format version \(step.from) to \(step.to) of \(path) failed (\(StoreError.wrap(error))); the file stays at version \(step.from), and the backups \(outcome.backups.joined(separator: ", ")) hold it as it was"))
            }
            outcome.steps.append("\(step.from) -> \(step.to): \(step.summary)")
            outcome.to = step.to
        }
        let report = try database.check()
        guard report.isClean else {
            let problems = report.problems.prefix(10).map(\.description).joined(separator: "; ")
            throw StoreError.storage(StorageError(.corrupt, "\(path) failed the check after the upgrade (\(report.problems.count) problems): \(problems); put the backups \(outcome.backups.joined(separator: ", ")) back in place of the files"))
        }
        outcome.check = report
        return outcome
    }

    /// Copies `path` to `<path>.v<version>.bak` and syncs the copy; an existing backup
    /// is never overwritten.
    private static func backUp(_ path: String, version: UInt8) throws -> String {
        let target = "\(path).v\(version).bak"
        let fm = FileManager.default
        guard !fm.fileExists(atPath: target) else {
            throw StoreError.conflict("the backup \(target) exists already; move it away (it may hold an earlier upgrade's copy), then run the upgrade again")
        }
        do {
            try fm.copyItem(atPath: path, toPath: target)
            let copy = try FileHandle(forUpdating: URL(fileURLWithPath: target))
            defer { try? copy.close() }
            try copy.synchronize()
        } catch {
            try? fm.removeItem(atPath: target)
            throw StoreError.storage(StorageError(.io, "cannot back up \(path) to \(target) (\(error.localizedDescription)); nothing was changed"))
        }
        return target
    }
}
