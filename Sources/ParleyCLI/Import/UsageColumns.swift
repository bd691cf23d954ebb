import ParleyCore

/// An imported row's token columns read in the convention `parley import --usage-format`
/// names, and normalised by ParleyCore's one conversion into Parley's convention:
///
/// | column | parley | openai | anthropic | gemini |
/// |---|---|---|---|---|
/// | input_tokens | input, excl. cache | prompt_tokens, INCL. cached | input_tokens, excl. cache | promptTokenCount, INCL. cached |
/// | cached_read_tokens | cache reads | cached_tokens | cache_read_input_tokens | cachedContentTokenCount |
/// | cache_write_tokens | cache writes | (none) | cache_creation_input_tokens | (none) |
/// | output_tokens | output, INCL. reasoning | completion_tokens, INCL. reasoning | output_tokens | candidatesTokenCount, EXCL. thoughts |
/// | reasoning_tokens | part of output | reasoning_tokens | (none) | thoughtsTokenCount |
/// | tokens_used | total | total_tokens | (checked) | totalTokenCount |
struct UsageColumns {
    var input: Int64?
    var cachedRead: Int64?
    var cacheWrite: Int64?
    var output: Int64?
    var reasoning: Int64?
    var total: Int64?

    var isEmpty: Bool { [input, cachedRead, cacheWrite, output, reasoning, total].allSatisfy { $0 == nil } }

    func normalized(_ convention: UsageConvention) throws(RowReason) -> TokenCounts {
        func none(_ value: Int64?, _ column: String) throws(RowReason) {
            if let value, value != 0 {
                throw RowReason("\(column) is \(value), but \(convention.rawValue) usage reports no such count; use --usage-format parley")
            }
        }
        do {
            var counts: TokenCounts
            switch convention {
            case .parley:
                counts = try NormalizedUsage(input: input ?? 0, cachedRead: cachedRead ?? 0, cacheWrite: cacheWrite ?? 0,
                                             output: output ?? 0, reasoning: reasoning ?? 0).validated().tokenCounts
                counts.total = total ?? 0 // 0: the server fills every token once
                return counts
            case .openai:
                try none(cacheWrite, "cache_write_tokens")
                return try OpenAIUsage(promptTokens: input ?? 0, cachedTokens: cachedRead ?? 0, completionTokens: output ?? 0,
                                       reasoningTokens: reasoning ?? 0, totalTokens: total).normalized().tokenCounts
            case .anthropic:
                try none(reasoning, "reasoning_tokens")
                counts = try AnthropicUsage(inputTokens: input ?? 0, cacheReadInputTokens: cachedRead ?? 0,
                                            cacheCreationInputTokens: cacheWrite ?? 0, outputTokens: output ?? 0).normalized().tokenCounts
            case .gemini:
                try none(cacheWrite, "cache_write_tokens")
                return try GeminiUsage(promptTokenCount: input ?? 0, cachedContentTokenCount: cachedRead ?? 0,
                                       candidatesTokenCount: output ?? 0, thoughtsTokenCount: reasoning ?? 0,
                                       totalTokenCount: total).normalized().tokenCounts
            }
            if let total, total != counts.total {
                throw RowReason("tokens_used is \(total) but the \(convention.rawValue) counts add up to \(counts.total)")
            }
            return counts
        } catch let error as UsageError {
            throw RowReason(error.description)
        } catch let reason as RowReason {
            throw reason
        } catch {
            throw RowReason("\(error)")
        }
    }
}
