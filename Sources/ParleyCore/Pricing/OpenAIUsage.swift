/// OpenAI's `usage` object (Chat Completions), as the API returns it:
///
///     {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
///      "prompt_tokens_details": {"cached_tokens": 1920},
///      "completion_tokens_details": {"reasoning_tokens": 128}}
///
/// prompt_tokens INCLUDES cached_tokens and completion_tokens INCLUDES reasoning_tokens.
/// Audio and predicted-output details are not priced apart (Price has no audio price).
public struct OpenAIUsage: Sendable, Equatable, Hashable, Decodable {
    public var promptTokens: Int64
    public var cachedTokens: Int64
    public var completionTokens: Int64
    public var reasoningTokens: Int64
    /// total_tokens when given, checked against prompt + completion.
    public var totalTokens: Int64?

    public init(promptTokens: Int64, cachedTokens: Int64 = 0, completionTokens: Int64, reasoningTokens: Int64 = 0, totalTokens: Int64? = nil) {
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.completionTokens = completionTokens
        self.reasoningTokens = reasoningTokens
        self.totalTokens = totalTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
        case promptDetails = "prompt_tokens_details", completionDetails = "completion_tokens_details"
    }

    enum PromptDetailsKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    enum CompletionDetailsKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }

    public init(from decoder: Decoder) throws {
        let usage = try decoder.container(keyedBy: CodingKeys.self)
        guard usage.contains(.promptTokens) || usage.contains(.completionTokens) else {
            throw UsageError.noCounts(convention: .openai, expected: ["prompt_tokens", "completion_tokens"])
        }
        promptTokens = try usage.decodeIfPresent(Int64.self, forKey: .promptTokens) ?? 0
        completionTokens = try usage.decodeIfPresent(Int64.self, forKey: .completionTokens) ?? 0
        totalTokens = try usage.decodeIfPresent(Int64.self, forKey: .totalTokens)
        cachedTokens = try (usage.contains(.promptDetails) && !usage.decodeNil(forKey: .promptDetails))
            ? usage.nestedContainer(keyedBy: PromptDetailsKeys.self, forKey: .promptDetails).decodeIfPresent(Int64.self, forKey: .cachedTokens) ?? 0
            : 0
        reasoningTokens = try (usage.contains(.completionDetails) && !usage.decodeNil(forKey: .completionDetails))
            ? usage.nestedContainer(keyedBy: CompletionDetailsKeys.self, forKey: .completionDetails).decodeIfPresent(Int64.self, forKey: .reasoningTokens) ?? 0
            : 0
    }

    public func normalized() throws(UsageError) -> NormalizedUsage {
        let convention = UsageConvention.openai
        for (value, field) in [(promptTokens, "prompt_tokens"), (cachedTokens, "prompt_tokens_details.cached_tokens"),
                               (completionTokens, "completion_tokens"), (reasoningTokens, "completion_tokens_details.reasoning_tokens")] where value < 0 {
            throw .negative(convention: convention, field: field, value: value)
        }
        if cachedTokens > promptTokens {
            throw .partExceedsWhole(convention: convention, part: "prompt_tokens_details.cached_tokens", partValue: cachedTokens,
                                    whole: "prompt_tokens", wholeValue: promptTokens)
        }
        if reasoningTokens > completionTokens {
            throw .partExceedsWhole(convention: convention, part: "completion_tokens_details.reasoning_tokens", partValue: reasoningTokens,
                                    whole: "completion_tokens", wholeValue: completionTokens)
        }
        let (sum, overflow) = promptTokens.addingReportingOverflow(completionTokens)
        if let totalTokens, overflow || totalTokens != sum {
            throw .totalMismatch(convention: convention, field: "total_tokens", given: totalTokens, sumOfParts: overflow ? .max : sum)
        }
        return NormalizedUsage(input: promptTokens - cachedTokens, cachedRead: cachedTokens,
                               output: completionTokens, reasoning: reasoningTokens)
    }
}
