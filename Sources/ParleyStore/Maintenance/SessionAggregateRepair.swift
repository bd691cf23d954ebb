import ParleyCore
import ParleyStorage

extension ParleyStore {
    /// Rewrites what the sessions of `organization` are summed into (`sessions.by_start`,
    /// `sessions.start_cells`, `sessions.conversion_cells`) from its stored metrics and
    /// spend, writing only the entries that differ. The writes keep these trees by taking
    /// a session's old summary out, which they cannot do for a session whose metrics were
    /// lost: backfill rebuilds its metrics and then calls this, so the session is in each
    /// aggregate once.
    static func replaceSessionAggregates(_ txn: StoreTransaction, organization: String) throws {
        let start = try startAggregates(txn, organization: organization)
        let conversion = try ConversionCells.rebuild(sessions: try txn.tree(TreeLayout.sessions), spends: try txn.tree(TreeLayout.sessionSpend),
                                                     organization: organization)
        try replace(txn, tree: TreeLayout.sessionsByStart, organization: organization, with: start.entries.mapValues(\.bytes))
        try replace(txn, tree: TreeLayout.sessionStartCells, organization: organization, with: start.cells.cells.mapValues(\.bytes))
        try replace(txn, tree: TreeLayout.conversionCells, organization: organization, with: conversion.cells.mapValues(\.bytes))
    }

    /// Makes the organization's entries of `tree` exactly `entries`.
    private static func replace(_ txn: StoreTransaction, tree name: String, organization: String, with entries: [[UInt8]: [UInt8]]) throws {
        let tree = try txn.tree(name)
        let prefix = Keys.organization(organization)
        var stale: [[UInt8]] = []
        var current: [[UInt8]: [UInt8]] = [:]
        try tree.forEach(from: prefix, to: Keys.end(of: prefix)) { key, value in
            if entries[key] == nil { stale.append(key) } else { current[key] = value }
            return true
        }
        for key in stale { _ = try tree.delete(key) }
        for (key, value) in entries.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) where current[key] != value {
            try tree.put(key, value)
        }
    }
}
