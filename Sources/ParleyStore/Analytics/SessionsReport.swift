import ParleyCore

extension ParleyStore {
    public static let defaultSessionRows = 20

    /// `query.top` sessions are listed (default 20); filters do not apply to sessions.
    /// The totals come from the `sessions.by_start` entries of the window, in one
    /// snapshot; only the listed rows' metrics are read.
    public func reportSessions(_ query: ReportQuery) throws -> SessionsReport {
        var report = SessionsReport()
        var durations = Average()
        var responseTimes = Average()
        var satisfaction = Average()
        let listed = query.top > 0 ? query.top : Self.defaultSessionRows
        try read { txn in
            try SessionQueries(txn: txn).eachEntry(organization: query.organization, window: query.window) { entry, metrics in
                report.sessions += 1
                if entry.hasLead { report.sessionsWithLead += 1 }
                report.totalMessages += entry.totalMessages
                report.totalTokens += entry.totalTokens
                durations.add(entry.duration.map(Double.init))
                responseTimes.add(entry.averageResponseTime.map(Double.init))
                satisfaction.add(entry.userSatisfaction)
                if report.rows.count < listed, let row = try metrics() { report.rows.append(row) }
            }
        }
        report.avgDuration = durations.value
        report.avgResponseTime = responseTimes.value
        report.avgSatisfaction = satisfaction.value
        report.ratedSessions = satisfaction.count
        return report
    }
}

/// SQL's AVG: the mean of the values present, nil when none is.
struct Average {
    private(set) var sum: Double = 0
    private(set) var count: Int64 = 0

    mutating func add(_ value: Double?) {
        guard let value else { return }
        sum += value
        count += 1
    }

    var value: Double? { count > 0 ? sum / Double(count) : nil }
}
