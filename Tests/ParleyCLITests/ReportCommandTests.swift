@testable import ParleyCLI
import ParleyClient
import ParleyWire
import XCTest

/// `parley report ...` and `parley usage` against a live server on generated data. The
/// report RPCs come with the analytics branch: until it is merged each test skips.
final class ReportCommandTests: XCTestCase {
    var server: LiveServer!

    override func setUp() async throws {
        server = try await LiveServer.start()
        let client = server.client()
        try await Fixture.load(into: client)
        await client.close()
    }

    override func tearDown() async throws {
        await server?.stop()
    }

    func request(top: UInt32 = 0) -> V1.ReportRequest {
        V1.ReportRequest(organizationID: Fixture.org, window: V1.TimeWindow(sinceMs: Fixture.sinceMs, untilMs: Fixture.untilMs),
                         timeZone: "UTC", top: top > 0 ? top : nil)
    }

    /// The report's RPC answer, asked directly, as JSONRender prints it.
    func rpcJSON(_ kind: ReportKind, _ client: ParleyClient) async throws -> String {
        let r = request()
        switch kind {
        case .devices: return JSONRender.object(try await client.reportDevices(r))
        case .models: return JSONRender.object(try await client.reportModels(r))
        case .daily: return JSONRender.object(try await client.reportDaily(r))
        case .personas: return JSONRender.object(try await client.reportPersonas(r))
        case .contacts: return JSONRender.object(try await client.reportContacts(r))
        case .hourly: return JSONRender.object(try await client.reportHourly(r))
        case .sessions: return JSONRender.object(try await client.reportSessions(r))
        case .conversion: return JSONRender.object(try await client.reportConversion(r))
        }
    }

    /// The command's JSON equals the RPC's answer as JSONRender prints it.
    func assertJSONEqualsRPC(_ kind: ReportKind, file: StaticString = #filePath, line: UInt = #line) async throws {
        let result = await server.parley(["report", kind.rawValue, "--format", "json", "--tz", "UTC"] + Fixture.windowArgs)
        XCTAssertEqual(result.code, 0, result.err, file: file, line: line)
        let client = server.client()
        let answer = try await rpcJSON(kind, client)
        await client.close()
        XCTAssertEqual(result.out, answer + "\n", file: file, line: line)
    }

    func rows(_ json: String, _ field: String = "rows") throws -> [[String: Any]] {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return object[field] as? [[String: Any]] ?? []
    }

    func testReportDevices() async throws {
        try await assertJSONEqualsRPC(.devices)
        let json = await server.parley(["report", "devices", "--format", "json"] + Fixture.windowArgs)
        let byDevice = Dictionary(uniqueKeysWithValues: try rows(json.out).map { ($0["device_id"] as? String ?? "", $0) })
        for (id, name, phone) in Fixture.devices {
            let turns = Fixture.turns.filter { $0.device == id }
            let row = try XCTUnwrap(byDevice[id])
            XCTAssertEqual(row["device_name"] as? String, name)
            XCTAssertEqual(row["phone_number"] as? String, phone)
            XCTAssertEqual(row["conversations"] as? Int, turns.count)
            XCTAssertEqual((row["total_tokens"] as? NSNumber)?.int64Value, turns.reduce(0) { $0 + $1.input + $1.output })
        }
        let table = await server.parley(["report", "devices"] + Fixture.windowArgs)
        XCTAssertTrue(table.out.contains("Front desk (d-1)"), table.out)
        XCTAssertTrue(table.out.contains("+15550001"), table.out)
        let csv = await server.parley(["report", "devices", "--format", "csv"] + Fixture.windowArgs)
        let lines = csv.out.split(separator: "\n")
        XCTAssertEqual(lines.first, "device_id,device_name,phone_number,conversations,total_tokens,avg_tokens,last_conversation_ms,cached_read_tokens,cache_write_tokens,reasoning_tokens")
        XCTAssertEqual(lines.count, 1 + Fixture.devices.count)
    }

    func testReportModels() async throws {
        try await assertJSONEqualsRPC(.models)
        let json = await server.parley(["report", "models", "--format", "json"] + Fixture.windowArgs)
        for row in try rows(json.out) {
            let model = try XCTUnwrap(row["model"] as? String)
            let turns = Fixture.turns.filter { $0.model == model }
            XCTAssertEqual(row["conversations"] as? Int, turns.count)
            XCTAssertEqual((row["input_tokens"] as? NSNumber)?.int64Value, turns.reduce(0) { $0 + $1.input })
            XCTAssertEqual((row["output_tokens"] as? NSNumber)?.int64Value, turns.reduce(0) { $0 + $1.output })
            let cost = try XCTUnwrap(row["cost"] as? [String: Any])
            if model == "gpt-4o" {
                let expected = turns.reduce(Int64(0)) { $0 + $1.input * 2_500 + $1.output * 10_000 }
                XCTAssertEqual((cost["nanos"] as? NSNumber)?.int64Value, expected)
            }
            if model == "mistral-large" {
                XCTAssertEqual((cost["unpriced_tokens"] as? NSNumber)?.int64Value, turns.reduce(0) { $0 + $1.input + $1.output })
            }
        }
        let table = await server.parley(["report", "models"] + Fixture.windowArgs)
        XCTAssertTrue(table.out.contains("unpriced tokens"), table.out)
        XCTAssertTrue(table.out.contains("total cost: $"), table.out)
    }

    func testReportDaily() async throws {
        try await assertJSONEqualsRPC(.daily)
        let table = await server.parley(["report", "daily"] + Fixture.windowArgs)
        XCTAssertEqual(table.code, 0, table.err)
        XCTAssertTrue(table.out.contains("2026-11-02"), table.out)
        XCTAssertTrue(table.out.contains("▁") || table.out.contains("█"), "a sparkline per model: \(table.out)")
        let json = await server.parley(["report", "daily", "--format", "json"] + Fixture.windowArgs)
        let total = try rows(json.out).reduce(Int64(0)) { $0 + (($1["tokens"] as? NSNumber)?.int64Value ?? 0) }
        XCTAssertEqual(total, Fixture.turns.reduce(0) { $0 + $1.input + $1.output })
    }

    func testReportPersonas() async throws {
        try await assertJSONEqualsRPC(.personas)
        let table = await server.parley(["report", "personas"] + Fixture.windowArgs)
        XCTAssertTrue(table.out.contains("Sales bot (p-sales)"), table.out)
    }

    func testReportContacts() async throws {
        try await assertJSONEqualsRPC(.contacts)
        let json = await server.parley(["report", "contacts", "--format", "json"] + Fixture.windowArgs)
        let interactions = try rows(json.out).reduce(0) { $0 + ($1["interactions"] as? Int ?? 0) }
        XCTAssertEqual(interactions, Fixture.turnCount)
        let top = await server.parley(["report", "contacts", "--top", "2", "--format", "csv"] + Fixture.windowArgs)
        XCTAssertEqual(top.out.split(separator: "\n").count, 3)
    }

    func testReportHourly() async throws {
        try await assertJSONEqualsRPC(.hourly)
        let table = await server.parley(["report", "hourly"] + Fixture.windowArgs)
        XCTAssertTrue(table.out.contains("conversations by hour (UTC)"), table.out)
        XCTAssertTrue(table.out.contains(" 00 01 02"), table.out)
    }

    func testReportSessions() async throws {
        try await assertJSONEqualsRPC(.sessions)
        let json = await server.parley(["report", "sessions", "--format", "json"] + Fixture.windowArgs)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        XCTAssertEqual(object["sessions"] as? Int, 20)
        XCTAssertEqual(object["sessions_with_lead"] as? Int, 2)
    }

    func testReportConversion() async throws {
        try await assertJSONEqualsRPC(.conversion)
        let table = await server.parley(["report", "conversion"] + Fixture.windowArgs)
        XCTAssertTrue(table.out.contains("lead rate"), table.out)
    }

    func testUsageGroupedByModelPerDay() async throws {
        let result = await server.parley(["usage", "--group-by", "model", "--granularity", "day", "--order-by", "total-tokens",
                                          "--format", "json"] + Fixture.windowArgs)
        XCTAssertEqual(result.code, 0, result.err)
        let r = V1.UsageRequest(organizationID: Fixture.org,
                                window: V1.TimeWindow(sinceMs: Fixture.sinceMs, untilMs: Fixture.untilMs),
                                timeZone: "UTC", granularity: .day, groupBy: [.model], orderBy: .totalTokens)
        let client = server.client()
        let answer = try await client.usage(r)
        await client.close()
        XCTAssertEqual(result.out, JSONRender.object(answer) + "\n")
        let total = try rows(result.out).reduce(Int64(0)) { $0 + (($1["total_tokens"] as? NSNumber)?.int64Value ?? 0) }
        XCTAssertEqual(total, Fixture.turns.reduce(0) { $0 + $1.input + $1.output })
        let table = await server.parley(["usage", "--group-by", "model"] + Fixture.windowArgs)
        XCTAssertTrue(table.out.contains("gpt-4o"), table.out)
    }
}
