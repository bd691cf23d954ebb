import ParleyCore


extension ParleyStore {
    public static let defaultThreadPageSize = 50
    public static let maxThreadPageSize = 1000

    /// A contact's thread, newest first, from the live file and the archive. A message
    /// answered twice is two entries, as in the seed's join. Page tokens are positions
    /// (time, kind, id, reply id) of the last entry returned.
    public func contactThread(organization: String, contact: String, pageSize: Int, pageToken: String?) throws -> ThreadPage {
        guard pageSize >= 0, pageSize <= Self.maxThreadPageSize else {
            throw StoreError.invalid(field: "page_size", "is \(pageSize); give 1 to \(Self.maxThreadPageSize), or 0 for \(Self.defaultThreadPageSize)")
        }
        let size = pageSize == 0 ? Self.defaultThreadPageSize : pageSize
        let after = try pageToken.flatMap { $0.isEmpty ? nil : try ThreadPosition(parsing: $0) }
        let window = TimeWindow(since: ReportQuery.allTime.since, until: after.map { $0.time + 1 } ?? ReportQuery.allTime.until)
        let sources: [(store: ParleyStore, archived: Bool)] = [(self, false)] + (archive.current.map { [($0, true)] } ?? [])

        var candidates: [(position: ThreadPosition, entry: ThreadEntry)] = []
        for source in sources {
            var taken = 0
            try source.store.thread(organization: organization, contact: contact, window: window, newestFirst: true) { message in
                let time = message.createdAt ?? 0
                var replies = try repliesAnywhere(organization: organization, to: message.messageId)
                replies.sort { $0.turn.turnId.utf8.lexicographicallyPrecedes($1.turn.turnId.utf8) == false }
                let lines: [(Turn?, Bool)] = replies.isEmpty ? [(nil, false)] : replies.map { ($0.turn, $0.archived) }
                for (reply, replyArchived) in lines {
                    let position = ThreadPosition(time: time, kind: .message, id: message.messageId, replyId: reply?.turnId ?? "")
                    if let after, !(position < after) { continue }
                    candidates.append((position, ThreadEntry(message: message, reply: reply, archived: source.archived || replyArchived, time: time)))
                    taken += 1
                }
                return taken <= size
            }
            taken = 0
            try source.store.turns(organization: organization, contact: contact, window: window, newestFirst: true) { turn in
                guard try !messageLoggedAnywhere(organization: organization, turn.messageId) else { return true }
                let time = Keys.time(of: turn)
                let position = ThreadPosition(time: time, kind: .reply, id: turn.turnId, replyId: "")
                if let after, !(position < after) { return true }
                candidates.append((position, ThreadEntry(message: nil, reply: turn, archived: source.archived, time: time)))
                taken += 1
                return taken <= size
            }
        }
        candidates.sort { $1.position < $0.position }
        let page = candidates.prefix(size)
        let next = candidates.count > size ? page.last?.position.encoded : nil
        return ThreadPage(entries: page.map(\.entry), nextPageToken: next)
    }

    private func repliesAnywhere(organization: String, to messageId: String) throws -> [(turn: Turn, archived: Bool)] {
        var found = try turns(organization: organization, answering: messageId).map { ($0, false) }
        if let archived = archive.current {
            found += try archived.turns(organization: organization, answering: messageId).map { ($0, true) }
        }
        return found
    }

    private func messageLoggedAnywhere(organization: String, _ messageId: String) throws -> Bool {
        guard !messageId.isEmpty else { return false }
        if try message(organization: organization, id: messageId) != nil { return true }
        return try archive.current?.message(organization: organization, id: messageId) != nil
    }
}

/// Where an entry sits in a thread; entries are ordered by (time, kind, id, reply id),
/// compared as their order-preserving key bytes.
struct ThreadPosition: Comparable {
    enum Kind: UInt8 {
        case reply = 0
        case message = 1
    }

    static let prefix = "t1."

    let time: Millis
    let kind: Kind
    let id: String
    let replyId: String

    init(time: Millis, kind: Kind, id: String, replyId: String) {
        self.time = time
        self.kind = kind
        self.id = id
        self.replyId = replyId
    }

    init(parsing token: String) throws(StoreError) {
        let problem = StoreError.invalid(field: "page_token", "is not a thread token this server issued; pass next_page_token from the previous page unchanged, or leave it empty for the first page")
        guard let bytes = PageToken.bytes(of: token, prefix: Self.prefix) else { throw problem }
        var decoder = KeyDecoder(bytes)
        do {
            time = try decoder.readInt64()
            guard let kind = Kind(rawValue: try decoder.readUInt8()) else { throw problem }
            self.kind = kind
            id = try decoder.readString()
            replyId = try decoder.readString()
            try decoder.finish()
        } catch {
            throw problem
        }
    }

    var key: [UInt8] {
        var key = KeyEncoder()
        key.append(time)
        key.append(kind.rawValue)
        key.append(id)
        key.append(replyId)
        return key.bytes
    }

    var encoded: String { Self.prefix + PageToken.hex(key) }

    static func < (a: ThreadPosition, b: ThreadPosition) -> Bool { a.key.lexicographicallyPrecedes(b.key) }
    static func == (a: ThreadPosition, b: ThreadPosition) -> Bool { a.key == b.key }
}
