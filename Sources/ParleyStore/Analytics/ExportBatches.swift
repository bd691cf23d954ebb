import ParleyCore

extension ParleyStore {
    /// Up to `limit` live turns of the window in time order, starting after `after` (the
    /// cursor the previous batch returned); the cursor is nil once the window is done.
    /// Each batch is its own snapshot, so a long export never pins old pages.
    public func turnBatch(organization: String, window: TimeWindow, after: ExportCursor?, limit: Int) throws -> (turns: [Turn], next: ExportCursor?) {
        try batch(index: TreeLayout.turnsByTime, tree: TreeLayout.turns, organization: organization, window: window, after: after, limit: limit, Turn.self) { Keys.timed(organization, Keys.time(of: $0), $0.turnId) }
    }

    /// Up to `limit` live messages of the window in creation order, as `turnBatch`.
    public func messageBatch(organization: String, window: TimeWindow, after: ExportCursor?, limit: Int) throws -> (messages: [Message], next: ExportCursor?) {
        try batch(index: TreeLayout.messagesByTime, tree: TreeLayout.messages, organization: organization, window: window, after: after, limit: limit, Message.self) { Keys.timed(organization, $0.createdAt ?? 0, $0.messageId) }
    }

    private func batch<Record: RecordCodable>(index: String, tree: String, organization: String, window: TimeWindow, after: ExportCursor?, limit: Int,
                                              _ type: Record.Type, key: (Record) -> [UInt8]) throws -> ([Record], ExportCursor?) {
        guard window.since < window.until else { return ([], nil) }
        let prefix = Keys.organization(organization)
        // The smallest key above the last one exported: the same key with a zero byte appended.
        let from = after.map { $0.lastKey + [0] } ?? Keys.appending(prefix, time: window.since)
        var records: [Record] = []
        var more = false
        try read { txn in
            try txn.tree(index).forEach(from: from, to: Keys.appending(prefix, time: window.until)) { indexKey, _ in
                guard records.count < limit else {
                    more = true
                    return false
                }
                let id = try StoreTransaction.decodeKey(tree: index) { () throws(DecodeError) in
                    var decoder = KeyDecoder(indexKey)
                    _ = try decoder.readString()
                    _ = try decoder.readInt64()
                    return try decoder.readString()
                }
                if let record = try txn.get(type, tree, Keys.entity(organization, id)) { records.append(record) }
                return true
            }
        }
        return (records, more ? records.last.map { ExportCursor(lastKey: key($0)) } : nil)
    }
}

/// Where an export continues: the index key of the last record sent.
public struct ExportCursor: Sendable, Equatable {
    let lastKey: [UInt8]
}
