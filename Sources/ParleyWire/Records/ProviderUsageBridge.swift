import ParleyCore

/// ProviderUsage <-> parley.v1.ProviderUsage: one shape per provider, absent counts 0.
/// Parley's own normalised counts travel as Turn.tokens, not here.
extension ProviderUsage {
    public init(wire m: V1.ProviderUsage) throws(ValidationError) {
        var shapes: [ProviderUsage] = []
        if let u = m.openai {
            shapes.append(.openai(OpenAIUsage(promptTokens: u.promptTokens ?? 0, cachedTokens: u.cachedTokens ?? 0,
                                              completionTokens: u.completionTokens ?? 0, reasoningTokens: u.reasoningTokens ?? 0,
                                              totalTokens: u.totalTokens)))
        }
        if let u = m.anthropic {
            shapes.append(.anthropic(AnthropicUsage(inputTokens: u.inputTokens ?? 0, cacheReadInputTokens: u.cacheReadInputTokens ?? 0,
                                                    cacheCreationInputTokens: u.cacheCreationInputTokens ?? 0,
                                                    outputTokens: u.outputTokens ?? 0)))
        }
        if let u = m.gemini {
            shapes.append(.gemini(GeminiUsage(promptTokenCount: u.promptTokenCount ?? 0, cachedContentTokenCount: u.cachedContentTokenCount ?? 0,
                                              candidatesTokenCount: u.candidatesTokenCount ?? 0, thoughtsTokenCount: u.thoughtsTokenCount ?? 0,
                                              toolUsePromptTokenCount: u.toolUsePromptTokenCount ?? 0, totalTokenCount: u.totalTokenCount)))
        }
        guard shapes.count == 1, let only = shapes.first else {
            throw ValidationError([FieldViolation(field: "usage", reason: shapes.isEmpty
                ? "names no provider; set one of openai, anthropic, gemini (or send tokens in Parley's convention instead)"
                : "sets \(shapes.count) providers' shapes; set exactly one of openai, anthropic, gemini")])
        }
        self = only
    }

    /// The wire shape; `.parley` usage is sent as the turn's tokens, so it has none.
    public var wire: V1.ProviderUsage? {
        switch self {
        case .openai(let u):
            return V1.ProviderUsage(openai: V1.OpenAIUsage(promptTokens: u.promptTokens, completionTokens: u.completionTokens,
                                                           totalTokens: u.totalTokens, cachedTokens: u.cachedTokens,
                                                           reasoningTokens: u.reasoningTokens))
        case .anthropic(let u):
            return V1.ProviderUsage(anthropic: V1.AnthropicUsage(inputTokens: u.inputTokens, outputTokens: u.outputTokens,
                                                                 cacheReadInputTokens: u.cacheReadInputTokens,
                                                                 cacheCreationInputTokens: u.cacheCreationInputTokens))
        case .gemini(let u):
            return V1.ProviderUsage(gemini: V1.GeminiUsage(promptTokenCount: u.promptTokenCount, candidatesTokenCount: u.candidatesTokenCount,
                                                           cachedContentTokenCount: u.cachedContentTokenCount,
                                                           thoughtsTokenCount: u.thoughtsTokenCount,
                                                           toolUsePromptTokenCount: u.toolUsePromptTokenCount, totalTokenCount: u.totalTokenCount))
        case .parley:
            return nil
        }
    }
}

extension V1.TokenCountMethod {
    public init(_ method: TokenCountMethod) {
        switch method {
        case .given: self = .given
        case .counted: self = .counted
        case .estimated: self = .estimated
        }
    }
}
