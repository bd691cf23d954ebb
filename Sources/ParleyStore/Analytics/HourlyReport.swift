import ParleyCore

extension ParleyStore {
    /// Hours in order; hours without conversations are absent, as in the seed's GROUP BY.
    public func reportHourly(_ query: ReportQuery) throws -> [HourUsage] {
        try usage(organization: query.organization, query: query.usage(granularity: .hourOfDay, groupBy: []))
            .rows.map { row in
                HourUsage(hour: Int(row.bucketStart / TimeUnits.millisPerHour), conversations: row.count, avgTokens: row.avgTokens)
                    .withParts(of: row.tokens)
            }
            .sorted { $0.hour < $1.hour }
    }
}
