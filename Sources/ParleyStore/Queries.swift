import ParleyCore

/// The read side: every answer comes from one snapshot, through the indexes of
/// docs/STORE.md.
struct Queries {
    let txn: StoreTransaction

    /// Turns of a window in reply-time order (ties by turn id).
    func turns(organization: String, window: TimeWindow, _ body: (Turn) throws -> Bool) throws {
        try visit(index: TreeLayout.turnsByTime, prefix: Keys.organization(organization), leadingStrings: 1, window: window, record: Turn.self, tree: TreeLayout.turns, organization: organization, body)
    }

    /// Messages of a window in creation order (ties by message id).
    func messages(organization: String, window: TimeWindow, _ body: (Message) throws -> Bool) throws {
        try visit(index: TreeLayout.messagesByTime, prefix: Keys.organization(organization), leadingStrings: 1, window: window, record: Message.self, tree: TreeLayout.messages, organization: organization, body)
    }

    /// A contact's messages in a window, oldest or newest first: the conversation thread.
    func thread(organization: String, contact: String, window: TimeWindow, newestFirst: Bool, _ body: (Message) throws -> Bool) throws {
        try visit(index: TreeLayout.messagesByContact, prefix: Keys.entity(organization, contact), leadingStrings: 2, window: window, reverse: newestFirst,
                  record: Message.self, tree: TreeLayout.messages, organization: organization, body)
    }

    /// Turns of one device, contact or session in a window, in time order.
    func turns(organization: String, device: String, window: TimeWindow, _ body: (Turn) throws -> Bool) throws {
        try visit(index: TreeLayout.turnsByDevice, prefix: Keys.entity(organization, device), leadingStrings: 2, window: window, record: Turn.self, tree: TreeLayout.turns, organization: organization, body)
    }

    func turns(organization: String, contact: String, window: TimeWindow, newestFirst: Bool = false, _ body: (Turn) throws -> Bool) throws {
        try visit(index: TreeLayout.turnsByContact, prefix: Keys.entity(organization, contact), leadingStrings: 2, window: window, reverse: newestFirst,
                  record: Turn.self, tree: TreeLayout.turns, organization: organization, body)
    }

    func turns(organization: String, session: String, window: TimeWindow, _ body: (Turn) throws -> Bool) throws {
        try visit(index: TreeLayout.turnsBySession, prefix: Keys.entity(organization, session), leadingStrings: 2, window: window, record: Turn.self, tree: TreeLayout.turns, organization: organization, body)
    }

    /// The turns that answered a message (normally one).
    func turns(organization: String, answering messageId: String) throws -> [Turn] {
        let prefix = Keys.entity(organization, messageId)
        var turns: [Turn] = []
        try txn.tree(TreeLayout.turnsByMessage).forEach(from: prefix, to: Keys.end(of: prefix)) { key, _ in
            let id = try pointedId(key, leadingStrings: 2, timed: false, tree: TreeLayout.turnsByMessage)
            if let turn = try txn.get(Turn.self, TreeLayout.turns, Keys.entity(organization, id)) { turns.append(turn) }
            return true
        }
        return turns
    }

    /// The cells of one `level` whose start is in `window`. Without `latency`, the
    /// cells' histograms are left empty (see `CellRollup.decode(_:keepingLatency:)`).
    func rollupCells(organization: String, dimension: Dimension, level: CellLevel = .quarter, window: TimeWindow, values: Set<String>?, latency: Bool,
                     _ body: (_ start: Millis, _ value: String, _ model: String, _ rollup: CellRollup) throws -> Void) throws {
        if let values {
            // One value-major range per wanted value: cost follows the values asked for, not all of them.
            for value in values.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                try scanCells(tree: TreeLayout.rollupsByValue(level), prefix: Keys.rollupPrefix(organization, dimension, value: value), window: window,
                              knownValue: value, latency: latency, body)
            }
        } else {
            try scanCells(tree: TreeLayout.rollupsByTime(level), prefix: Keys.rollupPrefix(organization, dimension), window: window,
                          knownValue: nil, latency: latency, body)
        }
    }

    /// The reply time of the newest turn before `until`, or nil without one.
    func newestTurnTime(organization: String, before until: Millis) throws -> Millis? {
        let prefix = Keys.organization(organization)
        var newest: Millis?
        try txn.tree(TreeLayout.turnsByTime).forEach(from: Keys.appending(prefix, time: .min), to: Keys.appending(prefix, time: until), reverse: true) { key, _ in
            newest = try StoreTransaction.decodeKey(tree: TreeLayout.turnsByTime) { () throws(DecodeError) in
                var decoder = KeyDecoder(key, from: prefix.count)
                return try decoder.readInt64()
            }
            return false
        }
        return newest
    }

    /// The cells of `window` that hold any turn: from the first cell's start to the last
    /// one's end (every turn is in the `.all` cells), or nil when there is none. Two
    /// seeks, so a query over all time walks only the zone changes of its data's span.
    func cellExtent(organization: String, window: TimeWindow) throws -> TimeWindow? {
        let prefix = Keys.rollupPrefix(organization, .all)
        let tree = try txn.tree(TreeLayout.rollupsByTime)
        let (from, to) = (Keys.appending(prefix, time: window.since), Keys.appending(prefix, time: window.until))
        guard let firstKey = try tree.firstKey(from: from, to: to), let lastKey = try tree.firstKey(from: from, to: to, reverse: true) else { return nil }
        let (first, last) = try StoreTransaction.decodeKey(tree: TreeLayout.rollupsByTime) { () throws(DecodeError) in
            var firstDecoder = KeyDecoder(firstKey, from: prefix.count)
            var lastDecoder = KeyDecoder(lastKey, from: prefix.count)
            return (try firstDecoder.readInt64(), try lastDecoder.readInt64())
        }
        return TimeWindow(since: first, until: last + CellGrid.span)
    }

    /// Hands out the cells of one range: (prefix, cell start, value, model) keys, or with a
    /// known value (prefix holding it, cell start, model). Every key of the range starts with
    /// `prefix`, so decoding starts after it: the organization is never turned into a
    /// `String` per cell.
    private func scanCells(tree: String, prefix: [UInt8], window: TimeWindow, knownValue: String?, latency: Bool,
                           _ body: (_ start: Millis, _ value: String, _ model: String, _ rollup: CellRollup) throws -> Void) throws {
        try txn.tree(tree).forEach(from: Keys.appending(prefix, time: window.since), to: Keys.appending(prefix, time: window.until)) { key, value in
            let (start, dimensionValue, model) = try StoreTransaction.decodeKey(tree: tree) { () throws(DecodeError) in
                var decoder = KeyDecoder(key, from: prefix.count)
                let start = try decoder.readInt64()
                let dimensionValue: String
                if let knownValue { dimensionValue = knownValue } else { dimensionValue = try decoder.readString() }
                let model = try decoder.readString()
                try decoder.finish()
                return (start, dimensionValue, model)
            }
            let rollup = try Self.rollup(value, tree: tree, latency: latency)
            try body(start, dimensionValue, model, rollup)
            return true
        }
    }

    private static func rollup(_ bytes: [UInt8], tree: String, latency: Bool) throws -> CellRollup {
        do {
            return try CellRollup.decode(bytes, keepingLatency: latency)
        } catch {
            throw StoreError.corrupt(tree: tree, error)
        }
    }

    /// Walks a time index of keys (prefix, time, ..., id) over the window and hands out
    /// the records they point to.
    private func visit<Record: RecordCodable>(index: String, prefix: [UInt8], leadingStrings: Int, window: TimeWindow, reverse: Bool = false, record: Record.Type,
                                              tree: String, organization: String, _ body: (Record) throws -> Bool) throws {
        guard window.since < window.until else { return }
        try txn.tree(index).forEach(from: Keys.appending(prefix, time: window.since), to: Keys.appending(prefix, time: window.until), reverse: reverse) { key, _ in
            let id = try pointedId(key, leadingStrings: leadingStrings, timed: true, tree: index)
            guard let found = try txn.get(record, tree, Keys.entity(organization, id)) else { return true }
            return try body(found)
        }
    }

    /// The id an index key points to: the string after `leadingStrings` strings and,
    /// for time indexes, the time.
    private func pointedId(_ key: [UInt8], leadingStrings: Int, timed: Bool, tree: String) throws -> String {
        try StoreTransaction.decodeKey(tree: tree) { () throws(DecodeError) in
            var decoder = KeyDecoder(key)
            for _ in 0..<leadingStrings { _ = try decoder.readString() }
            if timed { _ = try decoder.readInt64() }
            let id = try decoder.readString()
            try decoder.finish()
            return id
        }
    }
}
