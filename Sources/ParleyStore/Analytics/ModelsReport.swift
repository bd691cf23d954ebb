import ParleyCore


extension ParleyStore {
    /// Highest cost first (unpriced tokens rank a row higher among equal costs).
    public func reportModels(_ query: ReportQuery) throws -> ModelsReport {
        let result = try usage(organization: query.organization, query: query.usage(groupBy: [.model], orderBy: .cost, top: query.top))
        let rows = result.rows.map { row in
            ModelCost(model: row.group[0], // safe: grouped by exactly one dimension
                      conversations: row.count, inputTokens: row.tokens.input, outputTokens: row.tokens.output,
                      totalTokens: row.tokens.total, cost: row.cost, cachedReadTokens: row.tokens.cachedRead,
                      cacheWriteTokens: row.tokens.cacheWrite, reasoningTokens: row.tokens.reasoning)
        }
        return ModelsReport(rows: rows, totalCost: result.totalCost)
    }
}
