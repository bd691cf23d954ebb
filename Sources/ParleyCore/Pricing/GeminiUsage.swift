/// Gemini's `usageMetadata` (generateContent), as the API returns it:
///
///     {"promptTokenCount": 12000, "cachedContentTokenCount": 10000,
///      "candidatesTokenCount": 400, "thoughtsTokenCount": 1200,
///      "toolUsePromptTokenCount": 0, "totalTokenCount": 13600}
///
/// promptTokenCount INCLUDES cachedContentTokenCount; thoughtsTokenCount is NOT part of
/// candidatesTokenCount and is billed as output; toolUsePromptTokenCount is billed as
/// input. Gemini bills no cache write per call (storage is billed by the hour), so
/// cacheWrite is 0.
public struct GeminiUsage: Sendable, Equatable, Hashable, Decodable {
    public var promptTokenCount: Int64
    public var cachedContentTokenCount: Int64
    public var candidatesTokenCount: Int64
    public var thoughtsTokenCount: Int64
    public var toolUsePromptTokenCount: Int64
    /// totalTokenCount when given, checked against the sum of the other four counts.
    public var totalTokenCount: Int64?

    public init(promptTokenCount: Int64, cachedContentTokenCount: Int64 = 0, candidatesTokenCount: Int64,
                thoughtsTokenCount: Int64 = 0, toolUsePromptTokenCount: Int64 = 0, totalTokenCount: Int64? = nil) {
        self.promptTokenCount = promptTokenCount
        self.cachedContentTokenCount = cachedContentTokenCount
        self.candidatesTokenCount = candidatesTokenCount
        self.thoughtsTokenCount = thoughtsTokenCount
        self.toolUsePromptTokenCount = toolUsePromptTokenCount
        self.totalTokenCount = totalTokenCount
    }

    enum CodingKeys: String, CodingKey {
        case promptTokenCount, cachedContentTokenCount, candidatesTokenCount, thoughtsTokenCount, toolUsePromptTokenCount, totalTokenCount
    }

    public init(from decoder: Decoder) throws {
        let usage = try decoder.container(keyedBy: CodingKeys.self)
        guard usage.contains(.promptTokenCount) || usage.contains(.candidatesTokenCount) || usage.contains(.totalTokenCount) else {
            throw UsageError.noCounts(convention: .gemini, expected: ["promptTokenCount", "candidatesTokenCount", "totalTokenCount"])
        }
        promptTokenCount = try usage.decodeIfPresent(Int64.self, forKey: .promptTokenCount) ?? 0
        cachedContentTokenCount = try usage.decodeIfPresent(Int64.self, forKey: .cachedContentTokenCount) ?? 0
        candidatesTokenCount = try usage.decodeIfPresent(Int64.self, forKey: .candidatesTokenCount) ?? 0
        thoughtsTokenCount = try usage.decodeIfPresent(Int64.self, forKey: .thoughtsTokenCount) ?? 0
        toolUsePromptTokenCount = try usage.decodeIfPresent(Int64.self, forKey: .toolUsePromptTokenCount) ?? 0
        totalTokenCount = try usage.decodeIfPresent(Int64.self, forKey: .totalTokenCount)
    }

    public func normalized() throws(UsageError) -> NormalizedUsage {
        let convention = UsageConvention.gemini
        for (value, field) in [(promptTokenCount, "promptTokenCount"), (cachedContentTokenCount, "cachedContentTokenCount"),
                               (candidatesTokenCount, "candidatesTokenCount"), (thoughtsTokenCount, "thoughtsTokenCount"),
                               (toolUsePromptTokenCount, "toolUsePromptTokenCount")] where value < 0 {
            throw .negative(convention: convention, field: field, value: value)
        }
        if cachedContentTokenCount > promptTokenCount {
            throw .partExceedsWhole(convention: convention, part: "cachedContentTokenCount", partValue: cachedContentTokenCount,
                                    whole: "promptTokenCount", wholeValue: promptTokenCount)
        }
        // Each count is below 2^63 and there are four: sum in 128 bits' worth of checks.
        var sum: Int64 = 0
        var overflow = false
        for part in [promptTokenCount, candidatesTokenCount, thoughtsTokenCount, toolUsePromptTokenCount] {
            let (next, over) = sum.addingReportingOverflow(part)
            sum = next
            overflow = overflow || over
        }
        if overflow {
            throw .totalMismatch(convention: convention, field: "totalTokenCount", given: totalTokenCount ?? .max, sumOfParts: .max)
        }
        if let totalTokenCount, totalTokenCount != sum {
            throw .totalMismatch(convention: convention, field: "totalTokenCount", given: totalTokenCount, sumOfParts: sum)
        }
        return NormalizedUsage(input: promptTokenCount - cachedContentTokenCount + toolUsePromptTokenCount,
                               cachedRead: cachedContentTokenCount,
                               output: candidatesTokenCount + thoughtsTokenCount, reasoning: thoughtsTokenCount)
    }
}
