/// A turn's usage as its provider reported it, kept as given; `normalized()` is the one
/// place each convention is turned into Parley's (`NormalizedUsage`), which is what
/// gets priced.
public enum ProviderUsage: Sendable, Equatable, Hashable {
    case openai(OpenAIUsage)
    case anthropic(AnthropicUsage)
    case gemini(GeminiUsage)
    case parley(NormalizedUsage)

    public var convention: UsageConvention {
        switch self {
        case .openai: return .openai
        case .anthropic: return .anthropic
        case .gemini: return .gemini
        case .parley: return .parley
        }
    }

    public func normalized() throws(UsageError) -> NormalizedUsage {
        switch self {
        case .openai(let usage): return try usage.normalized()
        case .anthropic(let usage): return try usage.normalized()
        case .gemini(let usage): return try usage.normalized()
        case .parley(let usage): return try usage.validated()
        }
    }
}
