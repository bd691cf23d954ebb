import ParleyCore

extension ParleyStore {
    public static let defaultSessionRows = 20

    /// `query.top` sessions are listed (default 20); filters do not apply to sessions.
    public func reportSessions(_ query: ReportQuery) throws -> SessionsReport {
        var report = SessionsReport()
        var durations = Average()
        var responseTimes = Average()
        var satisfaction = Average()
        let listed = query.top > 0 ? query.top : Self.defaultSessionRows
        try eachSession(organization: query.organization, window: query.window) { metrics in
            report.sessions += 1
            if metrics.hasLead { report.sessionsWithLead += 1 }
            report.totalMessages += metrics.totalMessages
            report.totalTokens += metrics.totalTokens
            durations.add(metrics.duration.map(Double.init))
            responseTimes.add(metrics.averageResponseTime.map(Double.init))
            satisfaction.add(metrics.userSatisfaction)
            if report.rows.count < listed { report.rows.append(metrics) }
        }
        report.avgDuration = durations.value
        report.avgResponseTime = responseTimes.value
        report.avgSatisfaction = satisfaction.value
        report.ratedSessions = satisfaction.count
        return report
    }

    /// Every session that started in `window`, newest first, from one snapshot.
    func eachSession(organization: String, window: TimeWindow, _ body: (SessionMetrics) throws -> Void) throws {
        try read { txn in try SessionQueries(txn: txn).each(organization: organization, window: window, body) }
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
