import ParleyCore

/// Batch writes for imports and migrations: each batch is one request to the group-commit
/// writer, so it is one transaction (and shares its sync with whatever else is queued).
/// Every item gets its own result: an invalid or conflicting item leaves no writes and
/// does not fail its neighbours; only a storage failure fails the whole batch, each item
/// then answering that failure (nothing of the batch was stored, so a retry is safe).
extension ParleyStore {
    /// One result per message, in order: `.success(.stored)`, `.success(.duplicate)` (the
    /// same id with the same content was logged before), or the item's `StoreError`.
    public func logMessages(_ messages: [Message], receivedAt: Millis) async -> [Result<WriteOutcome, StoreError>] {
        let intake = recordIntake
        return await submitBatch(count: messages.count) { txn in
            let writer = MessageWriter(txn: txn, intake: intake, receivedAt: receivedAt)
            return try messages.map { try writer.log($0) }
        }
    }

    /// One result per row, in order: `.success(.duplicate)` when the stored row already
    /// equals it (nothing is written), `.success(.stored)` when it was inserted or replaced.
    public func upsertDirectory(_ items: [DirectoryItem]) async -> [Result<WriteOutcome, StoreError>] {
        let intake = recordIntake
        return await submitBatch(count: items.count) { txn in
            let directory = Directory(txn: txn)
            return try items.map { item in
                switch item {
                case .device(let d): return try directory.upsert(d, intake: intake).map(\.outcome)
                case .contact(let c): return try directory.upsert(c, intake: intake).map(\.outcome)
                case .persona(let p): return try directory.upsert(p, intake: intake).map(\.outcome)
                case .widget(let w): return try directory.upsert(w, intake: intake).map(\.outcome)
                }
            }
        }
    }

    /// One result per lead, in order, each as `captureLead` would answer it:
    /// `.success(.duplicate)` when the session already has an equal lead.
    public func captureLeads(_ leads: [Lead], receivedAt: Millis) async -> [Result<WriteOutcome, StoreError>] {
        let intake = recordIntake
        let archive = archive
        return await submitBatch(count: leads.count) { txn in
            // Looked up in the batch's transaction, for the reason `captureLead` gives.
            let writer = LeadWriter(txn: txn, intake: intake, receivedAt: receivedAt, archive: archive.current)
            return try leads.map { try writer.capture($0).map { $0.outcome } }
        }
    }

    /// One result per feedback, in order, each as `recordFeedback` would answer it:
    /// `.success(.duplicate)` when the session already has equal feedback.
    public func recordFeedback(_ feedback: [Feedback], receivedAt: Millis) async -> [Result<WriteOutcome, StoreError>] {
        let intake = recordIntake
        return await submitBatch(count: feedback.count) { txn in
            let writer = FeedbackWriter(txn: txn, intake: intake, receivedAt: receivedAt)
            return try feedback.map { try writer.record($0).map { $0.outcome } }
        }
    }

    private func submitBatch(count: Int, _ body: @escaping (StoreTransaction) throws -> [Result<WriteOutcome, StoreError>]) async -> [Result<WriteOutcome, StoreError>] {
        guard count > 0 else { return [] }
        do {
            return try await submit(items: count) { txn in .success(try body(txn)) }
        } catch {
            let failure = StoreError.wrap(error)
            return Array(repeating: .failure(failure), count: count)
        }
    }
}
