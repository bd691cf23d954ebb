import ParleyCore

extension ParleyStore {
    /// The keys of `tree` under the organization whose stored value differs from the
    /// rebuilt one, as mismatches. Raw values are compared: the encodings are
    /// deterministic, and an undecodable value (such as a format-4 lead byte) is a
    /// mismatch to name, not a reason to stop the check.
    static func differences(_ txn: StoreTransaction, tree: String, organization: String, rebuilt: [[UInt8]: [UInt8]],
                           describe: ([UInt8]) -> String?, key describeKey: ([UInt8]) throws(DecodeError) -> String) throws -> [AggregateMismatch] {
        let prefix = Keys.organization(organization)
        var stored: [[UInt8]: [UInt8]] = [:]
        try txn.tree(tree).forEach(from: prefix, to: Keys.end(of: prefix)) { key, value in
            stored[key] = value
            return true
        }
        func shown(_ bytes: [UInt8]?) -> String {
            guard let bytes else { return "none" }
            return describe(bytes) ?? "an undecodable value of \(bytes.count) bytes"
        }
        return try Set(stored.keys).union(rebuilt.keys).sorted { $0.lexicographicallyPrecedes($1) }.compactMap { key in
            guard stored[key] != rebuilt[key] else { return nil }
            let name = try StoreTransaction.decodeKey(tree: tree) { () throws(DecodeError) in try describeKey(key) }
            return AggregateMismatch(organization: organization, aggregate: tree, key: name, expected: shown(rebuilt[key]), found: shown(stored[key]))
        }
    }
}
