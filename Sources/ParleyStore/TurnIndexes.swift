import ParleyCore

/// The index entries of one turn (docs/STORE.md), written at intake and into the
/// archive, removed by retention.
struct TurnIndexes {
    let txn: StoreTransaction

    func put(_ turn: Turn) throws {
        for (tree, key) in entries(of: turn) { try txn.tree(tree).put(key, []) }
    }

    func delete(_ turn: Turn) throws {
        for (tree, key) in entries(of: turn) { _ = try txn.tree(tree).delete(key) }
    }

    private func entries(of turn: Turn) -> [(String, [UInt8])] {
        let org = turn.organizationId
        let time = Keys.time(of: turn)
        var entries = [(TreeLayout.turnsByTime, Keys.timed(org, time, turn.turnId)),
                       (TreeLayout.turnsBySession, Keys.grouped(org, turn.sessionId, time, turn.turnId))]
        if !turn.deviceId.isEmpty { entries.append((TreeLayout.turnsByDevice, Keys.grouped(org, turn.deviceId, time, turn.turnId))) }
        if !turn.contactId.isEmpty { entries.append((TreeLayout.turnsByContact, Keys.grouped(org, turn.contactId, time, turn.turnId))) }
        if !turn.messageId.isEmpty { entries.append((TreeLayout.turnsByMessage, Keys.strings(org, turn.messageId, turn.turnId))) }
        return entries
    }
}

/// The index entries of one message: by time, and by contact for the thread view.
struct MessageIndexes {
    let txn: StoreTransaction

    func put(_ message: Message, time: Millis) throws {
        for (tree, key) in entries(of: message, time: time) { try txn.tree(tree).put(key, []) }
    }

    func delete(_ message: Message, time: Millis) throws {
        for (tree, key) in entries(of: message, time: time) { _ = try txn.tree(tree).delete(key) }
    }

    private func entries(of message: Message, time: Millis) -> [(String, [UInt8])] {
        let org = message.organizationId
        var entries = [(TreeLayout.messagesByTime, Keys.timed(org, time, message.messageId))]
        if !message.contactId.isEmpty {
            entries.append((TreeLayout.messagesByContact, Keys.grouped(org, message.contactId, time, message.messageId)))
        }
        return entries
    }
}
