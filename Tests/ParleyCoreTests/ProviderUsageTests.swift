import Foundation
import XCTest
@testable import ParleyCore

/// Usage payloads as each provider's API documentation shows them, normalised once and
/// priced to the exact nano-dollar (hand computations in the comments, USD per 1M tokens).
final class ProviderUsageTests: XCTestCase {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static func price(_ model: String, input: Int64, output: Int64, cachedRead: Int64 = 0, cacheWrite: Int64 = 0) -> Price {
        Price(modelPattern: model, inputNanosPerMTok: input, outputNanosPerMTok: output,
              cachedReadNanosPerMTok: cachedRead, cacheWriteNanosPerMTok: cacheWrite)
    }

    static let gpt4o = price("gpt-4o", input: 2_500_000_000, output: 10_000_000_000, cachedRead: 1_250_000_000)
    static let o1 = price("o1", input: 15_000_000_000, output: 60_000_000_000, cachedRead: 7_500_000_000)
    static let sonnet = price("claude-3-5-sonnet", input: 3_000_000_000, output: 15_000_000_000, cachedRead: 300_000_000, cacheWrite: 3_750_000_000)
    static let flash = price("gemini-2.5-flash", input: 300_000_000, output: 2_500_000_000, cachedRead: 75_000_000)

    /// OpenAI's prompt-caching example: 1920 of 2006 prompt tokens cached.
    static let openAICached = """
        {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
         "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
         "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
           "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}
        """
    /// OpenAI's reasoning-model example: 1984 of 2009 completion tokens were reasoning.
    static let openAIReasoning = """
        {"prompt_tokens": 9, "completion_tokens": 2009, "total_tokens": 2018,
         "prompt_tokens_details": {"cached_tokens": 0},
         "completion_tokens_details": {"reasoning_tokens": 1984}}
        """
    /// Anthropic's prompt-caching examples: a cache write, then a cache read.
    static let anthropicWrite = """
        {"input_tokens": 21, "cache_creation_input_tokens": 188086, "cache_read_input_tokens": 0, "output_tokens": 393}
        """
    static let anthropicRead = """
        {"input_tokens": 50, "cache_creation_input_tokens": 248, "cache_read_input_tokens": 100000, "output_tokens": 503,
         "service_tier": "standard"}
        """
    /// Gemini's thinking example (thoughts apart from candidates) and a context-cache hit.
    static let geminiThinking = """
        {"promptTokenCount": 696, "candidatesTokenCount": 1145, "thoughtsTokenCount": 1100, "totalTokenCount": 2941,
         "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 696}]}
        """
    static let geminiCached = """
        {"promptTokenCount": 12000, "cachedContentTokenCount": 10000, "candidatesTokenCount": 400, "totalTokenCount": 12400}
        """

    func testOpenAIPromptIncludesCachedTokens() throws {
        let usage = try decode(OpenAIUsage.self, Self.openAICached).normalized()
        XCTAssertEqual(usage, NormalizedUsage(input: 86, cachedRead: 1920, output: 300))
        XCTAssertEqual(usage.total, 2306)
        // 86 * 2.50 + 1920 * 1.25 + 300 * 10 = 5615 -> $0.005615
        XCTAssertEqual(Self.gpt4o.cost(of: usage), Money(nanos: 5_615_000))
    }

    func testOpenAIReasoningIsOutputKeptApart() throws {
        let usage = try decode(OpenAIUsage.self, Self.openAIReasoning).normalized()
        XCTAssertEqual(usage, NormalizedUsage(input: 9, output: 2009, reasoning: 1984))
        // 9 * 15 + 2009 * 60 = 120675 -> $0.120675; reasoning is not billed twice.
        XCTAssertEqual(Self.o1.cost(of: usage), Money(nanos: 120_675_000))
    }

    func testTheIssuesExampleCostsWhatOpenAIBills() throws {
        // $1 input, $2 output, $0.10 cached read; 1M prompt tokens of which 500k cached.
        let m1 = Self.price("m1", input: 1_000_000_000, output: 2_000_000_000, cachedRead: 100_000_000)
        let usage = try ProviderUsage.openai(OpenAIUsage(promptTokens: 1_000_000, cachedTokens: 500_000, completionTokens: 0)).normalized()
        XCTAssertEqual(m1.cost(of: usage), Money(nanos: 550_000_000))
    }

    func testAnthropicInputExcludesCacheReadsAndWrites() throws {
        let write = try decode(AnthropicUsage.self, Self.anthropicWrite).normalized()
        XCTAssertEqual(write, NormalizedUsage(input: 21, cacheWrite: 188_086, output: 393))
        // 21 * 3 + 188086 * 3.75 + 393 * 15 = 711280.5 -> $0.7112805
        XCTAssertEqual(Self.sonnet.cost(of: write), Money(nanos: 711_280_500))
        let read = try decode(AnthropicUsage.self, Self.anthropicRead).normalized()
        XCTAssertEqual(read, NormalizedUsage(input: 50, cachedRead: 100_000, cacheWrite: 248, output: 503))
        XCTAssertEqual(read.total, 100_801)
        // 50 * 3 + 100000 * 0.30 + 248 * 3.75 + 503 * 15 = 38625 -> $0.038625
        XCTAssertEqual(Self.sonnet.cost(of: read), Money(nanos: 38_625_000))
    }

    func testGeminiThoughtsAreBilledAsOutputAndCachedContentIsPartOfThePrompt() throws {
        let thinking = try decode(GeminiUsage.self, Self.geminiThinking).normalized()
        XCTAssertEqual(thinking, NormalizedUsage(input: 696, output: 2245, reasoning: 1100))
        // 696 * 0.30 + 2245 * 2.50 = 5821.3 -> $0.0058213
        XCTAssertEqual(Self.flash.cost(of: thinking), Money(nanos: 5_821_300))
        let cached = try decode(GeminiUsage.self, Self.geminiCached).normalized()
        XCTAssertEqual(cached, NormalizedUsage(input: 2000, cachedRead: 10_000, output: 400))
        // 2000 * 0.30 + 10000 * 0.075 + 400 * 2.50 = 2350 -> $0.00235
        XCTAssertEqual(Self.flash.cost(of: cached), Money(nanos: 2_350_000))
    }

    func testParleysOwnCountsPassThroughChecked() throws {
        let json = #"{"input": 10, "cached_read": 5, "cache_write": 1, "output": 7, "reasoning": 3}"#
        let usage = try ProviderUsage.parley(decode(NormalizedUsage.self, json)).normalized()
        XCTAssertEqual(usage, NormalizedUsage(input: 10, cachedRead: 5, cacheWrite: 1, output: 7, reasoning: 3))
        XCTAssertThrowsError(try NormalizedUsage(output: 2, reasoning: 3).validated()) { error in
            XCTAssertEqual(error as? UsageError, .partExceedsWhole(convention: .parley, part: "reasoning", partValue: 3, whole: "output", wholeValue: 2))
        }
    }

    func testAMixOfProvidersSumsToTheHandComputation() throws {
        let table = PriceTable([Self.gpt4o, Self.o1, Self.sonnet, Self.flash])
        let turns: [(String, ProviderUsage)] = [
            ("gpt-4o", .openai(try decode(OpenAIUsage.self, Self.openAICached))),
            ("o1", .openai(try decode(OpenAIUsage.self, Self.openAIReasoning))),
            ("claude-3-5-sonnet", .anthropic(try decode(AnthropicUsage.self, Self.anthropicWrite))),
            ("claude-3-5-sonnet", .anthropic(try decode(AnthropicUsage.self, Self.anthropicRead))),
            ("gemini-2.5-flash", .gemini(try decode(GeminiUsage.self, Self.geminiThinking))),
            ("gemini-2.5-flash", .gemini(try decode(GeminiUsage.self, Self.geminiCached))),
            ("unknown-model", .parley(NormalizedUsage(input: 5, output: 6))),
        ]
        var total = Cost.zero
        var cached: Int64 = 0
        var reasoning: Int64 = 0
        for (model, usage) in turns {
            let normalized = try usage.normalized()
            total += table.cost(model: model, at: 0, tokens: normalized.tokenCounts)
            cached += normalized.cachedRead
            reasoning += normalized.reasoning
        }
        // 5615000 + 120675000 + 711280500 + 38625000 + 5821300 + 2350000 nanos
        XCTAssertEqual(total, Cost(priced: Money(nanos: 884_366_800), unpricedTokens: 11))
        XCTAssertEqual(cached, 1920 + 100_000 + 10_000)
        XCTAssertEqual(reasoning, 1984 + 1100)
    }

    func testInconsistentUsageIsATypedError() throws {
        XCTAssertThrowsError(try OpenAIUsage(promptTokens: 10, cachedTokens: 11, completionTokens: 0).normalized()) { error in
            XCTAssertEqual(error as? UsageError, .partExceedsWhole(convention: .openai, part: "prompt_tokens_details.cached_tokens",
                                                                    partValue: 11, whole: "prompt_tokens", wholeValue: 10))
        }
        XCTAssertThrowsError(try OpenAIUsage(promptTokens: 1, completionTokens: 2, reasoningTokens: 3).normalized())
        XCTAssertThrowsError(try OpenAIUsage(promptTokens: 1, completionTokens: 2, totalTokens: 4).normalized()) { error in
            XCTAssertEqual(error as? UsageError, .totalMismatch(convention: .openai, field: "total_tokens", given: 4, sumOfParts: 3))
        }
        XCTAssertThrowsError(try GeminiUsage(promptTokenCount: 5, cachedContentTokenCount: 6, candidatesTokenCount: 0).normalized())
        XCTAssertThrowsError(try GeminiUsage(promptTokenCount: 5, candidatesTokenCount: 1, thoughtsTokenCount: 1, totalTokenCount: 6).normalized())
        XCTAssertThrowsError(try AnthropicUsage(inputTokens: -1, outputTokens: 0).normalized()) { error in
            XCTAssertEqual(error as? UsageError, .negative(convention: .anthropic, field: "input_tokens", value: -1))
            XCTAssertTrue("\(error)".contains("0 or more"))
        }
        // Anthropic's usage given as OpenAI's has none of its fields.
        XCTAssertThrowsError(try decode(OpenAIUsage.self, Self.anthropicRead)) { error in
            XCTAssertEqual(error as? UsageError, .noCounts(convention: .openai, expected: ["prompt_tokens", "completion_tokens"]))
        }
    }
}
