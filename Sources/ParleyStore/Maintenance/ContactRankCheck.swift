import ParleyCore
import ParleyStorage

extension ParleyStore {
    /// Rebuilds `rollups.month.contact_ranks` of `organization` from its stored month
    /// cells of the contact dimension and lists the entries that differ (one missing or
    /// extra entry each), in one snapshot: empty when every flush kept the index in step.
    func contactRankMismatches(organization: String) throws -> [AggregateMismatch] {
        try read { txn in
            let rebuilt = try Self.contactRankKeys(cells: try txn.tree(TreeLayout.rollupsByValue(.month)), organization: organization)
            let prefix = Keys.organization(organization)
            var stored = Set<[UInt8]>()
            try txn.tree(TreeLayout.contactRanks).forEach(from: prefix, to: Keys.end(of: prefix)) { key, _ in
                stored.insert(key)
                return true
            }
            return try stored.symmetricDifference(rebuilt).sorted { $0.lexicographicallyPrecedes($1) }.map { key in
                let month = try StoreTransaction.decodeKey(tree: TreeLayout.contactRanks) { () throws(DecodeError) in
                    var decoder = KeyDecoder(key, from: prefix.count)
                    return try decoder.readInt64()
                }
                let entry = try ContactRanks.decode(key, after: ContactRanks.prefix(organization: organization, month: month))
                return AggregateMismatch(organization: organization, aggregate: TreeLayout.contactRanks,
                                         key: "(\(month), \"\(entry.model)\", \(entry.weight), \"\(entry.contact)\")",
                                         expected: rebuilt.contains(key) ? "present" : "none", found: stored.contains(key) ? "present" : "none")
            }
        }
    }

    /// The rank keys `cells` (a `rollups.month.by_value` tree) call for, of one
    /// organization or, with nil, of all: for the check and the 6 -> 7 upgrade step.
    static func contactRankKeys(cells: Tree, organization: String?) throws -> Set<[UInt8]> {
        var keys = Set<[UInt8]>()
        let tree = TreeLayout.rollupsByValue(.month)
        try cells.forEach(from: organization.map { Keys.rollupPrefix($0, .contact) },
                          to: organization.map { Keys.end(of: Keys.rollupPrefix($0, .contact)) }) { key, value in
            let cell = try StoreTransaction.decodeKey(tree: tree) { () throws(DecodeError) -> (String, String, Millis, String)? in
                var decoder = KeyDecoder(key)
                let organization = try decoder.readString()
                guard try decoder.readUInt8() == UInt8(truncatingIfNeeded: Dimension.contact.rawValue) else { return nil }
                let contact = try decoder.readString()
                let month = try decoder.readInt64()
                let model = try decoder.readString()
                try decoder.finish()
                return (organization, contact, month, model)
            }
            guard let (organization, contact, month, model) = cell else { return true }
            let rollup = try StoreTransaction.decode(CellRollup.self, value, tree: tree)
            if !rollup.isEmpty {
                keys.insert(ContactRanks.key(organization: organization, month: month, model: model, weight: ContactRanks.weight(rollup.tokens), contact: contact))
            }
            return true
        }
        return keys
    }
}
