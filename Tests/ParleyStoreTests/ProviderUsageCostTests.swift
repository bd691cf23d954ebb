import ParleyCore
import ParleyStore
import XCTest

/// Turns logged with each provider's usage are priced on their normalised counts: a
/// report over a mix of providers equals the hand computation below.
final class ProviderUsageCostTests: StoreTestCase {
    func testAReportOverAMixOfProvidersEqualsAHandComputation() async throws {
        let store = try openStore()
        // USD per 1M tokens: $1 input, $2 output, $0.10 cache read, $1.25 cache write.
        _ = try await store.setPrice(Price(modelPattern: "m1", inputNanosPerMTok: 1_000_000_000, outputNanosPerMTok: 2_000_000_000,
                                           cachedReadNanosPerMTok: 100_000_000, cacheWriteNanosPerMTok: 1_250_000_000))
        let usages: [ProviderUsage] = [
            // input 500,000 x 1 + cached 500,000 x 0.1 = 550,000,000 nanos
            .openai(OpenAIUsage(promptTokens: 1_000_000, cachedTokens: 500_000, completionTokens: 0)),
            // input 9 x 1 + output 2009 x 2 (1984 of it reasoning) = 4,027,000 nanos
            .openai(OpenAIUsage(promptTokens: 9, completionTokens: 2009, reasoningTokens: 1984, totalTokens: 2018)),
            // input 50 x 1 + cached 100,000 x 0.1 + write 248 x 1.25 + output 503 x 2
            //   = 50,000 + 10,000,000 + 310,000 + 1,006,000 = 11,366,000 nanos
            .anthropic(AnthropicUsage(inputTokens: 50, cacheReadInputTokens: 100_000, cacheCreationInputTokens: 248, outputTokens: 503)),
            // input (12,000 - 10,000) x 1 + cached 10,000 x 0.1 + output (400 + 1,200) x 2
            //   = 2,000,000 + 1,000,000 + 3,200,000 = 6,200,000 nanos
            .gemini(GeminiUsage(promptTokenCount: 12_000, cachedContentTokenCount: 10_000, candidatesTokenCount: 400,
                                thoughtsTokenCount: 1_200, totalTokenCount: 13_600)),
        ]
        for (i, usage) in usages.enumerated() {
            var raw = turn("t\(i)", at: 1_700_000_000_000 + Millis(i) * 1_000, tokens: nil, model: "m1")
            raw.usage = usage
            let (stored, _, _) = try accepted(await log(store, raw))
            XCTAssertEqual(stored.usage, usage)
            XCTAssertEqual(stored.tokenCountMethod, .given)
        }
        let report = try store.reportModels(ReportQuery(organization: "org1",
                                                        window: TimeWindow(since: 1_699_990_000_000, until: 1_700_010_000_000)))
        let row = try XCTUnwrap(report.rows.first { $0.model == "m1" })
        XCTAssertEqual(row.cost.priced, Money(nanos: 550_000_000 + 4_027_000 + 11_366_000 + 6_200_000))
        XCTAssertEqual(row.inputTokens, 500_000 + 9 + 50 + 2_000)
        XCTAssertEqual(row.outputTokens, 2009 + 503 + 1_600)
        XCTAssertEqual(row.totalTokens, 1_000_000 + 2018 + 100_801 + 13_600, "every token once, cache reads and writes included")
        XCTAssertEqual(row.cachedReadTokens, 500_000 + 100_000 + 10_000)
        XCTAssertEqual(row.cacheWriteTokens, 248)
        XCTAssertEqual(row.reasoningTokens, 1984 + 1_200)

        // Every report that sums tokens shows the same parts as their own columns.
        let query = ReportQuery(organization: "org1", window: TimeWindow(since: 1_699_990_000_000, until: 1_700_010_000_000))
        let parts = [Int64(610_000), 248, 3_184]
        func partsOf(_ r: some TokenPartsRow) -> [Int64] { [r.cachedReadTokens, r.cacheWriteTokens, r.reasoningTokens] }
        XCTAssertEqual(try store.reportDevices(query).map(partsOf), [parts])
        XCTAssertEqual(try store.reportDaily(query).map(partsOf), [parts])
        XCTAssertEqual(try store.reportPersonas(query).map(partsOf), [parts])
        XCTAssertEqual(try store.reportContacts(query).map(partsOf), [parts])
        XCTAssertEqual(try store.reportHourly(query).map(partsOf).reduce([0, 0, 0]) { zip($0, $1).map { $0 + $1 } }, parts,
                       "the hours' parts add up to the window's")
        let usage = try store.usage(organization: "org1", query: UsageQuery(window: query.window, granularity: .none, groupBy: []))
        XCTAssertEqual(usage.rows.map { [$0.tokens.cachedRead, $0.tokens.cacheWrite, $0.tokens.reasoning] }, [parts])
    }
}
