import ParleyCore

/// The Contacts report's sorted lists: one per (month, model) of `rollups.month.contact_ranks`
/// whose month overlaps the window, each read heaviest first a batch at a time.
struct ContactRankLists {
    private struct List {
        let model: String
        /// The key to read from next.
        var next: [UInt8]
        let end: [UInt8]
        /// (org, month) prefix, for decoding.
        let prefix: [UInt8]
        /// The weight of the last entry read: no unread entry of the list is heavier.
        var lastWeight: UInt64 = .max
        var done = false
    }

    private var lists: [List] = []

    init(txn: StoreTransaction, organization: String, window: TimeWindow) throws {
        guard let extent = try Queries(txn: txn).cellExtent(organization: organization, window: window) else { return }
        let tree = try txn.tree(TreeLayout.contactRanks)
        let until = min(window.until, extent.until)
        var month = CellLevel.month.start(of: max(window.since, extent.since))
        while month < until {
            let monthPrefix = ContactRanks.prefix(organization: organization, month: month)
            // One seek per model: the first key at or after the end of the previous model's list.
            var from = monthPrefix
            while let key = try tree.firstKey(from: from, to: Keys.end(of: monthPrefix)) {
                let model = try ContactRanks.decode(key, after: monthPrefix).model
                let listPrefix = ContactRanks.prefix(organization: organization, month: month, model: model)
                lists.append(List(model: model, next: listPrefix, end: Keys.end(of: listPrefix), prefix: monthPrefix))
                from = Keys.end(of: listPrefix)
            }
            month = CellLevel.month.end(ofCellAt: month)
        }
    }

    var isExhausted: Bool { lists.allSatisfy(\.done) }

    /// Reads up to `count` more entries of every list; returns the contacts among them
    /// not in `seen` (the contact-less "" left out).
    mutating func advance(txn: StoreTransaction, by count: Int, skipping seen: Set<String>) throws -> Set<String> {
        let tree = try txn.tree(TreeLayout.contactRanks)
        var fresh = Set<String>()
        for index in lists.indices where !lists[index].done {
            var read = 0
            var last: [UInt8]?
            var list = lists[index]
            try tree.forEach(from: list.next, to: list.end) { key, _ in
                let entry = try ContactRanks.decode(key, after: list.prefix)
                list.lastWeight = entry.weight
                if !entry.contact.isEmpty, !seen.contains(entry.contact) { fresh.insert(entry.contact) }
                last = key
                read += 1
                return read < count
            }
            if read < count { list.done = true }
            // Keys are prefix-free, so the key's successor is the key and one zero byte.
            if let last { list.next = last + [0] }
            lists[index] = list
        }
        return fresh
    }

    /// An upper bound, in nanos, on the cost in the window of any contact not yet read:
    /// each list's last weight times the highest per-token rate of any price its model
    /// could be priced at, summed over the lists not run out, with a margin for the
    /// final rounding and the floating-point sum.
    func bound(prices: PriceTable) -> Double {
        var rates: [String: Int64] = [:]
        var bound = 0.0
        for list in lists where !list.done {
            let rate = rates[list.model] ?? Self.highestRate(model: list.model, prices: prices)
            rates[list.model] = rate
            bound += Double(list.lastWeight) * Double(rate) / 1e6
        }
        return bound * (1 + 1e-9) + 1
    }

    /// Nanos per 1M tokens of the dearest token kind over every price matching `model`.
    static func highestRate(model: String, prices: PriceTable) -> Int64 {
        prices.prices.filter { $0.specificity(for: model) != nil }
            .map { max($0.inputNanosPerMTok, $0.outputNanosPerMTok, $0.cachedReadNanosPerMTok, $0.cacheWriteNanosPerMTok) }
            .max() ?? 0
    }
}
