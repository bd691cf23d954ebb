/// Whose meaning a turn's token counts have. Providers disagree on whether the prompt
/// count includes cached tokens and on where reasoning tokens go, so a count means
/// nothing until its convention is known (`import --usage-format` names one of these).
public enum UsageConvention: String, Sendable, CaseIterable {
    /// OpenAI's `usage`: prompt_tokens INCLUDES prompt_tokens_details.cached_tokens;
    /// completion_tokens INCLUDES completion_tokens_details.reasoning_tokens.
    case openai
    /// Anthropic's `usage`: input_tokens EXCLUDES cache_read_input_tokens and
    /// cache_creation_input_tokens; output_tokens includes any thinking.
    case anthropic
    /// Gemini's `usageMetadata`: promptTokenCount INCLUDES cachedContentTokenCount;
    /// candidatesTokenCount EXCLUDES thoughtsTokenCount, which is billed as output.
    case gemini
    /// Parley's own `NormalizedUsage`: input excludes cache reads and writes; output
    /// includes reasoning, which is also given apart.
    case parley
}
