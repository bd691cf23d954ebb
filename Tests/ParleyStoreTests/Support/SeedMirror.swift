import ParleyCore

/// The seed's tables in SQLite, filled with exactly what the store stored, so the
/// seed's SQL answers the same question over the same rows. Tables carry the
/// organization (the seed is single-tenant); joins match it too.
struct SeedMirror {
    let sql: SQLiteDatabase

    init() throws {
        sql = try SQLiteDatabase()
        try sql.execute("""
        CREATE TABLE ai_conversations (id TEXT, organization_id TEXT, device_id TEXT, message_id TEXT, contact_id TEXT,
          persona_id TEXT, model TEXT, input_tokens INTEGER, output_tokens INTEGER, tokens_used INTEGER, created_at INTEGER,
          PRIMARY KEY (organization_id, id));
        CREATE TABLE whatsapp_connections (organization_id TEXT, id TEXT, device_name TEXT, phone_number TEXT);
        CREATE TABLE personas (organization_id TEXT, id TEXT, name TEXT);
        CREATE TABLE contacts (organization_id TEXT, id TEXT, name TEXT, phone_number TEXT);
        CREATE TABLE messages (organization_id TEXT, id TEXT, contact_id TEXT, direction INTEGER, content TEXT, created_at INTEGER);
        CREATE INDEX ac_time ON ai_conversations (organization_id, created_at);
        """)
    }

    static func nullable(_ s: String) -> SQLiteDatabase.Value { s.isEmpty ? .null : .text(s) }

    func insert(_ turn: Turn) throws {
        let tokens = turn.tokens ?? .zero
        try sql.query("INSERT OR IGNORE INTO ai_conversations VALUES (?,?,?,?,?,?,?,?,?,?,?)", [
            .text(turn.turnId), .text(turn.organizationId), Self.nullable(turn.deviceId), Self.nullable(turn.messageId),
            Self.nullable(turn.contactId), Self.nullable(turn.personaId), Self.nullable(turn.model),
            .int(tokens.input), .int(tokens.output), .int(tokens.total), .int(turn.endedAt ?? 0),
        ])
    }

    func insert(_ device: Device) throws {
        try sql.query("INSERT INTO whatsapp_connections VALUES (?,?,?,?)", [.text(device.organizationId), .text(device.deviceId), .text(device.name), .text(device.phoneNumber)])
    }

    func insert(_ persona: Persona) throws {
        try sql.query("INSERT INTO personas VALUES (?,?,?)", [.text(persona.organizationId), .text(persona.personaId), .text(persona.name)])
    }

    func insert(_ contact: Contact) throws {
        try sql.query("INSERT INTO contacts VALUES (?,?,?,?)", [.text(contact.organizationId), .text(contact.contactId), .text(contact.name), .text(contact.phoneNumber)])
    }

    func insert(_ message: Message) throws {
        try sql.query("INSERT INTO messages VALUES (?,?,?,?,?,?)", [.text(message.organizationId), .text(message.messageId), .text(message.contactId),
                                                                   .int(Int64(message.direction.rawValue)), .text(message.content), .int(message.createdAt ?? 0)])
    }

    /// SQLite's modifier for a local time: a fixed offset, or for a zone that changes
    /// offset inside the data, the offset in force at each row's time.
    static func offsetExpression(_ zone: ZoneOffsets, column: String = "created_at") -> String {
        var expression = "'\(zone.finalHours >= 0 ? "+" : "")\(zone.finalHours) hours'"
        for change in zone.changes.reversed() {
            let hours = change.hoursBefore
            expression = "CASE WHEN \(column) < \(change.at) THEN '\(hours >= 0 ? "+" : "")\(hours) hours' ELSE \(expression) END"
        }
        return expression
    }
}

/// A zone's UTC offsets over the test data: the final offset, and the changes before it.
struct ZoneOffsets {
    struct Change {
        let at: Millis
        let hoursBefore: Int
    }

    let name: String
    let finalHours: Int
    let changes: [Change]

    static let losAngeles = ZoneOffsets(name: "America/Los_Angeles", finalHours: -8, changes: [])
    /// Europe/Berlin: UTC+1 until 2025-03-30 01:00 UTC, then UTC+2.
    static let berlin = ZoneOffsets(name: "Europe/Berlin", finalHours: 2, changes: [Change(at: 1_743_296_400_000, hoursBefore: 1)])
    static let kiritimati = ZoneOffsets(name: "Pacific/Kiritimati", finalHours: 14, changes: [])
    static let utc = ZoneOffsets(name: "UTC", finalHours: 0, changes: [])
}
