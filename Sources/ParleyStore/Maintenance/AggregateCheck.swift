import ParleyCore

/// One aggregate entry that differs from the same entry rebuilt from what it summarises,
/// as `parley admin check` reports it: which aggregate (its tree), which key, what a
/// rebuild expects and what the tree holds.
public struct AggregateMismatch: Sendable, Equatable, CustomStringConvertible {
    public var organization: String
    /// The tree holding the aggregate, e.g. `rollups.day.by_time`.
    public var aggregate: String
    /// The entry's key fields, e.g. `(model, day, 1700006400000, "gpt-4o", "gpt-4o")`.
    public var key: String
    /// What a rebuild gives; "none" when it gives no such entry.
    public var expected: String
    /// What the tree holds; "none" when the entry is missing.
    public var found: String

    public var description: String {
        "\(aggregate) of organization \"\(organization)\", key \(key): expected \(expected) (rebuilt), found \(found)"
    }
}

extension ParleyStore {
    /// Every aggregate check of every organization: the rollup cells of every level, the
    /// session spend, the sessions' start index, start cells and conversion cells, and the contacts' month ranks,
    /// each against a rebuild from the stored turns (live and archived), metrics or cells. Empty when every aggregate the writes
    /// kept equals a rebuild. Each organization's turns are held in memory while its
    /// checks run, so the check's memory grows with the largest organization
    /// (docs/STORE.md, "Checking the aggregates").
    public func aggregateMismatches() throws -> [AggregateMismatch] {
        var mismatches: [AggregateMismatch] = []
        for organization in try aggregateOrganizations() {
            mismatches += try rollupMismatches(organization: organization).map { $0.aggregateMismatch(organization: organization) }
            mismatches += try sessionSpendMismatches(organization: organization).map { $0.aggregateMismatch(organization: organization) }
            mismatches += try sessionStartMismatches(organization: organization)
            mismatches += try contactRankMismatches(organization: organization)
            mismatches += try conversionCellMismatches(organization: organization)
        }
        return mismatches
    }

    /// The organizations with turns, sessions or cells in the live file (an organization
    /// whose turns all moved to the archive still has its cells and sessions here).
    private func aggregateOrganizations() throws -> [String] {
        try read { txn in
            let scan = RetentionScan(txn: txn)
            let trees = [TreeLayout.turnsByTime, TreeLayout.sessions, TreeLayout.sessionSpend, TreeLayout.contactRanks, TreeLayout.conversionCells] + TreeLayout.rollupTrees
            return Array(Set(try trees.flatMap { try scan.organizations(in: $0) })).sorted()
        }
    }
}

extension RollupMismatch {
    func aggregateMismatch(organization: String) -> AggregateMismatch {
        AggregateMismatch(organization: organization, aggregate: tree,
                          key: "(\(dimension), \(level), \(cellStart), \"\(value)\", \"\(model)\")",
                          expected: rebuilt.map { "\($0)" } ?? "none", found: stored.map { "\($0)" } ?? "none")
    }
}

extension SessionSpendMismatch {
    func aggregateMismatch(organization: String) -> AggregateMismatch {
        let want = rebuilt?.entries ?? []
        let have = stored?.entries ?? []
        // The first entry that differs is what to look at; the counts say the rest.
        let at = zip(want, have).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(want.count, have.count)
        func summary(_ spend: SessionSpend?, _ entries: [SessionSpend.Entry]) -> String {
            guard spend != nil else { return "none" }
            return "\(entries.count) entries" + (at < entries.count ? ", entry \(at) \(entries[at])" : "")
        }
        return AggregateMismatch(organization: organization, aggregate: TreeLayout.sessionSpend, key: "(\"\(sessionId)\")",
                                 expected: summary(rebuilt, want), found: summary(stored, have))
    }
}
