import ParleyCore
import ParleyStorage

/// What one retention run moved into the archive.
public struct RetentionResult: Sendable, Equatable {
    public var turns: Int64 = 0
    public var messages: Int64 = 0
}

extension ParleyStore {
    /// Moves turns replied and messages created before `cutoff` (of one organization, or
    /// all) into the archive, `StoreOptions.retentionBatch` records per step: each step
    /// is committed in the archive first, then removed from the live trees with their
    /// index entries, so a crash in between leaves a record in both places (the next run
    /// removes it), never in neither. Rollups, session metrics, leads and feedback stay:
    /// reports over the archived period give the same numbers. Reports (done, total).
    public func retainDetail(olderThan cutoff: Millis, organization: String?, progress: @Sendable (Int64, Int64) -> Void) async throws -> RetentionResult {
        let organizations = try organization.map { [$0] } ?? read { txn in
            try RetentionScan(txn: txn).organizations(in: TreeLayout.turnsByTime) + RetentionScan(txn: txn).organizations(in: TreeLayout.messagesByTime)
        }
        let orgs = Array(Set(organizations)).sorted()
        let total = try read { txn in
            try orgs.reduce(Int64(0)) { sum, org in
                let scan = RetentionScan(txn: txn)
                return sum + (try scan.count(TreeLayout.turnsByTime, org, before: cutoff)) + (try scan.count(TreeLayout.messagesByTime, org, before: cutoff))
            }
        }
        progress(0, total)
        guard total > 0 else { return RetentionResult() }
        let archiveStore = try archive.openOrCreate()
        let batch = max(1, options.retentionBatch)
        var result = RetentionResult()
        for org in orgs {
            while true {
                let turns = try read { txn in try RetentionScan(txn: txn).turns(org, before: cutoff, limit: batch) }
                if turns.isEmpty { break }
                try await archiveStore.submit(items: turns.count) { txn in
                    for turn in turns {
                        try txn.put(turn, TreeLayout.turns, Keys.entity(turn.organizationId, turn.turnId))
                        try TurnIndexes(txn: txn).put(turn)
                    }
                    return .success(())
                }
                try await submit(items: turns.count) { txn in
                    for turn in turns {
                        _ = try txn.tree(TreeLayout.turns).delete(Keys.entity(turn.organizationId, turn.turnId))
                        try TurnIndexes(txn: txn).delete(turn)
                    }
                    return .success(())
                }
                result.turns += Int64(turns.count)
                progress(result.turns + result.messages, max(total, result.turns + result.messages))
            }
            while true {
                let messages = try read { txn in try RetentionScan(txn: txn).messages(org, before: cutoff, limit: batch) }
                if messages.isEmpty { break }
                try await archiveStore.submit(items: messages.count) { txn in
                    for message in messages {
                        try txn.put(message, TreeLayout.messages, Keys.entity(message.organizationId, message.messageId))
                        try MessageIndexes(txn: txn).put(message, time: message.createdAt ?? 0)
                    }
                    return .success(())
                }
                try await submit(items: messages.count) { txn in
                    for message in messages {
                        _ = try txn.tree(TreeLayout.messages).delete(Keys.entity(message.organizationId, message.messageId))
                        try MessageIndexes(txn: txn).delete(message, time: message.createdAt ?? 0)
                    }
                    return .success(())
                }
                result.messages += Int64(messages.count)
                progress(result.turns + result.messages, max(total, result.turns + result.messages))
            }
        }
        return result
    }
}

/// The reads of a retention run: which organizations have detail, how much of it is
/// older than the cutoff, and the next batch of it.
struct RetentionScan {
    let txn: StoreTransaction

    /// The organizations with keys in a time index, one seek per organization.
    func organizations(in index: String) throws -> [String] {
        let cursor = try txn.tree(index).cursor()
        var found: [String] = []
        var entry = try cursor.seek([])
        while let current = entry {
            let org = try StoreTransaction.decodeKey(tree: index) { () throws(DecodeError) in
                var decoder = KeyDecoder(current.key)
                return try decoder.readString()
            }
            found.append(org)
            entry = try cursor.seek(Keys.end(of: Keys.organization(org)))
        }
        return found
    }

    func count(_ index: String, _ org: String, before cutoff: Millis) throws -> Int64 {
        var count: Int64 = 0
        let prefix = Keys.organization(org)
        try txn.tree(index).forEach(from: prefix, to: Keys.appending(prefix, time: cutoff)) { _, _ in
            count += 1
            return true
        }
        return count
    }

    func turns(_ org: String, before cutoff: Millis, limit: Int) throws -> [Turn] {
        try records(TreeLayout.turnsByTime, org, before: cutoff, limit: limit, Turn.self, TreeLayout.turns)
    }

    func messages(_ org: String, before cutoff: Millis, limit: Int) throws -> [Message] {
        try records(TreeLayout.messagesByTime, org, before: cutoff, limit: limit, Message.self, TreeLayout.messages)
    }

    private func records<Record: RecordCodable>(_ index: String, _ org: String, before cutoff: Millis, limit: Int, _ type: Record.Type, _ tree: String) throws -> [Record] {
        var found: [Record] = []
        let prefix = Keys.organization(org)
        try txn.tree(index).forEach(from: prefix, to: Keys.appending(prefix, time: cutoff)) { key, _ in
            let id = try StoreTransaction.decodeKey(tree: index) { () throws(DecodeError) in
                var decoder = KeyDecoder(key)
                _ = try decoder.readString()
                _ = try decoder.readInt64()
                let id = try decoder.readString()
                try decoder.finish()
                return id
            }
            guard let record = try txn.get(type, tree, Keys.entity(org, id)) else {
                throw StoreError.storage(StorageError(.corrupt, "\(index) lists \(id) of organization \(org), which is not stored; the index is damaged, run `parley admin check`"))
            }
            found.append(record)
            return found.count < limit
        }
        return found
    }
}
