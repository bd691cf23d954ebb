import ParleyCore

extension ParleyStore {
    /// Sessions are those whose conversation started in the window (as ReportSessions);
    /// a session with turns of several personas counts for each, and its cost is every
    /// turn priced at its own time with the table as it is now. Personas are ordered by
    /// leads, then sessions, then id.
    ///
    /// The window's whole 15-minute cells are read from `sessions.conversion_cells` (its
    /// whole days as day cells), in one snapshot. The sessions of its partial edge cells,
    /// and of any cell holding a day whose price changes within it, are read one by one:
    /// their metrics and `SessionSpend`, each turn priced at its own time. So the report
    /// costs cells and edge sessions, not sessions.
    public func reportConversion(_ query: ReportQuery) throws -> ConversionReport {
        var totals = ConversionTotals(prices: ModelPrices(try prices()))
        let window = query.window
        try read { txn in
            let sessions = SessionQueries(txn: txn)
            guard let span = try sessions.startSpan(organization: query.organization) else { return }
            // The query's window lies within ReportQuery.allTime, so the cell arithmetic
            // on its edges cannot overflow.
            let clipped = TimeWindow(since: max(window.since, span.since), until: min(window.until, span.until))
            let whole = TimeWindow(since: CellGrid.ceiling(clipped.since), until: CellGrid.start(of: clipped.until))
            var edges = window.subtracting(whole.since < whole.until ? [whole] : [])
            if whole.since < whole.until {
                let cells = ConversionCells(txn: txn)
                for tile in SessionStartCells.tiles(of: whole) {
                    try cells.each(organization: query.organization, level: tile.level, window: tile.window) { start, scopes in
                        if !totals.add(scopes) { edges.append(TimeWindow(since: start, until: tile.level.end(ofCellAt: start))) }
                    }
                }
            }
            let spends = SessionSpendWriter(txn: txn)
            for edge in edges {
                try sessions.each(organization: query.organization, window: edge) { metrics in
                    let spend = try spends.load(organization: query.organization, session: metrics.sessionId)
                    totals.add(metrics, spend)
                }
            }
        }
        var report = ConversionReport()
        report.sessions = totals.session.sessions
        report.sessionsWithLead = totals.session.leads
        report.leadRate = report.sessions > 0 ? Double(report.sessionsWithLead) / Double(report.sessions) : 0
        report.avgTurnsToLead = totals.session.countedLeads > 0 ? Double(totals.session.turnsToLeadSum) / Double(totals.session.countedLeads) : nil
        report.avgTimeToLead = totals.session.timedLeads > 0 ? Double(totals.session.timeToLeadSum) / Double(totals.session.timedLeads) : nil
        report.personas = try totals.personas.map { id, entry in
            let cost = entry.cost.cost
            let name = try persona(organization: query.organization, id: id)?.name ?? ""
            let perLead = entry.leads > 0
                ? Cost(priced: Money(nanos: cost.priced.nanos / entry.leads), unpricedTokens: cost.unpricedTokens / entry.leads)
                : nil
            return PersonaConversion(personaId: id, personaName: name.isEmpty ? id : name, sessions: entry.sessions, leads: entry.leads,
                                     cost: cost, costPerLead: perLead)
        }
        .sorted { ($1.leads, $1.sessions, $0.personaId) < ($0.leads, $0.sessions, $1.personaId) }
        if query.top > 0 { report.personas = Array(report.personas.prefix(query.top)) }
        return report
    }
}

/// The Conversion report's running sums, from cells or from single sessions.
private struct ConversionTotals {
    var prices: ModelPrices
    /// The session scope's sums: sessions, leads and lead timing.
    var session = ConversionCell()
    var personas: [String: (sessions: Int64, leads: Int64, cost: CostSum)] = [:]

    /// Adds one cell's scopes, each persona's tokens priced per (model, day); false
    /// (nothing added) when a day of the cell has a price change within it, so its
    /// sessions must be priced turn by turn.
    mutating func add(_ scopes: [(ConversionScope, ConversionCell)]) -> Bool {
        for (_, cell) in scopes {
            for slot in cell.spend.keys where !prices.isUniform(model: slot.model, over: TimeWindow(since: slot.day, until: CellLevel.day.end(ofCellAt: slot.day))) {
                return false
            }
        }
        for (scope, cell) in scopes {
            var cost = CostSum()
            for (slot, tokens) in cell.spend { prices.add(model: slot.model, at: slot.day, tokens: tokens, to: &cost) }
            add(scope, cell, cost: cost)
        }
        return true
    }

    /// Adds one session, each turn priced at its own time.
    mutating func add(_ metrics: SessionMetrics, _ spend: SessionSpend?) {
        guard let summary = ConversionSummary(metrics: metrics, spend: spend) else { return }
        var costs: [String: CostSum] = [:]
        for entry in spend?.entries ?? [] where !entry.personaId.isEmpty {
            prices.add(model: entry.model, at: entry.time, tokens: entry.tokens, to: &costs[entry.personaId, default: CostSum()])
        }
        for (scope, cell) in summary.scopes {
            guard case .persona(let id) = scope else {
                add(scope, cell, cost: CostSum())
                continue
            }
            add(scope, cell, cost: costs[id] ?? CostSum())
        }
    }

    private mutating func add(_ scope: ConversionScope, _ cell: ConversionCell, cost: CostSum) {
        switch scope {
        case .session:
            session.add(cell, sign: 1)
        case .persona(let id):
            var entry = personas[id] ?? (0, 0, CostSum())
            entry.sessions += cell.sessions
            entry.leads += cell.leads
            entry.cost.add(cost)
            personas[id] = entry
        }
    }
}
