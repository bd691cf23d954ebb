import ParleyCore

extension ParleyStore {
    public static let defaultContactsTop = 20

    /// Highest cost first (ties by contact id), the top `query.top` (default 20).
    /// Turns without a contact are left out, as the seed's join leaves them out.
    public func reportContacts(_ query: ReportQuery) throws -> [ContactCost] {
        let top = query.top > 0 ? query.top : Self.defaultContactsTop
        // One row more than asked, in case the contact-less group takes a place.
        let rows = try usage(organization: query.organization, query: query.usage(groupBy: [.contact], orderBy: .cost, top: top + 1))
            .rows.filter { $0.group.first?.isEmpty == false }.prefix(top)
        return try rows.map { row in
            let id = row.group[0] // safe: grouped by exactly one dimension
            let contact = try contact(organization: query.organization, id: id)
            return ContactCost(contactId: id, name: contact.map { $0.name.isEmpty ? id : $0.name } ?? id,
                               phoneNumber: contact?.phoneNumber ?? "", interactions: row.count, totalTokens: row.tokens.total, cost: row.cost)
                .withParts(of: row.tokens)
        }
    }
}
