import ParleyCore

extension ParleyStore {
    /// Newest day first, then most tokens (ties by model), as the seed orders it.
    public func reportDaily(_ query: ReportQuery) throws -> [DailyModelTokens] {
        let rows = try usage(organization: query.organization, query: query.usage(granularity: .day, groupBy: [.model]))
            .rows.sorted { a, b in
                if a.bucketStart != b.bucketStart { return a.bucketStart > b.bucketStart }
                if a.tokens.total != b.tokens.total { return a.tokens.total > b.tokens.total }
                return a.group[0].utf8.lexicographicallyPrecedes(b.group[0].utf8) // safe: grouped by exactly one dimension
            }
        let kept = query.top > 0 ? Array(rows.prefix(query.top)) : rows
        return kept.map { row in
            DailyModelTokens(date: row.bucketLabel, model: row.group[0], // safe: grouped by exactly one dimension
                             tokens: row.tokens.total, conversations: row.count, avgTokens: row.avgTokens).withParts(of: row.tokens)
        }
    }
}
