import ParleyCore

extension ParleyStore {
    /// Sessions are those whose conversation started in the window (as ReportSessions);
    /// a session with turns of several personas counts for each. Each session is its
    /// metrics and its `SessionSpend` (one snapshot, no turn read): every turn priced at
    /// its own time with the table as it is now. Personas are ordered by leads, then
    /// sessions, then id.
    public func reportConversion(_ query: ReportQuery) throws -> ConversionReport {
        var report = ConversionReport()
        var turnsToLead = Average()
        var timeToLead = Average()
        var byPersona: [String: (sessions: Int64, leads: Int64, cost: CostSum)] = [:]
        var prices = ModelPrices(try prices())
        try read { txn in
            let spends = SessionSpendWriter(txn: txn)
            try SessionQueries(txn: txn).each(organization: query.organization, window: query.window) { metrics in
                report.sessions += 1
                let spend = try spends.load(organization: query.organization, session: metrics.sessionId) ?? SessionSpend()
                if metrics.hasLead {
                    report.sessionsWithLead += 1
                    if let captured = metrics.leadCapturedAt {
                        turnsToLead.add(Double(spend.turns(upTo: captured)))
                        if let start = metrics.conversationStart { timeToLead.add(Double(captured - start)) }
                    }
                }
                var costs: [String: CostSum] = [:]
                for entry in spend.entries where !entry.personaId.isEmpty {
                    prices.add(model: entry.model, at: entry.time, tokens: entry.tokens, to: &costs[entry.personaId, default: CostSum()])
                }
                for (persona, cost) in costs {
                    var entry = byPersona[persona] ?? (0, 0, CostSum())
                    entry.sessions += 1
                    if metrics.hasLead { entry.leads += 1 }
                    entry.cost.add(cost)
                    byPersona[persona] = entry
                }
            }
        }
        report.leadRate = report.sessions > 0 ? Double(report.sessionsWithLead) / Double(report.sessions) : 0
        report.avgTurnsToLead = turnsToLead.value
        report.avgTimeToLead = timeToLead.value
        report.personas = try byPersona.map { id, entry in
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
