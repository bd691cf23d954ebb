/// Free pages, kept in a B+tree of their own so each commit only adds and removes a few
/// records instead of rewriting the whole list.
///
/// Record key: freedBy u64 BE, writer txn u64 BE, chunk u32 BE (20 bytes).
/// Record value: runs of pages, each start u64 LE + length u32 LE.
/// Pages freed by commit T were visible to snapshots before T, so a record with
/// freedBy = T is reusable once no reader holds such a snapshot (`reuseLimit`). Pages a
/// transaction took but did not use go back with freedBy = 0: reusable at once.
final class Freelist {
    let txnID: UInt64
    let reuseLimit: UInt64
    private let runsPerRecord: Int
    /// Pages free for this transaction, kept sorted descending so the lowest is taken first
    /// (that keeps the file dense at the front).
    private var reusable: [UInt64] = []
    private var reusableSorted = true
    /// Committed pages this transaction stopped using.
    private var retired: [UInt64] = []
    /// Pages released while the free tree is being updated (a merge in the free tree
    /// frees a page it took a round earlier). They are recorded but not taken again in
    /// this commit, so every list moves one way only and the update settles.
    private var releasedLate: [UInt64] = []
    /// Records taken into `reusable`; deleted from the tree at commit.
    private var consumed: [[UInt8]] = []
    /// Where loading resumes; nil once no further record is reusable.
    private var nextKey: [UInt8]? = []
    /// While the free tree itself is being updated no more records may be taken, or the
    /// update would chase its own tail.
    private var finalizing = false

    init(txnID: UInt64, reuseLimit: UInt64, pageSize: Int) {
        self.txnID = txnID
        self.reuseLimit = reuseLimit
        runsPerRecord = (NodeLimits.maxCell(pageSize: pageSize) - 6 - 20) / 12
    }

    var hasRetired: Bool { !retired.isEmpty }

    func release(_ id: UInt64, count: Int) {
        if finalizing {
            for p in id..<id + UInt64(count) { releasedLate.append(p) }
            return
        }
        for p in id..<id + UInt64(count) { reusable.append(p) }
        reusableSorted = false
    }

    func retire(_ id: UInt64, count: Int) {
        for p in id..<id + UInt64(count) { retired.append(p) }
    }

    private func sortReusable() {
        if !reusableSorted {
            reusable.sort(by: >)
            reusableSorted = true
        }
    }

    /// First page of a run of `count` free pages, or nil if none is free.
    func take(_ count: Int, from writer: PageWriter) throws -> UInt64? {
        if reusable.count < count && !finalizing { try load(from: writer) }
        sortReusable()
        if count == 1 { return reusable.popLast() }
        guard reusable.count >= count else { return nil }
        var i = reusable.count - count
        while i >= 0 {
            if reusable[i] - reusable[i + count - 1] == UInt64(count - 1) {
                let start = reusable[i + count - 1]
                reusable.removeSubrange(i..<i + count)
                return start
            }
            i -= 1
        }
        return nil
    }

    private func load(from writer: PageWriter) throws {
        guard let from = nextKey, writer.freeTree.root != 0 else {
            nextKey = nil
            return
        }
        var cursor = CursorPath(reader: writer, tree: writer.freeTree)
        guard try cursor.seek(from), let key = try cursor.key() else {
            nextKey = nil
            return
        }
        guard key.count == 20 else {
            throw StorageError.corrupt(cursor.leafPage, "free-list record key has \(key.count) bytes, expected 20")
        }
        let freedBy = key[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard freedBy <= reuseLimit else {
            nextKey = nil
            return
        }
        let value = try cursor.value() ?? []
        for (start, length) in try Freelist.decode(value, page: cursor.leafPage) {
            for p in start..<start + UInt64(length) { reusable.append(p) }
        }
        reusableSorted = false
        consumed.append(key)
        nextKey = key + [0]
    }

    static func decode(_ value: [UInt8], page: UInt64) throws -> [(UInt64, UInt32)] {
        guard value.count % 12 == 0 else {
            throw StorageError.corrupt(page, "free-list record of \(value.count) bytes is not a whole number of runs")
        }
        var out: [(UInt64, UInt32)] = []
        var i = 0
        while i < value.count {
            var start: UInt64 = 0, length: UInt32 = 0
            for b in 0..<8 { start |= UInt64(value[i + b]) << (8 * UInt64(b)) }
            for b in 0..<4 { length |= UInt32(value[i + 8 + b]) << (8 * UInt32(b)) }
            out.append((start, length))
            i += 12
        }
        return out
    }

    private func records(freedBy: UInt64, pages ascending: [UInt64]) -> [([UInt8], [UInt8])] {
        var runs: [(UInt64, UInt32)] = []
        for p in ascending {
            if let last = runs.last, last.0 + UInt64(last.1) == p, last.1 < UInt32.max {
                runs[runs.count - 1].1 += 1
            } else {
                runs.append((p, 1))
            }
        }
        var out: [([UInt8], [UInt8])] = []
        var chunk: UInt32 = 0
        var i = 0
        while i < runs.count {
            var key: [UInt8] = []
            key.reserveCapacity(20)
            for s in stride(from: 56, through: 0, by: -8) { key.append(UInt8(truncatingIfNeeded: freedBy >> UInt64(s))) }
            for s in stride(from: 56, through: 0, by: -8) { key.append(UInt8(truncatingIfNeeded: txnID >> UInt64(s))) }
            for s in stride(from: 24, through: 0, by: -8) { key.append(UInt8(truncatingIfNeeded: chunk >> UInt32(s))) }
            var value: [UInt8] = []
            for (start, length) in runs[i..<min(i + runsPerRecord, runs.count)] {
                for b in 0..<8 { value.append(UInt8(truncatingIfNeeded: start >> (8 * UInt64(b)))) }
                for b in 0..<4 { value.append(UInt8(truncatingIfNeeded: length >> (8 * UInt32(b)))) }
            }
            out.append((key, value))
            chunk += 1
            i += runsPerRecord
        }
        return out
    }

    /// Writes this transaction's changes into the free tree. Updating the tree frees and
    /// takes pages itself, so repeat until the lists stop changing; both only move one
    /// way (reusable shrinks, retired grows) and touched pages stay dirty, so this settles
    /// in two or three rounds.
    func finalize(_ writer: PageWriter) throws {
        // Enough free pages on hand for the free tree's own copies, so they do not come
        // from the end of the file while reusable records wait unread.
        let reserve = 2 * Int(writer.freeTree.depth) + 8
        while reusable.count < reserve, nextKey != nil { try load(from: writer) }
        finalizing = true
        for key in consumed { _ = try BTree.delete(writer, &writer.freeTree, key) }
        var written: [[UInt8]] = []
        for _ in 0..<64 {
            sortReusable()
            let reusableNow = reusable
            let lateNow = releasedLate.count
            let retiredNow = retired.sorted()
            let recs = records(freedBy: 0, pages: (reusableNow + releasedLate).sorted())
                + records(freedBy: txnID, pages: retiredNow)
            let keys = recs.map { $0.0 }
            for key in written where !keys.contains(key) {
                _ = try BTree.delete(writer, &writer.freeTree, key)
            }
            for (key, value) in recs { try BTree.put(writer, &writer.freeTree, key, value) }
            written = keys
            sortReusable()
            if reusable == reusableNow && releasedLate.count == lateNow && retired.count == retiredNow.count { return }
        }
        throw StorageError(.corrupt, "free list did not settle while committing; the transaction was rolled back")
    }
}
