/// Usage in one 15-minute UTC cell (`CellGrid`) for one dimension value and model: the
/// unit the store keeps per turn and the usage engine sums. Every field merges by addition (or max), so the
/// rollup of a set of turns does not depend on their order.
public struct CellRollup: Sendable, Equatable {
    /// Turns (AI replies).
    public var count: Int64
    public var tokens: TokenCounts
    public var responseTimeSum: Int64
    public var responseTimeCount: Int64
    /// The latest reply time seen.
    public var lastActivity: Millis?
    public var latency: LatencyHistogram

    public init(count: Int64 = 0, tokens: TokenCounts = .zero, responseTimeSum: Int64 = 0, responseTimeCount: Int64 = 0,
                lastActivity: Millis? = nil, latency: LatencyHistogram = LatencyHistogram()) {
        self.count = count
        self.tokens = tokens
        self.responseTimeSum = responseTimeSum
        self.responseTimeCount = responseTimeCount
        self.lastActivity = lastActivity
        self.latency = latency
    }

    public mutating func add(_ turn: Turn) {
        count += 1
        let counts = turn.tokens ?? .zero
        tokens.input += counts.input
        tokens.output += counts.output
        tokens.cachedRead += counts.cachedRead
        tokens.cacheWrite += counts.cacheWrite
        tokens.total += counts.total
        tokens.reasoning += counts.reasoning
        if let responseTime = turn.responseTime {
            responseTimeSum += responseTime
            responseTimeCount += 1
            latency.record(responseTime)
        }
        if let activity = turn.endedAt {
            lastActivity = max(lastActivity ?? activity, activity)
        }
    }

    /// Takes back `add(turn)`, for a turn whose cell changes (its session captured a
    /// lead). `lastActivity` is a max and cannot be taken back: it stays, an upper bound
    /// for the turns that remain.
    public mutating func subtract(_ turn: Turn) {
        count -= 1
        let counts = turn.tokens ?? .zero
        tokens.input -= counts.input
        tokens.output -= counts.output
        tokens.cachedRead -= counts.cachedRead
        tokens.cacheWrite -= counts.cacheWrite
        tokens.total -= counts.total
        tokens.reasoning -= counts.reasoning
        if let responseTime = turn.responseTime {
            responseTimeSum -= responseTime
            responseTimeCount -= 1
            latency.remove(responseTime)
        }
    }

    public var isEmpty: Bool { count == 0 }

    public mutating func merge(_ other: CellRollup) {
        mergeTotals(other)
        latency.merge(other.latency)
    }

    /// `merge` without the latency histogram, the costly part, for answers that report
    /// no response-time percentiles.
    public mutating func mergeTotals(_ other: CellRollup) {
        count += other.count
        tokens.input += other.tokens.input
        tokens.output += other.tokens.output
        tokens.cachedRead += other.tokens.cachedRead
        tokens.cacheWrite += other.tokens.cacheWrite
        tokens.total += other.tokens.total
        tokens.reasoning += other.tokens.reasoning
        responseTimeSum += other.responseTimeSum
        responseTimeCount += other.responseTimeCount
        if let activity = other.lastActivity {
            lastActivity = max(lastActivity ?? activity, activity)
        }
    }

    /// Mean response time in ms, or nil when no turn reported one.
    public var averageResponseTime: Double? {
        responseTimeCount > 0 ? Double(responseTimeSum) / Double(responseTimeCount) : nil
    }
}
