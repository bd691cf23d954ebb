import ParleyCore

extension ParleyStore {
    /// Most conversations first (ties by persona, then model). Turns without a persona
    /// are left out, as the seed's join leaves them out. The seed has no date condition:
    /// give `ReportQuery.allTime` for its answer.
    public func reportPersonas(_ query: ReportQuery) throws -> [PersonaUsage] {
        let rows = try usage(organization: query.organization, query: query.usage(groupBy: [.persona, .model]))
            .rows.filter { $0.group.first?.isEmpty == false }
        let kept = query.top > 0 ? Array(rows.prefix(query.top)) : rows
        var names: [String: String] = [:]
        return try kept.map { row in
            let id = row.group[0] // safe: grouped by exactly two dimensions
            if names[id] == nil {
                let name = try persona(organization: query.organization, id: id)?.name ?? ""
                names[id] = name.isEmpty ? id : name
            }
            return PersonaUsage(personaId: id, personaName: names[id] ?? id, model: row.group[1], // safe: as above
                                conversations: row.count, avgTokens: row.avgTokens, totalTokens: row.tokens.total).withParts(of: row.tokens)
        }
    }
}
