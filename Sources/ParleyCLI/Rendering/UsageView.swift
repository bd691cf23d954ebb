import ParleyWire

/// The general usage query's answer: one line per bucket and group.
public enum UsageView {
    /// `groupBy` names the group columns (the request's dimensions), `bucketed` whether
    /// the request asked for time buckets.
    public static func view(groupBy: [String], bucketed: Bool) -> AnswerView {
        AnswerView(rowsField: "rows", table: { answer, _ in
            var columns: [String] = bucketed ? ["bucket"] : []
            columns += groupBy
            let first = columns.count
            columns += ["turns", "input", "output", "total", "cost", "avg response", "p90"]
            var t = Table(columns: columns, rightAligned: Set(first..<columns.count))
            for r in answer.messages("rows") {
                var cells: [String] = bucketed ? [r.string("bucket_label") ?? ""] : []
                let groups = r.strings("group")
                cells += groupBy.indices.map { $0 < groups.count ? groups[$0] : "" }
                cells += [Format.integer(r.int("count") ?? 0), Format.integer(r.int("input_tokens") ?? 0),
                          Format.integer(r.int("output_tokens") ?? 0), Format.integer(r.int("total_tokens") ?? 0),
                          CostText.text(r.message("cost")), Format.duration(ms: Int64(r.double("avg_response_time_ms") ?? 0)),
                          Format.duration(ms: r.int("p90_response_time_ms") ?? 0)]
                t.add(cells)
            }
            return t.render() + "\n\ntotal cost: " + CostText.text(answer.message("total_cost"))
        })
    }
}
