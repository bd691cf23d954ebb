import ParleyCore

extension ParleyStore {
    /// Answers a usage query over one organization's data (see `UsagePlan` for where
    /// the cells come from). Validation errors are the engine's (`ValidationError`).
    public func usage(organization: String, query: UsageQuery) throws -> UsageResult {
        let prices = try prices()
        var engineQuery = query
        engineQuery.window = CellGrid.covering(query.window)
        var aggregator = try UsageAggregator(engineQuery, prices: prices)
        // The zone is known: the aggregator checked it.
        let bucketer = try ZoneBucketer.named(query.timeZone)
        var plan = UsagePlan(query, exactSpans: [])
        try read { txn in
            let queries = Queries(txn: txn)
            guard !plan.rollupWindows.isEmpty, let extent = try queries.cellExtent(organization: organization, window: query.window) else { return }
            plan = UsagePlan(query, exactSpans: Self.exactSpans(in: extent, granularity: query.granularity, bucketer: bucketer, prices: prices))
            // No cell lies outside the extent, so the cover is built for the data's span only.
            let spans = plan.rollupWindows.compactMap { window -> TimeWindow? in
                let clipped = TimeWindow(since: max(window.since, extent.since), until: min(window.until, extent.until))
                return clipped.since < clipped.until ? clipped : nil
            }
            guard let first = spans.first, let last = spans.last else { return }
            let cuts = Self.cuts(in: TimeWindow(since: first.since, until: last.until), granularity: query.granularity, bucketer: bucketer, prices: prices)
            for run in CellCover.runs(covering: spans, cuts: cuts) {
                try queries.rollupCells(organization: organization, dimension: plan.rollupDimension, level: run.level, window: run.window,
                                        values: plan.rollupValues, latency: query.responseTimePercentiles) { start, value, model, rollup in
                    aggregator.add(start: start, model: model, rollup: rollup) {
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

    /// Where cells are not exact inside `extent`: the zone's off-grid spans for the
    /// query's buckets, and the cell of every price that takes effect inside one (a cell
    /// is priced at its start).
    private static func exactSpans(in extent: TimeWindow, granularity: Granularity, bucketer: ZoneBucketer, prices: PriceTable) -> [TimeWindow] {
        var spans = bucketer.offGridSpans(in: extent, granularity: granularity)
        for price in prices.prices where extent.contains(price.effectiveFrom) && !CellGrid.isEdge(price.effectiveFrom) {
            spans.append(TimeWindow(since: price.effectiveFrom, until: price.effectiveFrom + 1))
        }
        return spans
    }

    /// Where no rollup cell may straddle: the local bucket boundaries of the query's
    /// granularity and every price change (a cell is priced at its start).
    private static func cuts(in span: TimeWindow, granularity: Granularity, bucketer: ZoneBucketer, prices: PriceTable) -> [Millis] {
        bucketer.boundaries(in: span, granularity: granularity)
            + prices.prices.map(\.effectiveFrom).filter { $0 > span.since && $0 < span.until }
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
