import ParleyWire

/// The general usage query's answer: one line per bucket and group.
public enum UsageView {
    /// `groupBy` names the group columns (the request's dimensions), `bucketed` whether
    /// the request asked for time buckets.
    public static func view(groupBy: [String], bucketed: Bool) -> AnswerView<V1.UsageResponse> {
        AnswerView(rows: \.rows, table: { answer, _ in
            var columns: [String] = bucketed ? ["bucket"] : []
            columns += groupBy
            let first = columns.count
            columns += ["turns", "input", "cache read", "output", "reasoning", "total", "cost", "avg response", "p90"]
            var t = Table(columns: columns, rightAligned: Set(first..<columns.count))
            for r in answer.rows {
                var cells: [String] = bucketed ? [r.bucketLabel ?? ""] : []
                let groups = r.group
                cells += groupBy.indices.map { $0 < groups.count ? groups[$0] : "" }
                cells += [Format.integer(r.count ?? 0), Format.integer(r.inputTokens ?? 0),
                          Format.integer(r.cachedReadTokens ?? 0), Format.integer(r.outputTokens ?? 0),
                          Format.integer(r.reasoningTokens ?? 0), Format.integer(r.totalTokens ?? 0),
                          CostText.text(r.cost), Format.duration(ms: Int64(r.avgResponseTimeMs ?? 0)),
                          Format.duration(ms: r.p90ResponseTimeMs ?? 0)]
                t.add(cells)
            }
            return t.render() + "\n\ntotal cost: " + CostText.text(answer.totalCost)
        })
    }
}
