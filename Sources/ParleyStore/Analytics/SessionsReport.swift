import ParleyCore

extension ParleyStore {
    public static let defaultSessionRows = 20

    /// `query.top` sessions are listed (default 20); filters do not apply to sessions.
    /// The totals are the `sessions.start_cells` of the window's whole 15-minute cells
    /// (its whole days as day cells) plus the `sessions.by_start` summaries of its partial
    /// edge cells, in one snapshot; only the listed rows' metrics are read. So the report
    /// costs cells and edge sessions, not sessions.
    public func reportSessions(_ query: ReportQuery) throws -> SessionsReport {
        var report = SessionsReport()
        let listed = query.top > 0 ? query.top : Self.defaultSessionRows
        let window = query.window
        try read { txn in
            let sessions = SessionQueries(txn: txn)
            var totals = SessionStartCell()
            // Cells are read only where sessions started, so a window of all time costs
            // the cells of the data, not of the whole time line.
            if let span = try sessions.startSpan(organization: query.organization) {
                // The query's window lies within ReportQuery.allTime, so the cell
                // arithmetic on its edges cannot overflow.
                let clipped = TimeWindow(since: max(window.since, span.since), until: min(window.until, span.until))
                let whole = TimeWindow(since: CellGrid.ceiling(clipped.since), until: CellGrid.start(of: clipped.until))
                if whole.since < whole.until { totals.add(try SessionStartCells(txn: txn).sum(organization: query.organization, window: whole)) }
                for edge in window.subtracting(whole.since < whole.until ? [whole] : []) {
                    try sessions.eachEntry(organization: query.organization, window: edge) { totals.add(SessionStartCell($0)) }
                }
            }
            report.rows = try sessions.newest(organization: query.organization, window: window, count: listed)
            report.sessions = totals.sessions
            report.sessionsWithLead = totals.sessionsWithLead
            report.totalMessages = totals.totalMessages
            report.totalTokens = totals.totalTokens
            report.avgDuration = totals.durations > 0 ? Double(totals.durationSum) / Double(totals.durations) : nil
            report.avgResponseTime = totals.responseTimes > 0 ? Double(totals.responseTimeSum) / Double(totals.responseTimes) : nil
            report.avgSatisfaction = totals.ratedSessions > 0
                ? Double(totals.satisfactionSum) / SessionStartCell.satisfactionScale / Double(totals.ratedSessions) : nil
            report.ratedSessions = totals.ratedSessions
        }
        return report
    }
}
