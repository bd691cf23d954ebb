import Glibc

public struct DatabaseStats: Sendable {
    public var fileBytes: Int
    public var pageSize: Int
    /// Pages below the high-water mark (the file may be larger, grown ahead of need).
    public var pages: Int
    public var freePages: Int
    public var txnID: UInt64
    /// Commits since this Database was opened.
    public var commits: Int
    public var trees: [TreeStats]
}

extension Database {
    /// The file's pages (its high-water mark) and the free list's, without walking the
    /// trees: a read of the free list alone, so /metrics can ask every few seconds of a
    /// file of millions of pages. `stats()` gives the same two counts and every tree's.
    public func pageCounts() throws -> (pages: Int, freePages: Int) {
        try read { txn in
            let reader = try txn.pageReader()
            return (Int(reader.snapshot.highWater), Checker(reader: reader, verify: false, progress: nil).walkFreeList())
        }
    }

    public func stats() throws -> DatabaseStats {
        let report = try read { txn in Checker(reader: try txn.pageReader(), verify: false, progress: nil).run() }
        var st = stat()
        let fileBytes = stat(path, &st) == 0 ? Int(st.st_size) : 0
        return DatabaseStats(fileBytes: fileBytes, pageSize: report.pageSize, pages: report.pagesTotal,
                             freePages: report.pagesFree, txnID: report.txnID, commits: commitCount, trees: report.trees)
    }
}
