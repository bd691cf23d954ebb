import XCTest
@testable import ParleyCore

final class PriceTableTests: XCTestCase {
    func testSeedDefaults() {
        let table = PriceTable.seedDefaults
        let tokens = TokenCounts(input: 1_000_000, output: 1_000_000, total: 2_000_000)
        XCTAssertEqual(table.cost(model: "gpt-4o-mini", at: 0, tokens: tokens), Cost(priced: Money(nanos: 12_500_000_000)))
        XCTAssertEqual(table.cost(model: "claude-3-5-haiku-20241022", at: 5, tokens: tokens), Cost(priced: Money(nanos: 1_500_000_000)))
        XCTAssertEqual(table.cost(model: "gemini-2.5-flash", at: 5, tokens: tokens), Cost(priced: .zero))
        XCTAssertEqual(table.cost(model: "mistral-large", at: 5, tokens: tokens), Cost(priced: .zero, unpricedTokens: 2_000_000))
        XCTAssertEqual(table.cost(model: "", at: 5, tokens: tokens).unpricedTokens, 2_000_000)
    }

    func testExactBeatsLongestPrefixBeatsShorter() {
        let table = PriceTable([
            Price(modelPattern: "gpt*", inputNanosPerMTok: 1),
            Price(modelPattern: "gpt-4o*", inputNanosPerMTok: 2),
            Price(modelPattern: "gpt-4o-mini", inputNanosPerMTok: 3),
        ])
        XCTAssertEqual(table.resolve(model: "gpt-4o-mini", at: 0)?.inputNanosPerMTok, 3)
        XCTAssertEqual(table.resolve(model: "gpt-4o-2024", at: 0)?.inputNanosPerMTok, 2)
        XCTAssertEqual(table.resolve(model: "gpt-3.5", at: 0)?.inputNanosPerMTok, 1)
        XCTAssertNil(table.resolve(model: "claude", at: 0))
    }

    func testEffectiveDates() {
        var table = PriceTable([
            Price(modelPattern: "m*", inputNanosPerMTok: 10, effectiveFrom: 0),
            Price(modelPattern: "m*", inputNanosPerMTok: 20, effectiveFrom: 1_000),
            Price(modelPattern: "m-1", inputNanosPerMTok: 30, effectiveFrom: 2_000),
        ])
        XCTAssertEqual(table.resolve(model: "m-1", at: 999)?.inputNanosPerMTok, 10)
        XCTAssertEqual(table.resolve(model: "m-1", at: 1_000)?.inputNanosPerMTok, 20)
        XCTAssertEqual(table.resolve(model: "m-1", at: 2_000)?.inputNanosPerMTok, 30)
        XCTAssertNil(table.resolve(model: "m-1", at: -1))
        table.upsert(Price(modelPattern: "m*", inputNanosPerMTok: 25, effectiveFrom: 1_000))
        XCTAssertEqual(table.prices.count, 3)
        XCTAssertEqual(table.resolve(model: "m-2", at: 1_500)?.inputNanosPerMTok, 25)
        XCTAssertTrue(table.remove(modelPattern: "m*", effectiveFrom: 1_000))
        XCTAssertFalse(table.remove(modelPattern: "m*", effectiveFrom: 1_000))
        XCTAssertEqual(table.resolve(model: "m-2", at: 1_500)?.inputNanosPerMTok, 10)
    }

    func testRoundingAndNoOverflow() {
        let price = Price(modelPattern: "x", inputNanosPerMTok: 2_500_000_000, outputNanosPerMTok: 1)
        // 1 token at $2.50/1M = 2500 nanos exactly; 1 output token at 1 nano/1M rounds to 0.
        XCTAssertEqual(price.cost(of: TokenCounts(input: 1, output: 1)), Money(nanos: 2_500))
        // Half rounds up: 500_000 tokens * 1 nano / 1M = 0.5.
        XCTAssertEqual(price.cost(of: TokenCounts(output: 500_000)), Money(nanos: 1))
        XCTAssertEqual(price.cost(of: TokenCounts(output: 499_999)), Money(nanos: 0))
        // 2^40 tokens * $10/1M would overflow a 64-bit product; the 128-bit sum does not.
        let big = Price(modelPattern: "x", outputNanosPerMTok: 10_000_000_000)
        XCTAssertEqual(big.cost(of: TokenCounts(output: 1 << 40)), Money(nanos: 10_995_116_277_760_000))
        XCTAssertEqual(big.cost(of: TokenCounts(output: .max)), Money(nanos: .max))
    }

    func testValidation() {
        XCTAssertNoThrow(try Price(modelPattern: "gpt-4o*").validate())
        XCTAssertNoThrow(try Price(modelPattern: "*").validate())
        for bad in [Price(modelPattern: ""), Price(modelPattern: "g*t"), Price(modelPattern: "a b"), Price(modelPattern: "m", inputNanosPerMTok: -1)] {
            XCTAssertThrowsError(try bad.validate(), bad.modelPattern)
        }
    }

    func testMoneyDescriptionAndCostSum() {
        XCTAssertEqual(Money(nanos: 2_500_000_000).description, "$2.500000000")
        XCTAssertEqual(Money(nanos: -5).description, "-$0.000000005")
        XCTAssertEqual(Money(nanos: .max) + Money(nanos: 1), Money(nanos: .max))
        XCTAssertEqual(Cost(priced: Money(nanos: 1), unpricedTokens: 2) + Cost(priced: Money(nanos: 3), unpricedTokens: 4),
                       Cost(priced: Money(nanos: 4), unpricedTokens: 6))
    }
}
