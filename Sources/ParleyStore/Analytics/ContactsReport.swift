import ParleyCore
import ParleyStorage

extension ParleyStore {
    public static let defaultContactsTop = 20

    /// Highest cost first (ties by contact id), the top `query.top` (default 20).
    /// Turns without a contact are left out, as the seed's join leaves them out.
    ///
    /// Unfiltered, the report does not price every contact of the window: it reads the
    /// contacts in `rollups.month.contact_ranks` order (heaviest month cells first, per
    /// month and model), prices only those exactly (`usage` with the contacts as a
    /// filter), and stops once the Nth priced contact costs more than any contact not yet
    /// read could (`ContactRankBound`). With a filter it prices every contact.
    public func reportContacts(_ query: ReportQuery) throws -> [ContactCost] {
        let top = query.top > 0 ? query.top : Self.defaultContactsTop
        let rows = query.filters.isEmpty ? try rankedContacts(query, top: top) : try pricedContacts(query, contacts: nil, top: top)
        return try rows.map { row in
            let id = row.group[0] // safe: grouped by exactly one dimension
            let contact = try contact(organization: query.organization, id: id)
            return ContactCost(contactId: id, name: contact.map { $0.name.isEmpty ? id : $0.name } ?? id,
                               phoneNumber: contact?.phoneNumber ?? "", interactions: row.count, totalTokens: row.tokens.total, cost: row.cost)
                .withParts(of: row.tokens)
        }
    }

    /// The top `top` contacts by cost among `contacts` (all when nil), contact-less turns left out.
    private func pricedContacts(_ query: ReportQuery, contacts: Set<String>?, top: Int) throws -> [UsageRow] {
        var usageQuery = Self.contactsQuery(query, top: top + 1) // one more, in case "" takes a place
        if let contacts { usageQuery.filters[.contact] = contacts }
        return Array(try usage(organization: query.organization, query: usageQuery).rows.filter { $0.group.first?.isEmpty == false }.prefix(top))
    }

    private static func contactsQuery(_ query: ReportQuery, top: Int) -> UsageQuery {
        query.usage(groupBy: [.contact], orderBy: .cost, top: top)
    }

    /// The threshold walk over the month ranks (Fagin's threshold algorithm): each round
    /// reads the next entries of every (month, model) list covering the window, prices
    /// the contacts first seen, and ends when the Nth best priced cost exceeds the bound
    /// on every unread contact, or when the lists run out. The ranks and the pricing are
    /// read in separate snapshots, so a turn written meanwhile may be counted in one and
    /// not the other, as with every report made of several reads.
    private func rankedContacts(_ query: ReportQuery, top: Int) throws -> [UsageRow] {
        let prices = try prices()
        var lists = try read { txn in try ContactRankLists(txn: txn, organization: query.organization, window: query.window) }
        var best: [UsageRow] = []
        var seen = Set<String>()
        var batch = max(64, 4 * top)
        while true {
            let fresh = try read { txn in try lists.advance(txn: txn, by: batch, skipping: seen) }
            seen.formUnion(fresh)
            if !fresh.isEmpty {
                best = UsageEngine.order(best + (try pricedContacts(query, contacts: fresh, top: fresh.count)), query: Self.contactsQuery(query, top: top))
            }
            if lists.isExhausted { return best }
            if best.count == top, let last = best.last, Double(last.cost.priced.nanos) > lists.bound(prices: prices) { return best }
            batch *= 2
        }
    }
}
