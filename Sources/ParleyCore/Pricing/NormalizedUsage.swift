/// Token usage in Parley's one convention, whatever the provider reported:
///
/// - `input`: prompt tokens billed at the input price, EXCLUDING cache reads and writes;
/// - `cachedRead`, `cacheWrite`: prompt tokens read from / written to the provider's cache;
/// - `output`: every token billed at the output price, INCLUDING reasoning;
/// - `reasoning`: the part of `output` that was reasoning ("thinking"), kept apart for
///   reports; never billed a second time.
///
/// So the four billed kinds are disjoint and `total` is their sum.
public struct NormalizedUsage: Sendable, Equatable, Hashable, Codable {
    public var input: Int64
    public var cachedRead: Int64
    public var cacheWrite: Int64
    public var output: Int64
    public var reasoning: Int64

    public init(input: Int64 = 0, cachedRead: Int64 = 0, cacheWrite: Int64 = 0, output: Int64 = 0, reasoning: Int64 = 0) {
        self.input = input
        self.cachedRead = cachedRead
        self.cacheWrite = cacheWrite
        self.output = output
        self.reasoning = reasoning
    }

    /// The JSON names of `--usage-format parley`; absent counts are 0.
    enum CodingKeys: String, CodingKey {
        case input, cachedRead = "cached_read", cacheWrite = "cache_write", output, reasoning
    }

    public init(from decoder: Decoder) throws {
        let usage = try decoder.container(keyedBy: CodingKeys.self)
        input = try usage.decodeIfPresent(Int64.self, forKey: .input) ?? 0
        cachedRead = try usage.decodeIfPresent(Int64.self, forKey: .cachedRead) ?? 0
        cacheWrite = try usage.decodeIfPresent(Int64.self, forKey: .cacheWrite) ?? 0
        output = try usage.decodeIfPresent(Int64.self, forKey: .output) ?? 0
        reasoning = try usage.decodeIfPresent(Int64.self, forKey: .reasoning) ?? 0
    }

    /// Every token the call processed, each counted once (saturating).
    public var total: Int64 {
        [cachedRead, cacheWrite, output].reduce(input) { sum, next in
            let (value, overflow) = sum.addingReportingOverflow(next)
            return overflow ? .max : value
        }
    }

    /// The counts as prices are applied to them.
    public var tokenCounts: TokenCounts {
        TokenCounts(input: input, output: output, cachedRead: cachedRead, cacheWrite: cacheWrite, total: total, reasoning: reasoning)
    }

    /// Checks that every count is 0 or more and that reasoning is part of output.
    public func validated() throws(UsageError) -> NormalizedUsage {
        for (value, field) in [(input, "input"), (cachedRead, "cached_read"), (cacheWrite, "cache_write"),
                               (output, "output"), (reasoning, "reasoning")] where value < 0 {
            throw .negative(convention: .parley, field: field, value: value)
        }
        if reasoning > output {
            throw .partExceedsWhole(convention: .parley, part: "reasoning", partValue: reasoning, whole: "output", wholeValue: output)
        }
        return self
    }
}

extension Price {
    /// The exact cost of `usage`: input, cache reads, cache writes and output (reasoning
    /// included, at the output price) at their prices, rounded once to the nano-dollar.
    public func cost(of usage: NormalizedUsage) -> Money {
        cost(of: usage.tokenCounts)
    }
}
