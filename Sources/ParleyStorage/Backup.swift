import Glibc

public struct BackupInfo: Sendable {
    public var bytes: Int
    /// The commit the copy holds.
    public var txnID: UInt64
}

extension Database {
    /// Copies one snapshot, page for page, while writes go on. The reader pins the
    /// snapshot's pages, so the writer cannot reuse them during the copy; free pages may
    /// change under the copy, which is harmless because nothing refers to them.
    public func backup(to target: String) throws -> BackupInfo {
        try read { txn in
            let reader = try txn.pageReader()
            let snapshot = reader.snapshot
            let ps = pageSize
            let out = try newFile(target)
            defer { out.close() }
            let chunk = 256
            var id: UInt64 = 2
            while id < snapshot.highWater {
                let n = Int(min(UInt64(chunk), snapshot.highWater - id))
                let run = try pager.page(id, count: n, limit: snapshot.highWater)
                try run.withBytes(0, run.length) { try out.write([$0], at: Int(id) * ps) }
                id += UInt64(n)
            }
            try out.sync()
            // Both meta slots describe the same snapshot, so either alone opens it.
            for txnID in [snapshot.txnID, snapshot.txnID - 1] {
                var s = snapshot
                s.txnID = txnID
                let meta = PageBuffer(id: txnID % 2, length: ps)
                Meta(pageSize: ps, snapshot: s, written: []).write(into: meta)
                try out.write([meta.bytes], at: Int(meta.id) * ps)
            }
            try out.sync()
            return BackupInfo(bytes: Int(snapshot.highWater) * ps, txnID: snapshot.txnID)
        }
    }

    /// Writes a snapshot's trees into a new database, entries in order so every page is
    /// full and free pages vanish.
    public func compact(to target: String) throws -> BackupInfo {
        var options = self.options
        options.durability = .nosync
        options.pageSize = pageSize
        _ = try newFile(target).close()
        let copy = try Database(path: target, options: options)
        defer { copy.close() }
        let txnID: UInt64 = try read { source in
            for name in try source.treeNames() {
                guard let tree = try source.tree(name) else { continue }
                var batch: [([UInt8], [UInt8])] = []
                func flush() throws {
                    try copy.write { w in
                        let dest = try w.createTree(name)
                        for (k, v) in batch { try dest.put(k, v) }
                    }
                    batch.removeAll(keepingCapacity: true)
                }
                try copy.write { w in _ = try w.createTree(name) }
                try tree.forEach { key, value in
                    batch.append((key, value))
                    if batch.count >= 10_000 { try flush() }
                    return true
                }
                try flush()
            }
            return source.txnID
        }
        try copy.pager.sync()
        var st = stat()
        let bytes = stat(target, &st) == 0 ? Int(st.st_size) : 0
        return BackupInfo(bytes: bytes, txnID: txnID)
    }

    /// A new, empty file at `target`; refuses to overwrite an existing one.
    private func newFile(_ target: String) throws -> PosixFile {
        let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw posixError("create", errno, path: target) }
        Glibc.close(fd)
        return try PosixFile(path: target)
    }
}
