/// Anthropic's `usage` object (Messages API), as the API returns it:
///
///     {"input_tokens": 2095, "cache_creation_input_tokens": 2051,
///      "cache_read_input_tokens": 0, "output_tokens": 503}
///
/// input_tokens EXCLUDES both cache counts; output_tokens includes extended thinking,
/// which Anthropic does not report apart (so reasoning is 0 here). Cache writes are
/// priced at one cache-write price whatever their time to live.
public struct AnthropicUsage: Sendable, Equatable, Hashable, Decodable {
    public var inputTokens: Int64
    public var cacheReadInputTokens: Int64
    public var cacheCreationInputTokens: Int64
    public var outputTokens: Int64

    public init(inputTokens: Int64, cacheReadInputTokens: Int64 = 0, cacheCreationInputTokens: Int64 = 0, outputTokens: Int64) {
        self.inputTokens = inputTokens
        self.cacheReadInputTokens = cacheReadInputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
        self.outputTokens = outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens", outputTokens = "output_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens", cacheCreationInputTokens = "cache_creation_input_tokens"
    }

    public init(from decoder: Decoder) throws {
        let usage = try decoder.container(keyedBy: CodingKeys.self)
        guard usage.contains(.inputTokens) || usage.contains(.outputTokens) else {
            throw UsageError.noCounts(convention: .anthropic, expected: ["input_tokens", "output_tokens"])
        }
        inputTokens = try usage.decodeIfPresent(Int64.self, forKey: .inputTokens) ?? 0
        outputTokens = try usage.decodeIfPresent(Int64.self, forKey: .outputTokens) ?? 0
        cacheReadInputTokens = try usage.decodeIfPresent(Int64.self, forKey: .cacheReadInputTokens) ?? 0
        cacheCreationInputTokens = try usage.decodeIfPresent(Int64.self, forKey: .cacheCreationInputTokens) ?? 0
    }

    public func normalized() throws(UsageError) -> NormalizedUsage {
        for (value, field) in [(inputTokens, "input_tokens"), (cacheReadInputTokens, "cache_read_input_tokens"),
                               (cacheCreationInputTokens, "cache_creation_input_tokens"), (outputTokens, "output_tokens")] where value < 0 {
            throw .negative(convention: .anthropic, field: field, value: value)
        }
        return NormalizedUsage(input: inputTokens, cachedRead: cacheReadInputTokens, cacheWrite: cacheCreationInputTokens,
                               output: outputTokens)
    }
}
