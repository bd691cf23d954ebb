import ParleyCore

/// Session listings over `sessions.by_start`, newest conversation first.
struct SessionQueries {
    static let defaultPageSize = 100
    static let maxPageSize = 1000

    let txn: StoreTransaction

    func page(organization: String, window: TimeWindow?, hasLead: Bool?, pageSize: Int, pageToken: String?) throws -> (sessions: [SessionMetrics], nextPageToken: String?) {
        guard pageSize >= 0, pageSize <= Self.maxPageSize else {
            throw StoreError.invalid(field: "page_size", "is \(pageSize); give 1 to \(Self.maxPageSize), or 0 for \(Self.defaultPageSize)")
        }
        let size = pageSize == 0 ? Self.defaultPageSize : pageSize
        var (from, to) = range(organization: organization, window: window)
        if let pageToken, !pageToken.isEmpty {
            let token = try PageToken(parsing: pageToken)
            let after = Keys.timed(organization, token.start, token.session)
            if after.lexicographicallyPrecedes(to) { to = after }
        }
        let (sessions, more) = try newest(organization: organization, from: from, to: to, hasLead: hasLead, count: size)
        let next = more ? sessions.last.map { PageToken(start: $0.conversationStart ?? 0, session: $0.sessionId).encoded } : nil
        return (sessions, next)
    }

    /// Every session of the window, newest first, in one walk: what a listing's pages
    /// give, without a transaction and a page token per page.
    func each(organization: String, window: TimeWindow, _ body: (SessionMetrics) throws -> Void) throws {
        let (from, to) = range(organization: organization, window: window)
        try txn.tree(TreeLayout.sessionsByStart).forEach(from: from, to: to, reverse: true) { key, _ in
            if let metrics = try txn.get(SessionMetrics.self, TreeLayout.sessions, Keys.entity(organization, try sessionId(of: key))) {
                try body(metrics)
            }
            return true
        }
    }

    /// The newest `count` sessions of the window, newest first.
    func newest(organization: String, window: TimeWindow, count: Int) throws -> [SessionMetrics] {
        let (from, to) = range(organization: organization, window: window)
        return try newest(organization: organization, from: from, to: to, hasLead: nil, count: count).sessions
    }

    /// Up to `count` sessions of the index range [from, to) matching `hasLead`, newest
    /// first, and whether the range holds more.
    private func newest(organization: String, from: [UInt8], to: [UInt8], hasLead: Bool?, count: Int) throws -> (sessions: [SessionMetrics], more: Bool) {
        var sessions: [SessionMetrics] = []
        var more = false
        try txn.tree(TreeLayout.sessionsByStart).forEach(from: from, to: to, reverse: true) { key, value in
            guard matches(value, hasLead: hasLead) else { return true }
            guard sessions.count < count else {
                more = true
                return false
            }
            if let metrics = try txn.get(SessionMetrics.self, TreeLayout.sessions, Keys.entity(organization, try sessionId(of: key))) {
                sessions.append(metrics)
            }
            return true
        }
        return (sessions, more)
    }

    /// The earliest and one past the latest conversation start of the organization's
    /// sessions; nil when it has none.
    func startSpan(organization: String) throws -> TimeWindow? {
        let (from, to) = range(organization: organization, window: nil)
        let tree = try txn.tree(TreeLayout.sessionsByStart)
        guard let firstKey = try tree.firstKey(from: from, to: to), let lastKey = try tree.firstKey(from: from, to: to, reverse: true) else { return nil }
        let last = try start(of: lastKey)
        return TimeWindow(since: try start(of: firstKey), until: last < .max ? last + 1 : last)
    }

    /// The summary of every session of the window, newest first, in one walk of the index.
    func eachEntry(organization: String, window: TimeWindow, _ body: (SessionStartEntry) throws -> Void) throws {
        let (from, to) = range(organization: organization, window: window)
        try txn.tree(TreeLayout.sessionsByStart).forEach(from: from, to: to, reverse: true) { _, value in
            try body(try StoreTransaction.decodeKey(tree: TreeLayout.sessionsByStart) { () throws(DecodeError) in try SessionStartEntry(decoding: value) })
            return true
        }
    }

    func count(organization: String, window: TimeWindow?, hasLead: Bool?) throws -> Int64 {
        let (from, to) = range(organization: organization, window: window)
        var count: Int64 = 0
        try txn.tree(TreeLayout.sessionsByStart).forEach(from: from, to: to) { _, value in
            if matches(value, hasLead: hasLead) { count += 1 }
            return true
        }
        return count
    }

    private func range(organization: String, window: TimeWindow?) -> (from: [UInt8], to: [UInt8]) {
        let prefix = Keys.organization(organization)
        guard let window else { return (prefix, Keys.end(of: prefix)) }
        return (Keys.appending(prefix, time: window.since), Keys.appending(prefix, time: max(window.since, window.until)))
    }

    private func matches(_ value: [UInt8], hasLead: Bool?) -> Bool {
        guard let hasLead else { return true }
        return (value.first == 1) == hasLead
    }

    private func start(of key: [UInt8]) throws -> Millis {
        try StoreTransaction.decodeKey(tree: TreeLayout.sessionsByStart) { () throws(DecodeError) in
            var decoder = KeyDecoder(key)
            _ = try decoder.readString()
            return try decoder.readInt64()
        }
    }

    private func sessionId(of key: [UInt8]) throws -> String {
        try StoreTransaction.decodeKey(tree: TreeLayout.sessionsByStart) { () throws(DecodeError) in
            var decoder = KeyDecoder(key)
            _ = try decoder.readString()
            _ = try decoder.readInt64()
            let session = try decoder.readString()
            try decoder.finish()
            return session
        }
    }
}
