import XCTest
@testable import ParleyCore

final class LiteLLMCatalogTests: XCTestCase {
    static let catalog = #"""
        {
          "sample_spec": {"max_tokens": "LEGACY parameter", "input_cost_per_token": 0.0, "output_cost_per_token": 0.0},
          "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
                     "cache_read_input_token_cost": 1.25e-06, "litellm_provider": "openai", "mode": "chat"},
          "claude-3-5-sonnet-20241022": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                     "cache_creation_input_token_cost": 3.75e-06, "cache_read_input_token_cost": 3e-07},
          "gemini/gemini-2.5-flash": {"input_cost_per_token": 0.0000003, "output_cost_per_token": 0.0000025,
                     "cache_read_input_token_cost": 7.5E-8, "input_cost_per_token_above_200k_tokens": 6e-07},
          "text-embedding-3-small": {"input_cost_per_token": 2e-08, "output_cost_per_token": 0.0},
          "noisy-model": {"input_cost_per_token": 3.3333333333333335e-07, "output_cost_per_token": 1.0000000000000002e-06},
          "dall-e-3": {"input_cost_per_pixel": 4.0054321e-08, "output_cost_per_pixel": 0.0},
          "quoted-model": {"input_cost_per_token": "0.000001", "output_cost_per_token": 2e-06},
          "negative-model": {"input_cost_per_token": -1e-06, "output_cost_per_token": 2e-06},
          "huge-model": {"input_cost_per_token": 1e+10, "output_cost_per_token": 2e-06},
          "bad name": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
          "listed-as-array": [1, 2],
          "gpt-4o": {"input_cost_per_token": 9e-06, "output_cost_per_token": 9e-06}
        }
        """#

    func testGoodEntriesAreImportedExactlyAndBadOnesReported() throws {
        let result = try LiteLLMCatalog.read(Array(Self.catalog.utf8), effectiveFrom: 1_700_000_000_000)
        let prices = Dictionary(uniqueKeysWithValues: result.prices.map { ($0.price.modelPattern, $0) })
        XCTAssertEqual(prices.keys.sorted(), ["claude-3-5-sonnet-20241022", "gemini/gemini-2.5-flash", "gpt-4o", "noisy-model", "text-embedding-3-small"])
        XCTAssertEqual(prices["gpt-4o"]?.price, Price(modelPattern: "gpt-4o", inputNanosPerMTok: 2_500_000_000, outputNanosPerMTok: 10_000_000_000,
                                                       cachedReadNanosPerMTok: 1_250_000_000, cacheWriteNanosPerMTok: 2_500_000_000,
                                                       effectiveFrom: 1_700_000_000_000))
        XCTAssertEqual(prices["gpt-4o"]?.notes, ["no cache_creation_input_token_cost: cache writes priced as input"])
        XCTAssertEqual(prices["claude-3-5-sonnet-20241022"]?.price, Price(modelPattern: "claude-3-5-sonnet-20241022", inputNanosPerMTok: 3_000_000_000,
                                                                           outputNanosPerMTok: 15_000_000_000, cachedReadNanosPerMTok: 300_000_000,
                                                                           cacheWriteNanosPerMTok: 3_750_000_000, effectiveFrom: 1_700_000_000_000))
        XCTAssertEqual(prices["claude-3-5-sonnet-20241022"]?.notes, [])
        XCTAssertEqual(prices["gemini/gemini-2.5-flash"]?.price.inputNanosPerMTok, 300_000_000)
        XCTAssertEqual(prices["gemini/gemini-2.5-flash"]?.price.outputNanosPerMTok, 2_500_000_000)
        XCTAssertEqual(prices["gemini/gemini-2.5-flash"]?.price.cachedReadNanosPerMTok, 75_000_000)
        XCTAssertEqual(prices["text-embedding-3-small"]?.price.inputNanosPerMTok, 20_000_000)
        XCTAssertEqual(prices["text-embedding-3-small"]?.price.outputNanosPerMTok, 0)
        // Float noise below a nano-dollar per 1M tokens is rounded, and said so.
        XCTAssertEqual(prices["noisy-model"]?.price.inputNanosPerMTok, 333_333_333)
        XCTAssertEqual(prices["noisy-model"]?.price.outputNanosPerMTok, 1_000_000_000)
        XCTAssertEqual(prices["noisy-model"]?.notes.first, "input_cost_per_token 3.3333333333333335e-07 rounded to 333333333 nano-dollars per 1M tokens")

        XCTAssertEqual(result.skipped.map(\.model), ["sample_spec", "dall-e-3", "quoted-model", "negative-model", "huge-model", "bad name", "listed-as-array", "gpt-4o"])
        let reasons = Dictionary(result.skipped.map { ($0.model, $0.reason) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(reasons["sample_spec"], .documentationEntry)
        XCTAssertEqual(reasons["dall-e-3"], .noTokenPrices)
        XCTAssertEqual(reasons["quoted-model"], .notANumber(field: "input_cost_per_token", found: "a string"))
        XCTAssertEqual(reasons["negative-model"], .negative(field: "input_cost_per_token", text: "-1e-06"))
        XCTAssertEqual(reasons["huge-model"], .tooLarge(field: "input_cost_per_token", text: "1e+10"))
        XCTAssertEqual(reasons["listed-as-array"], .notAnObject(found: "an array"))
        XCTAssertEqual(result.skipped.last?.reason, .duplicate)
        guard case .invalidPrice(let error)? = reasons["bad name"] else { return XCTFail("bad name: \(String(describing: reasons["bad name"]))") }
        XCTAssertEqual(error.violations.map(\.field), ["model_pattern"])
    }

    func testAFileThatIsNotACatalogIsAnError() {
        XCTAssertThrowsError(try LiteLLMCatalog.read(Array("[1]".utf8), effectiveFrom: 0)) { error in
            XCTAssertEqual(error as? CatalogError, .notAnObject(found: "an array"))
        }
        XCTAssertThrowsError(try LiteLLMCatalog.read(Array(#"{"a": {"input_cost_per_token": 01}}"#.utf8), effectiveFrom: 0)) { error in
            XCTAssertEqual(error as? CatalogError, .invalidJSON(JSONParser.SyntaxError(offset: 31, reason: "a number with a leading zero")))
        }
        XCTAssertThrowsError(try LiteLLMCatalog.read(Array(#"{"a": "#.utf8), effectiveFrom: 0))
    }

    func testPerTokenCostsConvertExactly() {
        let cases: [(String, PerTokenCost.Conversion)] = [
            ("2.5e-06", .exact(2_500_000_000)), ("0.0000025", .exact(2_500_000_000)), ("1E-5", .exact(10_000_000_000)),
            ("0", .exact(0)), ("0.0", .exact(0)), ("-0", .exact(0)), ("1.5e-15", .rounded(2)), ("1.4e-15", .rounded(1)),
            ("1e-16", .rounded(0)), ("1e-15", .exact(1)), ("9.223372036854775807e3", .exact(.max)), ("9.3e3", .tooLarge),
            ("1e999999999999", .tooLarge), ("1e-999999999999", .rounded(0)), ("-2e-6", .negative), ("1e", .notANumber),
            ("abc", .notANumber), ("1.", .notANumber), ("", .notANumber), ("0.00000000000000000000000000001e25", .exact(100_000_000_000)),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(PerTokenCost.nanosPerMTok(text), expected, text)
        }
    }

    func testTheParserKeepsNumberTextAndDecodesEscapes() throws {
        let value = try JSONParser.parse(Array(#" {"a\u00e9\ud83d\ude00": [1.50, true, null, "x\n"]} "#.utf8))
        XCTAssertEqual(value, .object([(key: "aé😀", value: .array([.number("1.50"), .bool(true), .null, .string("x\n")]))]))
        XCTAssertThrowsError(try JSONParser.parse(Array(String(repeating: "[", count: 100).utf8)))
        XCTAssertThrowsError(try JSONParser.parse(Array(#"{"a": 1,}"#.utf8)))
        XCTAssertThrowsError(try JSONParser.parse(Array("\"\\ud800\"".utf8)))
    }
}
