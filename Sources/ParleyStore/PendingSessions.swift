import ParleyCore

/// Session metrics and spend that a batch's turns changed, written once per session when
/// the batch ends, together with what they move: the `sessions.by_start` entry, the start
/// cells and the conversion cells. A batch holds several turns of each of its sessions,
/// and every session starting in one quarter or day shares that cell, so writing through
/// rewrote the same records and cells once per turn (and the whole spend record, which
/// grows with the session); merged, a batch costs one write per session and per cell.
///
/// Cells are sums, so moving each session once from its state before the batch to its
/// state after leaves them exactly as the moves of each turn would. Anything in the batch
/// that opens one of `TreeLayout.pendingSessionTrees` directly first gets the pending
/// state written (`StoreTransaction.tree`), so no reader in the transaction sees a stale
/// record; a batch that fails rolls back as a whole, pending state with it.
final class PendingSessions {
    struct ID: Hashable {
        let organization: String
        let session: String
    }

    /// A session's metrics and spend; nil before its first turn.
    struct State {
        var metrics: SessionMetrics?
        var spend: SessionSpend?
    }

    private struct Entry {
        /// As stored before the batch.
        let stored: State
        var current: State
    }

    private var entries: [ID: Entry] = [:]

    var isEmpty: Bool { entries.isEmpty }

    /// The session's state in this batch; `load` reads the stored one the first time.
    func state(of id: ID, load: () throws -> State) rethrows -> State {
        if let entry = entries[id] { return entry.current }
        return try load()
    }

    /// Changes the session's state with `body`, loading it with `load` the first time the
    /// batch touches it.
    func update<Value>(_ id: ID, load: () throws -> State, _ body: (inout State) throws -> Value) rethrows -> Value {
        if entries[id] == nil {
            let stored = try load()
            entries[id] = Entry(stored: stored, current: stored)
        }
        // In place: one lookup, and the spend's entries are not copied.
        return try body(&entries[id]!.current)
    }

    /// Writes every changed session, its index entry and the cells it moved, and forgets
    /// them. Sessions go in key order, so consecutive puts share leaf pages.
    func flush(_ txn: StoreTransaction) throws {
        guard !entries.isEmpty else { return }
        // Taken out first: the writes below open the session trees through `txn.tree`,
        // which must not flush again.
        let pending = entries.sorted { a, b in
            a.key.organization != b.key.organization ? a.key.organization < b.key.organization : a.key.session < b.key.session
        }
        entries.removeAll()
        let sessions = SessionMetricsWriter(txn: txn)
        let spends = SessionSpendWriter(txn: txn)
        var startCells = SessionStartCells.Changes()
        var conversionCells = ConversionCells.Changes()
        for (id, entry) in pending {
            if let metrics = entry.current.metrics, metrics != entry.stored.metrics {
                try sessions.save(metrics, replacing: entry.stored.metrics, startCells: &startCells)
            }
            if let spend = entry.current.spend, spend != entry.stored.spend {
                try spends.save(spend, organization: id.organization, session: id.session)
            }
            conversionCells.move(organization: id.organization,
                                 from: (entry.stored.metrics, entry.stored.spend), to: (entry.current.metrics, entry.current.spend))
        }
        try startCells.apply(to: txn.tree(TreeLayout.sessionStartCells))
        try conversionCells.apply(to: txn.tree(TreeLayout.conversionCells))
    }
}
