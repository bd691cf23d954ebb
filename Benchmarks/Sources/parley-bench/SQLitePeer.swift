import CSQLitePeer
import Foundation

struct SQLiteError: Error, CustomStringConvertible {
    var description: String
}

/// The storage suite's peer: one WITHOUT ROWID table through SQLite's C API, in WAL mode,
/// with a page cache and map as large as Parley gets from the OS.
final class SQLitePeer {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    private var select: OpaquePointer?

    init(path: String, synchronous: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw SQLiteError(description: "open \(path)") }
        try exec("PRAGMA journal_mode=WAL")
        try exec("PRAGMA synchronous=\(synchronous)")
        try exec("PRAGMA cache_size=-262144")
        try exec("PRAGMA mmap_size=1073741824")
        try exec("CREATE TABLE IF NOT EXISTS t(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID")
        insert = try prepare("INSERT OR REPLACE INTO t(k, v) VALUES (?, ?)")
        select = try prepare("SELECT v FROM t WHERE k = ?")
    }

    deinit { close() }

    func close() {
        sqlite3_finalize(insert); insert = nil
        sqlite3_finalize(select); select = nil
        sqlite3_close(db); db = nil
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw SQLiteError(description: "\(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else {
            throw SQLiteError(description: "prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
        return stmt
    }

    func put(_ key: [UInt8], _ value: [UInt8]) throws {
        let rc: Int32 = key.withUnsafeBytes { k in
            value.withUnsafeBytes { v in
                sqlite3_bind_blob(insert, 1, k.baseAddress, Int32(k.count), nil)
                sqlite3_bind_blob(insert, 2, v.baseAddress, Int32(v.count), nil)
                let rc = sqlite3_step(insert)
                sqlite3_reset(insert)
                return rc
            }
        }
        guard rc == SQLITE_DONE else { throw SQLiteError(description: "insert: \(String(cString: sqlite3_errmsg(db)))") }
    }

    /// Copies the value out, as Parley's get does.
    func get(_ key: [UInt8]) -> [UInt8]? {
        key.withUnsafeBytes { k in
            sqlite3_bind_blob(select, 1, k.baseAddress, Int32(k.count), nil)
            defer { sqlite3_reset(select) }
            guard sqlite3_step(select) == SQLITE_ROW else { return nil }
            let n = Int(sqlite3_column_bytes(select, 0))
            guard let p = sqlite3_column_blob(select, 0) else { return [] }
            return [UInt8](UnsafeRawBufferPointer(start: p, count: n))
        }
    }

    /// Visits every row in key order, copying key and value as Parley's forEach does.
    func scan(_ body: ([UInt8], [UInt8]) -> Void) throws {
        let stmt = try prepare("SELECT k, v FROM t ORDER BY k")
        defer { sqlite3_finalize(stmt) }
        while sqlite3_step(stmt) == SQLITE_ROW {
            let k = [UInt8](UnsafeRawBufferPointer(start: sqlite3_column_blob(stmt, 0), count: Int(sqlite3_column_bytes(stmt, 0))))
            let v = [UInt8](UnsafeRawBufferPointer(start: sqlite3_column_blob(stmt, 1), count: Int(sqlite3_column_bytes(stmt, 1))))
            body(k, v)
        }
    }

    func checkpoint() throws { try exec("PRAGMA wal_checkpoint(TRUNCATE)") }
}
