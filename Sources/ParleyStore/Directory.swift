import ParleyCore

/// The named things turns refer to (devices, contacts, personas, widgets), each kept
/// under (org, id) in its own tree and replaced whole on upsert.
protocol DirectoryEntry: RecordCodable, Sendable, Equatable {
    static var treeName: String { get }
    var organizationId: String { get }
    var entryId: String { get }
    func accepted(by intake: RecordIntake) throws(ValidationError) -> Self
}

extension Device: DirectoryEntry {
    static var treeName: String { TreeLayout.devices }
    var entryId: String { deviceId }
    func accepted(by intake: RecordIntake) throws(ValidationError) -> Device { try intake.accept(self) }
}

extension Contact: DirectoryEntry {
    static var treeName: String { TreeLayout.contacts }
    var entryId: String { contactId }
    func accepted(by intake: RecordIntake) throws(ValidationError) -> Contact { try intake.accept(self) }
}

extension Persona: DirectoryEntry {
    static var treeName: String { TreeLayout.personas }
    var entryId: String { personaId }
    func accepted(by intake: RecordIntake) throws(ValidationError) -> Persona { try intake.accept(self) }
}

extension Widget: DirectoryEntry {
    static var treeName: String { TreeLayout.widgets }
    var entryId: String { widgetId }
    func accepted(by intake: RecordIntake) throws(ValidationError) -> Widget { try intake.accept(self) }
}

struct Directory {
    let txn: StoreTransaction

    /// The accepted entry, and `.duplicate` when the stored row already equals it: then
    /// nothing is written, so re-importing a directory changes no page.
    func upsert<Entry: DirectoryEntry>(_ raw: Entry, intake: RecordIntake) throws -> Result<(entry: Entry, outcome: WriteOutcome), StoreError> {
        let entry: Entry
        do {
            entry = try raw.accepted(by: intake)
        } catch {
            return .failure(.invalid(error))
        }
        let key = Keys.entity(entry.organizationId, entry.entryId)
        if let stored = try txn.get(Entry.self, Entry.treeName, key), stored == entry { return .success((entry, .duplicate)) }
        try txn.put(entry, Entry.treeName, key)
        return .success((entry, .stored))
    }

    func get<Entry: DirectoryEntry>(_ type: Entry.Type, organization: String, id: String) throws -> Entry? {
        try txn.get(type, Entry.treeName, Keys.entity(organization, id))
    }
}
