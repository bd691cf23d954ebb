import XCTest
@testable import ParleyCore

/// Intake of a turn that carries its provider's usage: normalised once, kept as given,
/// priced on the normalised counts; and turns without counts counted by the counter.
final class TurnUsageIntakeTests: XCTestCase {
    /// The price: $1 input, $2 output, $0.10 cached read per 1M tokens.
    let m1 = Price(modelPattern: "m1", inputNanosPerMTok: 1_000_000_000, outputNanosPerMTok: 2_000_000_000,
                   cachedReadNanosPerMTok: 100_000_000)

    func raw(usage: ProviderUsage?, tokens: TokenCounts? = nil) -> Turn {
        Turn(turnId: "t-1", organizationId: "org1", sessionId: "s1", model: "m1",
             userMessage: "hello there", aiResponse: "hi", tokens: tokens, usage: usage, repliedAt: 1_000)
    }

    func testOpenAIPromptIncludingCacheReadsIsPricedAsOpenAIBills() throws {
        // 1,000,000 prompt tokens of which 500,000 cache reads, no output:
        // 500,000 x $1/1M + 500,000 x $0.10/1M = $0.55 (the issue: Parley said $1.05).
        let usage = ProviderUsage.openai(OpenAIUsage(promptTokens: 1_000_000, cachedTokens: 500_000, completionTokens: 0))
        let stored = try TurnIntake().accept(raw(usage: usage), personaDefaultModel: nil, receivedAt: 0)
        XCTAssertEqual(stored.tokens, TokenCounts(input: 500_000, output: 0, cachedRead: 500_000, total: 1_000_000))
        XCTAssertEqual(stored.usage, usage, "the usage is kept as the provider reported it")
        XCTAssertEqual(stored.tokenCountMethod, .given)
        XCTAssertEqual(m1.cost(of: try XCTUnwrap(stored.tokens)), Money(nanos: 550_000_000))
    }

    func testReasoningIsOutputKeptApart() throws {
        // OpenAI's reasoning example: 2009 completion tokens, 1984 of them reasoning:
        // 9 x $1/1M + 2009 x $2/1M = 9,000 + 4,018,000 nanos = 4,027,000 nanos.
        let usage = ProviderUsage.openai(OpenAIUsage(promptTokens: 9, completionTokens: 2009, reasoningTokens: 1984, totalTokens: 2018))
        let tokens = try XCTUnwrap(TurnIntake().accept(raw(usage: usage), personaDefaultModel: nil, receivedAt: 0).tokens)
        XCTAssertEqual(tokens, TokenCounts(input: 9, output: 2009, total: 2018, reasoning: 1984))
        XCTAssertEqual(m1.cost(of: tokens), Money(nanos: 4_027_000))
    }

    func testAnthropicAndGeminiAreNormalisedByTheirConventions() throws {
        let anthropic = ProviderUsage.anthropic(AnthropicUsage(inputTokens: 50, cacheReadInputTokens: 100_000,
                                                               cacheCreationInputTokens: 248, outputTokens: 503))
        XCTAssertEqual(try TurnIntake().accept(raw(usage: anthropic), personaDefaultModel: nil, receivedAt: 0).tokens,
                       TokenCounts(input: 50, output: 503, cachedRead: 100_000, cacheWrite: 248, total: 100_801))
        let gemini = ProviderUsage.gemini(GeminiUsage(promptTokenCount: 12_000, cachedContentTokenCount: 10_000,
                                                      candidatesTokenCount: 400, thoughtsTokenCount: 1_200, totalTokenCount: 13_600))
        XCTAssertEqual(try TurnIntake().accept(raw(usage: gemini), personaDefaultModel: nil, receivedAt: 0).tokens,
                       TokenCounts(input: 2_000, output: 1_600, cachedRead: 10_000, total: 13_600, reasoning: 1_200))
    }

    func testBadUsageIsRejectedNamingTheProvidersField() {
        let usage = ProviderUsage.openai(OpenAIUsage(promptTokens: 10, cachedTokens: 20, completionTokens: 1))
        XCTAssertThrowsError(try TurnIntake().accept(raw(usage: usage), personaDefaultModel: nil, receivedAt: 0)) { error in
            let violation = (error as? ValidationError)?.violations.first
            XCTAssertEqual(violation?.field, "usage.openai")
            XCTAssertTrue(violation?.reason.contains("prompt_tokens_details.cached_tokens") == true, "\(String(describing: violation))")
        }
    }

    func testUsageAndTokensTogetherAreRejected() {
        let usage = ProviderUsage.anthropic(AnthropicUsage(inputTokens: 1, outputTokens: 1))
        XCTAssertThrowsError(try TurnIntake().accept(raw(usage: usage, tokens: TokenCounts(input: 1, output: 1)),
                                                     personaDefaultModel: nil, receivedAt: 0)) { error in
            XCTAssertEqual((error as? ValidationError)?.violations.map(\.field), ["usage"])
        }
    }

    func testGivenTotalDefaultsToEveryTokenOnce() throws {
        let stored = try TurnIntake().accept(raw(usage: nil, tokens: TokenCounts(input: 10, output: 20, cachedRead: 30, cacheWrite: 40)),
                                             personaDefaultModel: nil, receivedAt: 0)
        XCTAssertEqual(stored.tokens?.total, 100)
        XCTAssertEqual(stored.tokenCountMethod, .given)
    }

    func testReasoningAboveOutputIsRejected() {
        XCTAssertThrowsError(try TurnIntake().accept(raw(usage: nil, tokens: TokenCounts(input: 1, output: 2, reasoning: 3)),
                                                     personaDefaultModel: nil, receivedAt: 0)) { error in
            XCTAssertEqual((error as? ValidationError)?.violations.map(\.field), ["tokens.reasoning"])
        }
    }

    struct WordCounter: TurnTokenCounter {
        var method: TokenCountMethod { .counted }
        func count(_ text: String) -> Int64 { Int64(text.split(separator: " ").count) }
    }

    func testTurnsWithoutCountsAreCountedByTheCounterAndMarked() throws {
        let counted = try TurnIntake(tokenCounter: WordCounter()).accept(raw(usage: nil), personaDefaultModel: nil, receivedAt: 0)
        XCTAssertEqual(counted.tokens, TokenCounts(input: 2, output: 1, total: 3))
        XCTAssertEqual(counted.tokenCountMethod, .counted)
        let estimated = try TurnIntake().accept(raw(usage: nil), personaDefaultModel: nil, receivedAt: 0)
        XCTAssertEqual(estimated.tokenCountMethod, .estimated)
        XCTAssertTrue(estimated.tokensEstimated)
        XCTAssertTrue(TurnIntake(tokenCounter: WordCounter()).isRetry(raw(usage: nil), of: estimated, personaDefaultModel: nil),
                      "a retry is the same write whichever counter counted the first try")
    }

    func testStoredTurnKeepsUsageAndMethod() throws {
        for usage in [ProviderUsage.openai(OpenAIUsage(promptTokens: 5, cachedTokens: 2, completionTokens: 3, reasoningTokens: 1)),
                      .anthropic(AnthropicUsage(inputTokens: 1, cacheReadInputTokens: 2, cacheCreationInputTokens: 3, outputTokens: 4)),
                      .gemini(GeminiUsage(promptTokenCount: 9, cachedContentTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 11)),
                      .parley(NormalizedUsage(input: 1, cachedRead: 2, cacheWrite: 3, output: 4, reasoning: 1))] {
            let stored = try TurnIntake().accept(raw(usage: usage), personaDefaultModel: nil, receivedAt: 7)
            XCTAssertEqual(try RecordCoder.decode(Turn.self, from: RecordCoder.encode(stored)), stored)
        }
    }

    func testVersion1TurnsStillDecode() throws {
        // A version-1 turn: version byte, presence (tokens + receivedAt), 13 empty texts,
        // five counts, receivedAt, tokens_estimated = true.
        var writer = ByteWriter()
        writer.writeByte(1)
        writer.writeVarint(0b1000_0001)
        for _ in 0..<13 { writer.writeString("") }
        for count: Int64 in [3, 4, 0, 0, 7] { writer.writeSigned(count) }
        writer.writeSigned(42)
        writer.writeBool(true)
        let turn = try RecordCoder.decode(Turn.self, from: writer.bytes)
        XCTAssertEqual(turn.tokens, TokenCounts(input: 3, output: 4, total: 7))
        XCTAssertEqual(turn.tokenCountMethod, .estimated)
        XCTAssertEqual(turn.receivedAt, 42)
    }
}
