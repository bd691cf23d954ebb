import ParleyStorage

/// The store's database file as the layers above see it (admin check, stats, backup,
/// restore, the metrics scrape), so they never reach into the storage engine itself.

/// The checker's verdict on one snapshot of the file: its pages and, for the store's
/// own check, its aggregates.
public struct StoreCheck: Sendable {
    /// The commit the checked snapshot holds.
    public var txnID: UInt64
    /// Pages below the high-water mark, the two meta pages included.
    public var pagesTotal: Int
    public var pagesReachable: Int
    public var pagesFree: Int
    /// Each problem found, with the page it was found on (the walk stops at 100).
    public var problems: [String]
    /// Each aggregate entry that differs from its rebuild (`aggregateMismatches`); empty
    /// when they all agree or were not checked.
    public var aggregateProblems: [AggregateMismatch] = []
    /// Whether the aggregates were checked: only by the store's own check, and only when
    /// the pages are clean (damaged pages would make the rebuild misread).
    public var aggregatesChecked = false

    public var isClean: Bool { problems.isEmpty && aggregateProblems.isEmpty }

    /// One line for `parley admin check`: the verdict, then up to 20 problems of each kind.
    public var summary: String {
        if isClean {
            return "clean: \(pagesReachable) pages reachable, \(pagesFree) free, txn \(txnID)" + (aggregatesChecked ? "; every aggregate equals its rebuild" : "")
        }
        var parts: [String] = []
        if !problems.isEmpty { parts.append("\(problems.count) page problems: " + problems.prefix(20).joined(separator: "; ")) }
        if !problems.isEmpty, !aggregatesChecked { parts.append("aggregates not checked (pages damaged)") }
        if !aggregateProblems.isEmpty {
            parts.append("\(aggregateProblems.count) aggregate mismatches: " + aggregateProblems.prefix(20).map(\.description).joined(separator: "; "))
        }
        return parts.joined(separator: "; ")
    }

    init(_ report: CheckReport) {
        txnID = report.txnID
        pagesTotal = report.pagesTotal
        pagesReachable = report.pagesReachable
        pagesFree = report.pagesFree
        problems = report.problems.map(\.description)
    }
}

/// One storage tree's figures.
public struct StoreTreeFigures: Sendable, Equatable {
    public var name: String
    public var keys: Int
    /// Branch, leaf and overflow pages.
    public var pages: Int
    public var depth: Int
}

/// The file's figures, read from page headers without verifying checksums.
public struct StoreFileFigures: Sendable {
    public var fileBytes: Int
    public var pageSize: Int
    /// Pages below the high-water mark (the file may be larger, grown ahead of need).
    public var pages: Int
    public var freePages: Int
    public var txnID: UInt64
    public var trees: [StoreTreeFigures]
}

/// A consistent copy of one snapshot.
public struct StoreBackup: Sendable {
    public var bytes: Int
    /// The commit the copy holds.
    public var txnID: UInt64
}

/// What the database is doing, cheap enough to read at every metrics scrape (no page is
/// read): checkpoints, the commit log, and open readers, whose oldest snapshot keeps every
/// page freed after it from reuse.
public struct StoreActivity: Sendable {
    /// Checkpoints completed since open.
    public var checkpoints: Int
    /// Data-file pages made durable by those checkpoints' syncs.
    public var checkpointPages: Int
    public var checkpointDuration: Duration
    public var lastCheckpointDuration: Duration?
    /// The commit log's size in use (header and this cycle's records) and its page images.
    public var logBytes: Int
    public var logPages: Int
    /// Open read transactions.
    public var readers: Int
    /// How long the oldest snapshot still read has been held; nil without readers.
    public var oldestReaderAge: Duration?
    /// Commits since the oldest snapshot still read; 0 without readers.
    public var oldestReaderLag: UInt64
}

extension ParleyStore {
    /// Where the database file is.
    public var path: String { database.path }

    public var activity: StoreActivity {
        let a = database.activity
        return StoreActivity(checkpoints: a.checkpoints, checkpointPages: a.checkpointPages,
                             checkpointDuration: a.checkpointDuration, lastCheckpointDuration: a.lastCheckpointDuration,
                             logBytes: a.logBytes, logPages: a.logPages, readers: a.readers,
                             oldestReaderAge: a.oldestReaderAge, oldestReaderLag: a.oldestReaderLag)
    }

    /// Walks one snapshot: every page reachable once or free once, checksums, key order;
    /// then, when the pages are clean, compares every aggregate with its rebuild
    /// (`aggregateMismatches`). `progress` is called from the calling thread as pages are
    /// checked.
    public func check(progress: ((_ pagesChecked: Int, _ pagesTotal: Int) -> Void)? = nil) throws -> StoreCheck {
        var report: StoreCheck
        do {
            report = StoreCheck(try database.check { p in progress?(p.pagesChecked, p.pagesTotal) })
        } catch {
            throw StoreError.wrap(error)
        }
        guard report.problems.isEmpty else { return report }
        report.aggregateProblems = try aggregateMismatches()
        report.aggregatesChecked = true
        return report
    }

    /// The file's pages and its free pages, from the free list alone (`Database.pageCounts`):
    /// cheap at any size, unlike `fileFigures`, which walks every tree.
    public func pageCounts() throws -> (pages: Int, freePages: Int) {
        do {
            return try database.pageCounts()
        } catch {
            throw StoreError.wrap(error)
        }
    }

    public func fileFigures() throws -> StoreFileFigures {
        do {
            let stats = try database.stats()
            return StoreFileFigures(
                fileBytes: stats.fileBytes, pageSize: stats.pageSize, pages: stats.pages, freePages: stats.freePages,
                txnID: stats.txnID,
                trees: stats.trees.map { StoreTreeFigures(name: $0.name, keys: $0.keys, pages: $0.pages, depth: $0.depth) })
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Copies one snapshot to `target` (which must not exist) while writes go on.
    public func backup(to target: String) throws -> StoreBackup {
        do {
            let info = try database.backup(to: target)
            return StoreBackup(bytes: info.bytes, txnID: info.txnID)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Checks the database file at `path` without opening it as a store (no schema is
    /// prepared, nothing is written): how a backup is judged before it is restored.
    public static func checkFile(at path: String, mapReserve: Int) throws -> StoreCheck {
        var options = DatabaseOptions()
        options.mapReserve = mapReserve
        do {
            let database = try Database(path: path, options: options)
            defer { database.close() }
            return StoreCheck(try database.check())
        } catch {
            throw StoreError.wrap(error)
        }
    }
}

/// What a storage failure under the store means to a caller.
public enum StorageFailure: Sendable {
    /// The disk is full: retry once space is freed.
    case diskFull(String)
    /// Pages are damaged or missing: check and restore from a backup.
    case damaged(String)
    /// Anything else (I/O errors, a poisoned writer): the server's fault.
    case fault(String)
}

extension StoreError {
    /// For `.storage`, what the failure means to a caller; nil for the other cases.
    public var storageFailure: StorageFailure? {
        guard case .storage(let s) = self else { return nil }
        switch s.kind {
        case .diskFull: return .diskFull(s.message)
        case .corrupt, .truncated: return .damaged(s.description)
        default: return .fault(s.description)
        }
    }
}
