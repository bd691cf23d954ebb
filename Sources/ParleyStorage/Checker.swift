public struct CheckProgress: Sendable {
    public var pagesChecked: Int
    public var pagesTotal: Int
}

public struct TreeStats: Sendable, Equatable {
    public var name: String
    public var keys: Int
    /// Branch, leaf and overflow pages.
    public var pages: Int
    public var depth: Int
    /// Where the bytes go (docs/STORAGE.md, "Where the bytes go"): the pages by kind,
    /// the key and value bytes of every entry, and the bytes leaves use for their cells
    /// and slots (what is left of a leaf's page is slack).
    public var leafPages = 0
    public var overflowPages = 0
    public var keyBytes = 0
    public var valueBytes = 0
    public var leafUsedBytes = 0
}

public struct CheckReport: Sendable, CustomStringConvertible {
    public var txnID: UInt64
    public var pageSize: Int
    /// Pages below the high-water mark, the two meta pages included.
    public var pagesTotal: Int
    public var pagesReachable: Int
    public var pagesFree: Int
    public var trees: [TreeStats]
    /// Every problem found (the walk stops collecting after 100).
    public var problems: [StorageError]

    public var isClean: Bool { problems.isEmpty }

    public var description: String {
        var lines = ["check of commit \(txnID): \(pagesTotal) pages of \(pageSize) bytes, \(pagesReachable) in use, \(pagesFree) free, \(trees.count) trees"]
        for t in trees { lines.append("  tree \(t.name): \(t.keys) keys, \(t.pages) pages, depth \(t.depth)") }
        lines.append(problems.isEmpty ? "no problems" : "\(problems.count) problems:")
        for p in problems { lines.append("  \(p)") }
        return lines.joined(separator: "\n")
    }
}

/// Walks a whole snapshot: every page below the high-water mark must be reachable from
/// exactly one tree or listed free exactly once; every page's checksum must hold; keys
/// must be in order within nodes and inside their parent's bounds; leaves all at the
/// recorded depth; key counts equal the recorded counts.
final class Checker {
    private let reader: PageReader
    private let verify: Bool
    private let progress: ((CheckProgress) -> Void)?
    private let highWater: UInt64
    /// Per page: 0 unclaimed, 1 in use by a tree, 2 free.
    private(set) var owner: [UInt8]
    private var problems: [StorageError] = []
    private var checked = 0
    private var reachable = 0
    private var free = 0
    private static let maxProblems = 100

    init(reader: PageReader, verify: Bool, progress: ((CheckProgress) -> Void)?) {
        self.reader = reader
        self.verify = verify
        self.progress = progress
        highWater = reader.snapshot.highWater
        owner = [UInt8](repeating: 0, count: Int(highWater))
    }

    private func problem(_ error: StorageError) {
        if problems.count < Checker.maxProblems { problems.append(error) }
    }

    /// Claims pages for a tree (1) or the free list (2); reports double claims.
    private func claim(_ id: UInt64, count: Int, as kind: UInt8) -> Bool {
        guard id >= 2, id < highWater, UInt64(count) <= highWater - id else {
            problem(StorageError.corrupt(id, "reference to page outside the file (high-water mark \(highWater))"))
            return false
        }
        for p in Int(id)..<Int(id) + count {
            if owner[p] != 0 {
                let what = owner[p] == 2 ? "free" : "in use"
                problem(StorageError.corrupt(UInt64(p), "page is referenced twice (already \(what))"))
                return false
            }
            owner[p] = kind
        }
        if kind == 1 { reachable += count } else { free += count }
        checked += count
        if let progress, checked % 1024 < count {
            progress(CheckProgress(pagesChecked: checked, pagesTotal: Int(highWater)))
        }
        return true
    }

    /// Claims the pages the free list names; returns how many, problems aside. Alone it
    /// costs the free list's pages, not the trees': what the page counts of /metrics read.
    @discardableResult
    func walkFreeList() -> Int {
        let snapshot = reader.snapshot
        _ = walk(snapshot.freeTree, name: "(free list)") { key, value in
            guard key.count == 20 else {
                self.problem(StorageError(.corrupt, page: snapshot.freeTree.root, "free-list key of \(key.count) bytes"))
                return
            }
            do {
                for (start, length) in try Freelist.decode(value, page: snapshot.freeTree.root) {
                    _ = self.claim(start, count: Int(length), as: 2)
                }
            } catch let error as StorageError {
                self.problem(error)
            } catch {}
        }
        return free
    }

    func run() -> CheckReport {
        var trees: [TreeStats] = []
        let snapshot = reader.snapshot
        var names: [([UInt8], [UInt8])] = []
        _ = walk(snapshot.catalog, name: "(catalog)") { key, value in names.append((key, value)) }
        for (key, value) in names {
            let name = String(decoding: key, as: UTF8.self)
            guard let record = TreeRecord(value) else {
                problem(StorageError(.corrupt, page: snapshot.catalog.root, "catalog entry for \"\(name)\" is unreadable"))
                continue
            }
            trees.append(walk(record, name: name, leaf: nil))
        }
        walkFreeList()
        var leaked = 0
        for p in 2..<Int(highWater) where owner[p] == 0 {
            leaked += 1
            if leaked <= 10 { problem(StorageError.corrupt(UInt64(p), "page is neither in use nor free (leaked)")) }
        }
        if leaked > 10 { problem(StorageError(.corrupt, "\(leaked) pages leaked in total")) }
        progress?(CheckProgress(pagesChecked: checked, pagesTotal: Int(highWater)))
        return CheckReport(txnID: snapshot.txnID, pageSize: reader.pageSize, pagesTotal: Int(highWater),
                           pagesReachable: reachable, pagesFree: free, trees: trees, problems: problems)
    }

    private func walk(_ tree: TreeRecord, name: String, leaf: (([UInt8], [UInt8]) -> Void)?) -> TreeStats {
        var stats = TreeStats(name: name, keys: 0, pages: 0, depth: Int(tree.depth))
        if tree.root != 0 {
            walkNode(tree.root, level: 1, depth: Int(tree.depth), lower: nil, upper: nil, tree: name, stats: &stats, leaf: leaf)
        } else if tree.count != 0 || tree.depth != 0 {
            problem(StorageError(.corrupt, "tree \"\(name)\" is empty but records \(tree.count) keys, depth \(tree.depth)"))
        }
        if UInt64(stats.keys) != tree.count {
            problem(StorageError(.corrupt, page: tree.root, "tree \"\(name)\" holds \(stats.keys) keys but records \(tree.count)"))
        }
        return stats
    }

    private func walkNode(_ id: UInt64, level: Int, depth: Int, lower: [UInt8]?, upper: [UInt8]?, tree: String,
                          stats: inout TreeStats, leaf: (([UInt8], [UInt8]) -> Void)?) {
        guard problems.count < Checker.maxProblems, claim(id, count: 1, as: 1) else { return }
        stats.pages += 1
        do {
            let page = try reader.pager.page(id, limit: highWater)
            if verify { try page.verify() }
            let node = try Node(page)
            guard node.isLeaf == (level == depth), level <= depth else {
                throw StorageError.corrupt(id, "tree \"\(tree)\": \(node.isLeaf ? "leaf" : "branch") at depth \(level) of \(depth)")
            }
            guard node.count > 0 || level == 1 else {
                throw StorageError.corrupt(id, "tree \"\(tree)\": empty node below the root")
            }
            var previous: [UInt8]?
            var keys: [[UInt8]] = []
            for i in 0..<node.count {
                let key = try node.key(i)
                if let previous, !(previous.lexicographicallyPrecedes(key)) {
                    throw StorageError.corrupt(id, "tree \"\(tree)\": keys out of order at cell \(i)")
                }
                if let lower, key.lexicographicallyPrecedes(lower) {
                    throw StorageError.corrupt(id, "tree \"\(tree)\": key at cell \(i) below its parent's bound")
                }
                if let upper, !key.lexicographicallyPrecedes(upper) {
                    throw StorageError.corrupt(id, "tree \"\(tree)\": key at cell \(i) not below its parent's bound")
                }
                previous = key
                keys.append(key)
            }
            if node.isLeaf {
                stats.leafPages += 1
                stats.leafUsedBytes += node.usedBytes
                for i in 0..<node.count {
                    stats.keys += 1
                    stats.keyBytes += keys[i].count
                    let value = try node.value(i)
                    switch value {
                    case let .inline(_, length), let .overflow(_, length): stats.valueBytes += length
                    }
                    if case let .overflow(run, length) = value {
                        let head = try reader.pager.page(run, limit: highWater)
                        let count = Int(head.overflow) + 1
                        guard claim(run, count: count, as: 1) else { continue }
                        stats.pages += count
                        stats.overflowPages += count
                        let whole = try reader.pager.page(run, count: count, limit: highWater)
                        if verify { try whole.verify() }
                        guard whole.type == PageType.overflow.rawValue, PageHeader.size + length <= whole.length else {
                            throw StorageError.corrupt(run, "overflow run does not hold its \(length)-byte value")
                        }
                    }
                    if let leaf { leaf(keys[i], try reader.value(node, i)) }
                }
            } else {
                for i in 0..<node.count {
                    let childLower = i == 0 ? lower : keys[i]
                    let childUpper = i + 1 < node.count ? keys[i + 1] : upper
                    walkNode(try node.child(i), level: level + 1, depth: depth, lower: childLower, upper: childUpper,
                             tree: tree, stats: &stats, leaf: leaf)
                }
            }
        } catch let error as StorageError {
            problem(error)
        } catch {
            problem(StorageError(.corrupt, page: id, "\(error)"))
        }
    }
}

extension Database {
    /// Checks a snapshot while writes go on, then the commit log; problems are in the
    /// report, not thrown.
    public func check(progress: ((CheckProgress) -> Void)? = nil) throws -> CheckReport {
        try read { txn in
            let checker = Checker(reader: try txn.pageReader(), verify: true, progress: progress)
            var report = checker.run()
            let owner = checker.owner
            report.problems += try checkLog(snapshot: txn.txnID) { id in id < owner.count && owner[Int(id)] == 1 }
            return report
        }
    }
}
