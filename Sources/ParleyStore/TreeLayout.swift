import ParleyCore

/// The named trees of a Parley database. docs/STORE.md lists each key layout and the
/// queries it serves; `Keys` builds the keys.
enum TreeLayout {
    /// Layout version, kept in `meta`; a file of another version is refused rather than misread.
    /// 2: 15-minute rollup cells; 3: packed turn text (Turn record 3) and near-edge leaf splits;
    /// 4: hour, day and month cells beside the 15-minute ones, and `sessions.spend`;
    /// 5: `sessions.by_start` values are `SessionStartEntry` summaries (1 lead byte before);
    /// 6: `sessions.start_cells`, those summaries summed per 15-minute and day cell;
    /// 7: `rollups.month.contact_ranks`, the contacts' month cells by priced tokens;
    /// 8: `sessions.conversion_cells`, the sessions' leads and per-persona tokens per start cell.
    static let schemaVersion: UInt8 = 8

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
    static let sessionStartCells = "sessions.start_cells"
    static let sessionSpend = "sessions.spend"
    static let conversionCells = "sessions.conversion_cells"
    static let leads = "leads"
    static let feedback = "feedback"
    static let prices = "prices"
    static let rollupsByTime = "rollups.by_time"
    static let rollupsByValue = "rollups.by_value"
    static let contactRanks = "rollups.month.contact_ranks"

    /// The time-major rollup tree of `level`: the 15-minute one keeps its name.
    static func rollupsByTime(_ level: CellLevel) -> String {
        level == .quarter ? rollupsByTime : "rollups.\(level.treeName).by_time"
    }

    /// The value-major rollup tree of `level`.
    static func rollupsByValue(_ level: CellLevel) -> String {
        level == .quarter ? rollupsByValue : "rollups.\(level.treeName).by_value"
    }

    /// Every rollup tree of every level.
    static let rollupTrees = CellLevel.allCases.flatMap { [rollupsByTime($0), rollupsByValue($0)] }

    /// The trees whose changes by turns a batch holds back (`PendingSessions`).
    static let pendingSessionTrees = [sessions, sessionsByStart, sessionStartCells, sessionSpend, conversionCells]

    static let all = [
        meta, turns, turnsByTime, turnsByDevice, turnsByContact, turnsBySession, turnsByMessage,
        messages, messagesByTime, messagesByContact, devices, contacts, personas, widgets,
        sessions, sessionsByStart, sessionStartCells, sessionSpend, conversionCells, leads, feedback, prices, contactRanks,
    ] + rollupTrees
}

private extension CellLevel {
    var treeName: String {
        switch self {
        case .quarter: return "quarter"
        case .hour: return "hour"
        case .day: return "day"
        case .month: return "month"
        }
    }
}
