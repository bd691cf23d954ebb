import ParleyCore

/// The leads or feedback of each session, kept in arrival order under (org, session,
/// sequence), so backfill can replay them. Sequences are per session: the next is one
/// past the last key of the session's range.
struct SessionLog<Record: RecordCodable> {
    let txn: StoreTransaction
    let treeName: String

    /// Appends `record` unless a record of the session's log already is the same one
    /// (`isSame`): a retried or re-imported lead or feedback is stored once. Answers
    /// whether it appended. A session's log is a handful of records, so reading it whole
    /// costs about what finding its last sequence does.
    func append(_ record: Record, organization: String, session: String, unless isSame: (Record) -> Bool) throws -> Bool {
        let prefix = Keys.entity(organization, session)
        var last: UInt64?
        var present = false
        let tree = try txn.tree(treeName)
        try tree.forEach(from: prefix, to: Keys.end(of: prefix), reverse: true) { key, value in
            if last == nil {
                last = try StoreTransaction.decodeKey(tree: treeName) { () throws(DecodeError) in
                    var decoder = KeyDecoder(key)
                    _ = try decoder.readString()
                    _ = try decoder.readString()
                    let sequence = try decoder.readUInt64()
                    try decoder.finish()
                    return sequence
                }
            }
            present = isSame(try StoreTransaction.decode(Record.self, value, tree: treeName))
            return !present
        }
        guard !present else { return false }
        try txn.put(record, treeName, Keys.sequenced(organization, session, (last ?? 0) + 1))
        return true
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
