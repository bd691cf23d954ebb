import ParleyCore

extension ParleyStore {
    /// Answers a usage query over one organization's data (see `UsagePlan` for where
    /// the cells come from). Validation errors are the engine's (`ValidationError`).
    public func usage(organization: String, query: UsageQuery) throws -> UsageResult {
        let plan = UsagePlan(query)
        var engineQuery = query
        engineQuery.window = plan.engineWindow
        var aggregator = try UsageAggregator(engineQuery, prices: prices())
        if let rollupWindow = plan.rollupWindow {
            try read { txn in
                try Queries(txn: txn).rollupCells(organization: organization, dimension: plan.rollupDimension, window: rollupWindow, values: plan.rollupValues,
                                                     latency: query.responseTimePercentiles) { hour, value, model, rollup in
                    aggregator.add(hourStart: hour, model: model, rollup: rollup) {
                        UsageCell.value(for: $0, model: model, keyDimension: plan.rollupDimension, value: value)
                    }
                }
            }
        }
        var turns: [Turn] = []
        for window in plan.turnWindows {
            try detailTurns(organization: organization, window: window) { turn, _ in turns.append(turn) }
        }
        if !turns.isEmpty {
            let outcomes = try sessionOutcomes(organization: organization, of: turns, needed: plan.dimensions.contains(.sessionOutcome))
            for turn in turns {
                aggregator.add(UsagePlan.cell(of: turn, sessionHasLead: outcomes.contains(turn.sessionId)))
            }
        }
        var result = aggregator.result()
        if query.granularity == .none {
            for index in result.rows.indices { result.rows[index].bucketStart = query.window.since }
        }
        return result
    }

    /// The sessions among `turns` that captured a lead, read only when a query needs them.
    private func sessionOutcomes(organization: String, of turns: [Turn], needed: Bool) throws -> Set<String> {
        guard needed else { return [] }
        let sessions = Set(turns.map(\.sessionId))
        return try read { txn in
            let metrics = SessionMetricsWriter(txn: txn)
            return Set(try sessions.filter { try metrics.load(organization: organization, session: $0)?.hasLead == true })
        }
    }
}
