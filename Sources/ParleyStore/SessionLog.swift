import ParleyCore

/// The leads or feedback of each session, kept in arrival order under (org, session,
/// sequence), so backfill can replay them. Sequences are per session: the next is one
/// past the last key of the session's range.
struct SessionLog<Record: RecordCodable> {
    let txn: StoreTransaction
    let treeName: String

    func append(_ record: Record, organization: String, session: String) throws {
        let prefix = Keys.entity(organization, session)
        var last: UInt64?
        let tree = try txn.tree(treeName)
        try tree.forEach(from: prefix, to: Keys.end(of: prefix), reverse: true) { key, _ in
            last = try StoreTransaction.decodeKey(tree: treeName) { () throws(DecodeError) in
                var decoder = KeyDecoder(key)
                _ = try decoder.readString()
                _ = try decoder.readString()
                let sequence = try decoder.readUInt64()
                try decoder.finish()
                return sequence
            }
            return false
        }
        try txn.put(record, treeName, Keys.sequenced(organization, session, (last ?? 0) + 1))
    }

    func all(organization: String, session: String) throws -> [Record] {
        let prefix = Keys.entity(organization, session)
        var records: [Record] = []
        try txn.tree(treeName).forEach(from: prefix, to: Keys.end(of: prefix)) { _, value in
            records.append(try StoreTransaction.decode(Record.self, value, tree: treeName))
            return true
        }
        return records
    }
}
