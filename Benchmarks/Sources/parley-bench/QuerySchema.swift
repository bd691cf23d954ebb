/// The seed's tables as SQLite and DuckDB hold the benchmark data (the organization
/// carried in every table, as the report tests do), the session metrics derived once
/// after loading (Parley maintains them at write time), and the indexes the seed's
/// queries want.
enum QuerySchema {
    struct Table {
        var name: String
        /// (column, is integer)
        var columns: [(String, Bool)]

        var sqliteCreate: String {
            "CREATE TABLE \(name) (" + columns.map { "\($0.0) \($0.1 ? "INTEGER" : "TEXT")" }.joined(separator: ", ") + ")"
        }

        var sqliteInsert: String {
            "INSERT INTO \(name) VALUES (" + columns.map { _ in "?" }.joined(separator: ",") + ")"
        }

        func duckdbLoad(csv: String) -> String {
            let types = columns.map { "'\($0.0)': '\($0.1 ? "BIGINT" : "VARCHAR")'" }.joined(separator: ", ")
            return "CREATE TABLE \(name) AS SELECT * FROM read_csv('\(csv)', header = false, delim = ',', quote = '', columns = {\(types)})"
        }
    }

    static let turns = Table(name: "ai_conversations", columns: [
        ("id", false), ("organization_id", false), ("session_id", false), ("device_id", false), ("contact_id", false),
        ("persona_id", false), ("model", false), ("input_tokens", true), ("output_tokens", true), ("tokens_used", true),
        ("created_at", true), ("user_message_at", true),
    ])
    static let leads = Table(name: "leads", columns: [("organization_id", false), ("session_id", false), ("captured_at", true)])
    static let devices = Table(name: "whatsapp_connections", columns: [("organization_id", false), ("id", false), ("device_name", false), ("phone_number", false)])
    static let personas = Table(name: "personas", columns: [("organization_id", false), ("id", false), ("name", false)])
    static let contacts = Table(name: "contacts", columns: [("organization_id", false), ("id", false), ("name", false), ("phone_number", false)])
    static let tables = [turns, leads, devices, personas, contacts]

    /// After loading: conversation_metrics as Parley's session rules define them
    /// (start: the first user message; two messages per turn with a user message).
    static let derive = [
        """
        CREATE TABLE conversation_metrics AS
        SELECT ac.organization_id, ac.session_id, MIN(ac.user_message_at) AS conversation_start, MAX(ac.created_at) AS conversation_end,
          MAX(ac.created_at) - MIN(ac.user_message_at) AS duration, COUNT(*) AS turn_count, 2 * COUNT(*) AS total_messages,
          SUM(ac.tokens_used) AS total_tokens, MAX(CASE WHEN l.captured_at IS NULL THEN 0 ELSE 1 END) AS has_lead,
          MIN(l.captured_at) AS lead_captured_at
        FROM ai_conversations ac LEFT JOIN leads l ON l.organization_id = ac.organization_id AND l.session_id = ac.session_id
        GROUP BY ac.organization_id, ac.session_id
        """,
        "CREATE INDEX ac_time ON ai_conversations (organization_id, created_at)",
        "CREATE INDEX ac_device ON ai_conversations (organization_id, device_id, created_at)",
        "CREATE INDEX ac_contact ON ai_conversations (organization_id, contact_id, created_at)",
        "CREATE INDEX ac_persona ON ai_conversations (organization_id, persona_id, model)",
        "CREATE INDEX ac_session ON ai_conversations (organization_id, session_id, created_at)",
        "CREATE INDEX cm_start ON conversation_metrics (organization_id, conversation_start)",
        "CREATE UNIQUE INDEX cm_session ON conversation_metrics (organization_id, session_id)",
        "CREATE UNIQUE INDEX wc_id ON whatsapp_connections (organization_id, id)",
        "CREATE UNIQUE INDEX personas_id ON personas (organization_id, id)",
        "CREATE UNIQUE INDEX contacts_id ON contacts (organization_id, id)",
    ]
}
