@testable import ParleyCLI
import ParleyWire
import XCTest
import ParleyTestSupport

/// `parley tokens count`, `parley prices import` and `parley import --usage-format`
/// against a live server (with no vocabulary, so counts are the estimate).
final class TokensAndPricesCommandTests: XCTestCase {
    var server: ServerHarness!
    var directory: String!

    override func setUp() async throws {
        server = try await ServerHarness.cliServer()
        directory = NSTemporaryDirectory() + "parley-tokens-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        await server?.stop()
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTokensCountSaysTheMethod() async throws {
        let result = await server.parley(["tokens", "count", "abcdefgh", "abcd", "--format", "json"])
        XCTAssertEqual(result.code, 0, result.err)
        XCTAssertEqual(result.out, #"{"counts":[2,1],"encoding":"cl100k_base","method":"estimated (no vocabulary on the server)","total":3}"# + "\n")
        let table = await server.parley(["tokens", "count", "abcdefgh"])
        XCTAssertTrue(table.out.contains("2 tokens, estimated"), table.out)
    }

    func testPricesImportStoresGoodEntriesExactlyAndReportsBadOnes() async throws {
        let path = try write("catalog.json", """
        {"sample_spec": {"input_cost_per_token": 0.0},
         "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06},
         "claude-x": {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                      "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06},
         "bad-number": {"input_cost_per_token": "cheap", "output_cost_per_token": 1e-06},
         "negative": {"input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06},
         "dall-e": {"input_cost_per_pixel": 1e-08}}
        """)
        let result = await server.parley(["prices", "import", path, "--effective-from", "2026-01-01"])
        XCTAssertEqual(result.code, 0, result.err)
        XCTAssertTrue(result.out.hasPrefix("imported 2 prices from \(path), effective from 2026-01-01 00:00 UTC"), result.out)
        XCTAssertTrue(result.out.contains("bad-number: input_cost_per_token is"), result.out)
        XCTAssertTrue(result.out.contains("negative: input_cost_per_token is -1e-06; a cost is 0 or more"), result.out)
        XCTAssertFalse(result.out.contains("dall-e"), "entries without per-token costs are counted, not listed")
        XCTAssertTrue(result.out.contains("skipped 4 entries (2 without per-token costs"), result.out)

        let client = server.client()
        let prices = try await client.listPrices(V1.Empty()).prices
        await client.close()
        let gpt = try XCTUnwrap(prices.first { $0.modelPattern == "gpt-4o" })
        XCTAssertEqual(gpt.inputNanosPerMtok, 2_500_000_000)
        XCTAssertEqual(gpt.outputNanosPerMtok, 10_000_000_000)
        XCTAssertEqual(gpt.cachedReadNanosPerMtok, 1_250_000_000)
        XCTAssertEqual(gpt.cacheWriteNanosPerMtok, 2_500_000_000, "no cache-write cost: priced as input")
        XCTAssertEqual(gpt.source, "litellm catalog catalog.json")
        let claude = try XCTUnwrap(prices.first { $0.modelPattern == "claude-x" })
        XCTAssertEqual(claude.cacheWriteNanosPerMtok, 3_750_000_000)
        let listed = await server.parley(["prices", "list"])
        XCTAssertTrue(listed.out.contains("litellm catalog catalog.json"), listed.out)
    }

    func testImportReadsTokenColumnsInTheNamedConvention() async throws {
        let path = try write("openai.csv", """
        id,organization_id,session_id,model,user_message,ai_response,input_tokens,cached_read_tokens,output_tokens,reasoning_tokens,created_at
        u-1,acme,s-1,gpt-4o,q,a,1000,400,300,100,2026-11-03 10:00:00
        u-2,acme,s-1,gpt-4o,q,a,10,20,1,0,2026-11-03 10:01:00

        """)
        let result = await server.parley(["import", path, "--usage-format", "openai"])
        XCTAssertTrue(result.out.contains("1 stored"), result.out + result.err)
        XCTAssertTrue(result.err.contains("line 3:") && result.err.contains("cached_tokens (20) exceeds prompt_tokens (10)"), result.err)
        let client = server.client()
        let turn = try await client.getTurn(V1.TurnKey(organizationID: "acme", turnID: "u-1"))
        await client.close()
        XCTAssertEqual(turn.tokens?.input, 600, "openai's prompt count includes its cached tokens")
        XCTAssertEqual(turn.tokens?.cachedRead, 400)
        XCTAssertEqual(turn.tokens?.output, 300)
        XCTAssertEqual(turn.tokens?.reasoning, 100)
        XCTAssertEqual(turn.tokens?.total, 1300)
        XCTAssertEqual(turn.tokenCountMethod, .given)
    }
}
