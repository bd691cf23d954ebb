/// What each turn of a session used, without its texts: the per-session summary that
/// the conversion report prices (per persona, each turn at its own time) and counts
/// turns to the lead from, so it reads one small record per session instead of the
/// session's turns. Nothing in it is priced, so a price change needs no rewrite.
public struct SessionSpend: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var turnId: String
        /// The turn's reply time: where it is priced and ordered.
        public var time: Millis
        public var personaId: String
        public var model: String
        /// Parley's convention (docs/TOKENS.md); reasoning is not priced apart and not kept.
        public var tokens: TokenCounts

        public init(turnId: String, time: Millis, personaId: String, model: String, tokens: TokenCounts) {
            self.turnId = turnId
            self.time = time
            self.personaId = personaId
            self.model = model
            self.tokens = tokens
        }

        public init(_ turn: Turn) {
            let counts = turn.tokens ?? .zero
            self.init(turnId: turn.turnId, time: turn.endedAt ?? 0, personaId: turn.personaId, model: turn.model,
                      tokens: TokenCounts(input: counts.input, output: counts.output, cachedRead: counts.cachedRead,
                                          cacheWrite: counts.cacheWrite, total: counts.total))
        }
    }

    /// In reply-time order, ties by turn id; one entry per turn id.
    public private(set) var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries.sorted(by: Self.precedes)
    }

    /// The summary of `turns` (each id once).
    public init(of turns: [Turn]) {
        self.init()
        for turn in turns { record(turn) }
    }

    /// Adds `turn`, or replaces the entry of its id (a repaired turn).
    public mutating func record(_ turn: Turn) {
        let entry = Entry(turn)
        entries.removeAll { $0.turnId == entry.turnId }
        let index = entries.firstIndex { Self.precedes(entry, $0) } ?? entries.count
        entries.insert(entry, at: index)
    }

    /// Turns replied at or before `time`: the turns it took to capture a lead then.
    public func turns(upTo time: Millis) -> Int {
        entries.reduce(0) { $0 + ($1.time <= time ? 1 : 0) }
    }

    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.time != b.time ? a.time < b.time : a.turnId.utf8.lexicographicallyPrecedes(b.turnId.utf8)
    }
}
