/// The named trees of a Parley database. docs/STORE.md lists each key layout and the
/// queries it serves; `Keys` builds the keys.
enum TreeLayout {
    /// Layout version, kept in `meta`; a file of another version is refused rather than misread.
    /// 2: 15-minute rollup cells; 3: packed turn text (Turn record 3) and near-edge leaf splits.
    static let schemaVersion: UInt8 = 3

    static let meta = "meta"
    static let turns = "turns"
    static let turnsByTime = "turns.by_time"
    static let turnsByDevice = "turns.by_device"
    static let turnsByContact = "turns.by_contact"
    static let turnsBySession = "turns.by_session"
    static let turnsByMessage = "turns.by_message"
    static let messages = "messages"
    static let messagesByTime = "messages.by_time"
    static let messagesByContact = "messages.by_contact"
    static let devices = "devices"
    static let contacts = "contacts"
    static let personas = "personas"
    static let widgets = "widgets"
    static let sessions = "sessions"
    static let sessionsByStart = "sessions.by_start"
    static let leads = "leads"
    static let feedback = "feedback"
    static let prices = "prices"
    static let rollupsByTime = "rollups.by_time"
    static let rollupsByValue = "rollups.by_value"

    static let all = [
        meta, turns, turnsByTime, turnsByDevice, turnsByContact, turnsBySession, turnsByMessage,
        messages, messagesByTime, messagesByContact, devices, contacts, personas, widgets,
        sessions, sessionsByStart, leads, feedback, prices, rollupsByTime, rollupsByValue,
    ]
}
