import ParleyCore
import ParleyStorage

/// `rollups.month.contact_ranks` (store format 7): every (contact, model) month cell of the
/// contact dimension once more, keyed by its priced tokens, largest first. It is an index
/// of `rollups.month.by_value` and holds no value of its own: the Contacts report reads
/// the heaviest contacts of each month and model first and stops as soon as no contact it
/// has not read could reach its top N (`ParleyStore.reportContacts`).
///
/// Kept by `PendingRollups.flush` when it writes a month cell of the contact dimension,
/// in the same transaction: the entry of the cell's old weight goes, the one of its new
/// weight comes. Nothing is priced here, so SetPrice and DeletePrice leave it as it is.
enum ContactRanks {
    /// The token kinds a price applies to, summed (`TokenCounts.sumOfKinds`, which
    /// assumes capped counts, here saturating instead, since a cell sums many turns): no
    /// cell's cost can exceed this weight times the highest per-token rate of its model.
    /// Saturating, not wrapping, keeps it an upper bound.
    static func weight(_ tokens: TokenCounts) -> UInt64 {
        [tokens.input, tokens.output, tokens.cachedRead, tokens.cacheWrite].reduce(UInt64(0)) { sum, count in
            let (total, overflow) = sum.addingReportingOverflow(UInt64(clamping: max(0, count)))
            return overflow ? .max : total
        }
    }

    /// (org, month start, model, descending weight, contact).
    static func key(organization: String, month: Millis, model: String, weight: UInt64, contact: String) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(month)
        key.append(model)
        key.append(UInt64.max - weight)
        key.append(contact)
        return key.bytes
    }

    /// Prefix (org, month[, model]).
    static func prefix(organization: String, month: Millis, model: String? = nil) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(month)
        if let model { key.append(model) }
        return key.bytes
    }

    /// Moves a month cell's entry from its stored weight to its new one; `old` is the
    /// cell as stored before the batch (nil when new), `new` as written (empty when deleted).
    static func update(_ tree: Tree, organization: String, month: Millis, model: String, contact: String, old: CellRollup?, new: CellRollup) throws {
        let oldWeight = old.flatMap { $0.isEmpty ? nil : weight($0.tokens) }
        let newWeight = new.isEmpty ? nil : weight(new.tokens)
        guard oldWeight != newWeight else { return }
        if let oldWeight { _ = try tree.delete(key(organization: organization, month: month, model: model, weight: oldWeight, contact: contact)) }
        if let newWeight { try tree.put(key(organization: organization, month: month, model: model, weight: newWeight, contact: contact), []) }
    }

    /// One decoded entry, after its (org, month) prefix.
    struct Entry: Equatable {
        var model: String
        var weight: UInt64
        var contact: String
    }

    static func decode(_ key: [UInt8], after prefix: [UInt8]) throws -> Entry {
        try StoreTransaction.decodeKey(tree: TreeLayout.contactRanks) { () throws(DecodeError) in
            var decoder = KeyDecoder(key, from: prefix.count)
            let model = try decoder.readString()
            let weight = UInt64.max - (try decoder.readUInt64())
            let contact = try decoder.readString()
            try decoder.finish()
            return Entry(model: model, weight: weight, contact: contact)
        }
    }
}
