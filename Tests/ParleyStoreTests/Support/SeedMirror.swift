import Foundation
import ParleyCore
import ParleyTestSupport

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
          session_id TEXT, PRIMARY KEY (organization_id, id));
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
        try sql.query("INSERT OR IGNORE INTO ai_conversations VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
            .text(turn.turnId), .text(turn.organizationId), Self.nullable(turn.deviceId), Self.nullable(turn.messageId),
            Self.nullable(turn.contactId), Self.nullable(turn.personaId), Self.nullable(turn.model),
            .int(tokens.input), .int(tokens.output), .int(tokens.total), .int(turn.endedAt ?? 0), .text(turn.sessionId),
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
        func modifier(_ seconds: Int) -> String { "'\(seconds >= 0 ? "+" : "")\(seconds) seconds'" }
        var expression = modifier(zone.finalSeconds)
        for change in zone.changes.reversed() {
            expression = "CASE WHEN \(column) < \(change.at) THEN \(modifier(change.secondsBefore)) ELSE \(expression) END"
        }
        return expression
    }
}

/// A zone's UTC offsets over the test data, read from the system's tz database: the
/// final offset, and the changes before it. The SQL applies them per row, so it is the
/// row-level answer the store must equal.
struct ZoneOffsets {
    struct Change {
        let at: Millis
        let secondsBefore: Int
    }

    let name: String
    let finalSeconds: Int
    let changes: [Change]

    /// The offsets of `name` from `from` to `to` (by default 2024 to 2027, where the
    /// tests' data lies).
    init(_ name: String, from: Date = Date(timeIntervalSince1970: 1_704_067_200), to: Date = Date(timeIntervalSince1970: 1_798_761_600)) {
        let zone = TimeZone(identifier: name) ?? TimeZone(secondsFromGMT: 0) ?? .current
        var changes: [Change] = []
        var cursor = from
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < to {
            changes.append(Change(at: Millis(next.timeIntervalSince1970 * 1000), secondsBefore: zone.secondsFromGMT(for: cursor)))
            cursor = next
        }
        self.name = name
        finalSeconds = zone.secondsFromGMT(for: cursor)
        self.changes = changes
    }

    static let losAngeles = ZoneOffsets("America/Los_Angeles")
    static let berlin = ZoneOffsets("Europe/Berlin")
    static let kiritimati = ZoneOffsets("Pacific/Kiritimati")
    static let utc = ZoneOffsets("UTC")
    /// UTC+5:30.
    static let kolkata = ZoneOffsets("Asia/Kolkata")
    /// UTC-3:30, DST UTC-2:30 from 2025-03-09.
    static let stJohns = ZoneOffsets("America/St_Johns")
    /// UTC+5:45.
    static let kathmandu = ZoneOffsets("Asia/Kathmandu")
    /// UTC+10:30, 30-minute DST to UTC+11 (until 2025-04-06 02:00 local).
    static let lordHowe = ZoneOffsets("Australia/Lord_Howe")

    static let all = [utc, losAngeles, berlin, kiritimati, kolkata, stJohns, kathmandu, lordHowe]
}
