import CSQLitePeer
import Foundation

/// The ingest suite's SQLite peer: the seed's ai_conversations table with the indexes
/// Parley keeps, in process, WAL, synchronous=FULL, batches in one transaction each.
final class SQLiteTurnTable {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw SQLiteError(description: "open \(path)") }
        for sql in [
            "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
            """
            CREATE TABLE ai_conversations (
              id VARCHAR(36) PRIMARY KEY, organization_id VARCHAR(36), session_id VARCHAR(64),
              device_id VARCHAR(36), message_id VARCHAR(36), contact_id VARCHAR(36), persona_id VARCHAR(36),
              model VARCHAR(50), user_message TEXT, ai_response TEXT, input_tokens INT, output_tokens INT,
              tokens_used INT, created_at DATETIME)
            """,
            "CREATE INDEX ac_org_time ON ai_conversations(organization_id, created_at)",
            "CREATE INDEX ac_org_device ON ai_conversations(organization_id, device_id, created_at)",
            "CREATE INDEX ac_org_contact ON ai_conversations(organization_id, contact_id, created_at)",
            "CREATE INDEX ac_org_session ON ai_conversations(organization_id, session_id, created_at)",
        ] {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
                throw SQLiteError(description: "\(sql): \(String(cString: sqlite3_errmsg(db)))")
            }
        }
        guard sqlite3_prepare_v2(db, "INSERT INTO ai_conversations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &insert, nil) == SQLITE_OK else {
            throw SQLiteError(description: "prepare insert: \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_close(db)
    }

    /// Inserts `rows` (each 14 column values, text or integer) in one durable transaction.
    func insertBatch(_ rows: [[Any]]) throws {
        sqlite3_exec(db, "BEGIN", nil, nil, nil)
        // SQLITE_TRANSIENT: SQLite copies the text before the Swift string goes away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for row in rows {
            for (i, value) in row.enumerated() {
                if let n = value as? Int64 {
                    sqlite3_bind_int64(insert, Int32(i + 1), n)
                } else if let s = value as? String {
                    sqlite3_bind_text(insert, Int32(i + 1), s, -1, transient)
                }
            }
            let rc = sqlite3_step(insert)
            sqlite3_reset(insert)
            guard rc == SQLITE_DONE else { throw SQLiteError(description: "insert: \(String(cString: sqlite3_errmsg(db)))") }
        }
        guard sqlite3_exec(db, "COMMIT", nil, nil, nil) == SQLITE_OK else {
            throw SQLiteError(description: "commit: \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    /// Bytes in the database and its WAL, after a checkpoint.
    func bytesOnDisk(path: String) -> Int {
        sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        let size = { (p: String) in ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? Int) ?? 0 }
        return size(path) + size(path + "-wal")
    }
}
