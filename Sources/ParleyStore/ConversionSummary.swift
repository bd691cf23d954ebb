import ParleyCore

/// Which sessions a `ConversionCell` counts: all of them, or those with a turn of one
/// persona.
enum ConversionScope: Sendable, Hashable, CustomStringConvertible {
    case session
    case persona(String)

    var description: String {
        switch self {
        case .session: return "session"
        case .persona(let id): return "persona \"\(id)\""
        }
    }
}

/// One session's part of the conversion cells: a function of its metrics and its
/// `SessionSpend` alone, so the cells can be kept by taking a session's old summary out
/// and putting its new one in, and rebuilt from the sessions.
struct ConversionSummary: Sendable, Equatable {
    /// The conversation start: the cells of each level holding it get the summary.
    let start: Millis
    let scopes: [ConversionScope: ConversionCell]

    /// Nil for a session without a start (no turn yet): it is in no cell.
    init?(metrics: SessionMetrics?, spend: SessionSpend?) {
        guard let metrics, let start = metrics.conversationStart else { return nil }
        self.start = start
        let entries = spend?.entries ?? []
        var session = ConversionCell()
        session.sessions = 1
        if metrics.hasLead {
            session.leads = 1
            if let captured = metrics.leadCapturedAt {
                session.timeToLeadSum = captured &- start
                session.timedLeads = 1
                let turns = Int64(spend?.turns(upTo: captured) ?? 0)
                if turns > 0 {
                    session.turnsToLeadSum = turns
                    session.countedLeads = 1
                }
            }
        }
        var scopes: [ConversionScope: ConversionCell] = [.session: session]
        for entry in entries where !entry.personaId.isEmpty {
            let scope = ConversionScope.persona(entry.personaId)
            var cell = scopes[scope] ?? ConversionCell()
            cell.sessions = 1
            cell.leads = metrics.hasLead ? 1 : 0
            cell.spent(entry.tokens, on: ConversionCell.SpendSlot(model: entry.model, day: CellLevel.day.start(of: entry.time)))
            scopes[scope] = cell
        }
        self.scopes = scopes
    }
}
