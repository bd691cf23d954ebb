import CSQLitePeer

/// A value of a result cell, as every engine of the queries suite reports it: numbers
/// as Double (token sums stay far below 2^53, so they compare exactly).
enum SQLCell: Equatable {
    case null
    case number(Double)
    case text(String)

    var number: Double { if case .number(let v) = self { return v } else { return 0 } }
    var text: String {
        switch self {
        case .text(let s): return s
        case .number(let v): return String(v)
        case .null: return ""
        }
    }
}

/// The queries suite's SQLite peer: a file database through the C API, statements
/// prepared once and re-run with bindings.
final class SQLiteSQL {
    private var db: OpaquePointer?
    private var prepared: [String: OpaquePointer] = [:]

    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw SQLiteError(description: "open \(path)") }
        // The same memory Parley gets from the OS: a large page cache and the whole file mapped.
        try exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA mmap_size=17179869184")
    }

    deinit { close() }

    func close() {
        for stmt in prepared.values { sqlite3_finalize(stmt) }
        prepared = [:]
        sqlite3_close(db)
        db = nil
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw SQLiteError(description: "\(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let stmt = prepared[sql] { return stmt }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw SQLiteError(description: "prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
        prepared[sql] = stmt
        return stmt
    }

    private func bind(_ stmt: OpaquePointer, _ values: [SQLCell]) {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in values.enumerated() {
            let position = Int32(i + 1)
            switch value {
            case .null: sqlite3_bind_null(stmt, position)
            case .number(let v) where v == v.rounded(): sqlite3_bind_int64(stmt, position, Int64(v))
            case .number(let v): sqlite3_bind_double(stmt, position, v)
            case .text(let s): sqlite3_bind_text(stmt, position, s, -1, transient)
            }
        }
    }

    /// Inserts one row with a statement kept prepared.
    func run(_ sql: String, _ values: [SQLCell]) throws {
        let stmt = try statement(sql)
        bind(stmt, values)
        let rc = sqlite3_step(stmt)
        sqlite3_reset(stmt)
        guard rc == SQLITE_DONE else { throw SQLiteError(description: "\(sql): \(String(cString: sqlite3_errmsg(db)))") }
    }

    func query(_ sql: String, _ values: [SQLCell]) throws -> [[SQLCell]] {
        let stmt = try statement(sql)
        bind(stmt, values)
        defer { sqlite3_reset(stmt) }
        var rows: [[SQLCell]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw SQLiteError(description: "\(sql): \(String(cString: sqlite3_errmsg(db)))") }
            rows.append((0..<sqlite3_column_count(stmt)).map { c in
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: return .number(Double(sqlite3_column_int64(stmt, c)))
                case SQLITE_FLOAT: return .number(sqlite3_column_double(stmt, c))
                case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(stmt, c)))
                default: return .null
                }
            })
        }
        return rows
    }
}
