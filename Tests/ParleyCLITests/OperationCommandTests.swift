@testable import ParleyCLI
import ParleyWire
import XCTest
import ParleyTestSupport

/// prices, log, session, thread and admin against a live server on generated data.
final class OperationCommandTests: XCTestCase {
    var server: ServerHarness!

    override func setUp() async throws {
        server = try await ServerHarness.cliServer()
        let client = server.client()
        try await Fixture.load(into: client)
        await client.close()
    }

    override func tearDown() async throws {
        await server?.stop()
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testPricesSetListDelete() async throws {
        let set = await server.parley(["prices", "set", "gemini-2.5-flash", "--input", "0.075", "--output", "0.30",
                                       "--cached-read", "0.01875", "--effective-from", "2026-01-01", "--format", "json"])
        XCTAssertEqual(set.code, 0, set.err)
        let stored = try json(set.out)
        XCTAssertEqual((stored["input_nanos_per_mtok"] as? NSNumber)?.int64Value, 75_000_000)
        XCTAssertEqual((stored["output_nanos_per_mtok"] as? NSNumber)?.int64Value, 300_000_000)
        XCTAssertEqual((stored["cached_read_nanos_per_mtok"] as? NSNumber)?.int64Value, 18_750_000)
        XCTAssertEqual((stored["effective_from_ms"] as? NSNumber)?.int64Value, 1_767_225_600_000)

        let table = await server.parley(["prices", "list"])
        XCTAssertEqual(table.code, 0, table.err)
        let lines = table.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "model               input  output  cached read  cache write  effective from        source")
        XCTAssertTrue(lines.contains("gemini-2.5-flash   $0.075   $0.30     $0.01875        $0.00  2026-01-01 00:00 UTC  set by hand"), table.out)
        XCTAssertTrue(lines.contains("gpt-4o              $2.50  $10.00        $0.00        $0.00  always                set by hand"), table.out)
        XCTAssertEqual(lines.last, "prices are USD per 1M tokens")

        let listJSON = await server.parley(["prices", "list", "--format", "json"])
        let client = server.client()
        let answer = try await client.listPrices(V1.Empty())
        await client.close()
        XCTAssertEqual(listJSON.out, JSONRender.object(answer) + "\n")

        let csv = await server.parley(["prices", "list", "--format", "csv"])
        XCTAssertEqual(csv.out.split(separator: "\n").first,
                       "model_pattern,input_nanos_per_mtok,output_nanos_per_mtok,cached_read_nanos_per_mtok,cache_write_nanos_per_mtok,effective_from_ms,source")
        XCTAssertTrue(csv.out.contains("\ngemini-2.5-flash,75000000,300000000,18750000,0,1767225600000,\n"), csv.out)

        let delete = await server.parley(["prices", "delete", "gemini-2.5-flash", "--effective-from", "2026-01-01"])
        XCTAssertEqual(delete.code, 0, delete.err)
        let after = await server.parley(["prices", "list", "--format", "csv"])
        XCTAssertFalse(after.out.contains("gemini-2.5-flash"), after.out)
    }

    func testPriceWithTooManyDecimalsIsAUsageError() async {
        let result = await server.parley(["prices", "set", "x", "--input", "0.0000000001", "--output", "1"])
        XCTAssertEqual(result.code, 64)
        XCTAssertEqual(result.err, "parley: --input: \"0.0000000001\" has more than 9 decimals; prices are kept in nano-dollars\n")
    }

    func testLogTurnThenSession() async throws {
        let logged = await server.parley(["log", "turn", "--org", Fixture.org, "--turn-id", "hand-1", "--session", "s-hand",
                                          "--device", "d-1", "--contact", "c-1", "--model", "gpt-4o", "--user-message", "Hi",
                                          "--ai-response", "Hello!", "--input-tokens", "12", "--output-tokens", "30",
                                          "--asked-at", "2026-11-10T10:00:00Z", "--replied-at", "2026-11-10T10:00:02.500Z"])
        XCTAssertEqual(logged.code, 0, logged.err)
        XCTAssertTrue(logged.out.contains("outcome         stored"), logged.out)
        XCTAssertTrue(logged.out.contains("tokens          42"), logged.out)

        let again = await server.parley(["log", "turn", "--org", Fixture.org, "--turn-id", "hand-1", "--session", "s-hand",
                                         "--device", "d-1", "--contact", "c-1", "--model", "gpt-4o", "--user-message", "Hi",
                                         "--ai-response", "Hello!", "--input-tokens", "12", "--output-tokens", "30",
                                         "--asked-at", "2026-11-10T10:00:00Z", "--replied-at", "2026-11-10T10:00:02.500Z",
                                         "--format", "json"])
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(try json(again.out)["outcome"] as? Int, 1)

        let session = await server.parley(["session", "s-hand", "--org", Fixture.org, "--format", "json"])
        XCTAssertEqual(session.code, 0, session.err)
        let metrics = try json(session.out)
        XCTAssertEqual(metrics["turn_count"] as? Int, 1)
        XCTAssertEqual(metrics["total_tokens"] as? Int, 42)
        XCTAssertEqual(metrics["average_response_time_ms"] as? Int, 2_500)

        let table = await server.parley(["session", "s-hand", "--org", Fixture.org])
        XCTAssertTrue(table.out.contains("avg response       2.5 s"), table.out)
        XCTAssertTrue(table.out.contains("started            2026-11-10 10:00"), table.out)
        let csv = await server.parley(["session", "s-hand", "--org", Fixture.org, "--format", "csv"])
        let lines = csv.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("organization_id,session_id,"))
        XCTAssertTrue(lines[1].hasPrefix("acme,s-hand,"))
    }

    func testLogTurnRejectedNamesTheField() async {
        let result = await server.parley(["log", "turn", "--org", Fixture.org, "--session", "bad session", "--input-tokens", "1"])
        XCTAssertEqual(result.code, 65)
        XCTAssertTrue(result.err.hasPrefix("parley: the server answered INVALID_ARGUMENT"), result.err)
        XCTAssertTrue(result.err.contains("session_id"), result.err)
    }

    func testLogMessageLeadFeedback() async throws {
        let message = await server.parley(["log", "message", "--org", Fixture.org, "--id", "m-hand", "--contact", "c-1",
                                           "--direction", "inbound", "--content", "hello"])
        XCTAssertEqual(message.code, 0, message.err)
        XCTAssertEqual(message.out, "message m-hand: stored\n")
        let lead = await server.parley(["log", "lead", "--org", Fixture.org, "--session", "s-3", "--name", "Ada",
                                        "--email", "ada@example.com", "--format", "json"])
        XCTAssertEqual(lead.code, 0, lead.err)
        let metrics = try json(lead.out)
        XCTAssertEqual(metrics["has_lead"] as? Bool, true)
        XCTAssertEqual(metrics["lead_email"] as? String, "ada@example.com")
        let feedback = await server.parley(["log", "feedback", "--org", Fixture.org, "--session", "s-3", "--score", "5"])
        XCTAssertEqual(feedback.code, 0, feedback.err)
        XCTAssertTrue(feedback.out.contains("satisfaction       5.0"), feedback.out)
        XCTAssertTrue(feedback.out.contains("lead               Ada, ada@example.com"), feedback.out)
    }

    func testThreadNewestFirst() async throws {
        let result = await server.parley(["thread", "c-1", "--org", Fixture.org, "--page-size", "2", "--format", "json"])
        XCTAssertEqual(result.code, 0, result.err)
        let request = V1.ThreadRequest(organizationID: Fixture.org, contactID: "c-1", pageSize: 2)
        let client = server.client()
        let page = try await client.contactThread(request)
        await client.close()
        XCTAssertEqual(result.out, JSONRender.object(page) + "\n")
        let newest = Fixture.turns.filter { $0.contact == "c-1" }.last
        XCTAssertEqual(page.entries.first?.reply?.turnID, newest?.id)
        XCTAssertTrue(result.out.contains("next_page_token"))
        let all = await server.parley(["thread", "c-1", "--org", Fixture.org, "--all", "--format", "json"])
        let entries = try json(all.out)["entries"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.count, Fixture.turns.filter { $0.contact == "c-1" }.count)
        let table = await server.parley(["thread", "c-1", "--org", Fixture.org, "--page-size", "2"])
        XCTAssertTrue(table.out.contains("older entries: --page-token"), table.out)
    }

    func testAdminStatsCheckBackfillBackup() async throws {
        let stats = await server.parley(["admin", "stats", "--format", "json"])
        XCTAssertEqual(stats.code, 0, stats.err)
        let figures = try json(stats.out)
        XCTAssertGreaterThan(figures["pages"] as? Int ?? 0, 0)
        XCTAssertFalse((figures["trees"] as? [[String: Any]] ?? []).isEmpty)
        let table = await server.parley(["admin", "stats"])
        XCTAssertTrue(table.out.contains("file size"), table.out)
        XCTAssertTrue(table.out.contains("free pages"), table.out)
        XCTAssertTrue(table.out.contains("tree"), table.out)

        let check = await server.parley(["admin", "check"])
        XCTAssertEqual(check.code, 0, check.err)
        XCTAssertTrue(check.out.hasPrefix("clean:"), check.out)
        XCTAssertTrue(check.err.contains("check"), "progress goes to standard error: \(check.err)")

        let backfill = await server.parley(["admin", "backfill", "--org", Fixture.org])
        XCTAssertEqual(backfill.code, 0, backfill.err)
        XCTAssertTrue(backfill.out.contains("rebuilt 20 sessions"), backfill.out)

        let path = NSTemporaryDirectory() + "parley-backup-\(UUID().uuidString).db"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backup = await server.parley(["admin", "backup", path, "--format", "json"])
        XCTAssertEqual(backup.code, 0, backup.err)
        XCTAssertGreaterThan((try json(backup.out)["bytes"] as? NSNumber)?.int64Value ?? 0, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let twice = await server.parley(["admin", "backup", path])
        XCTAssertEqual(twice.code, 65)
        XCTAssertTrue(twice.err.contains("ALREADY_EXISTS"), twice.err)
    }

    func testAdminRetainAndRepairTokens() async throws {
        let repair = await server.parley(["admin", "repair-tokens", "--org", Fixture.org, "--format", "json"])
        XCTAssertEqual(repair.code, 0, repair.err)
        XCTAssertEqual(try json(repair.out)["examined"] as? Int, Fixture.turnCount)
        let retain = await server.parley(["admin", "retain", "--older-than", "2026-11-03", "--org", Fixture.org])
        XCTAssertEqual(retain.code, 0, retain.err)
        XCTAssertFalse(retain.out.isEmpty)
    }

    func testPingAndInfo() async throws {
        let ping = await server.parley(["ping", "--count", "2"])
        XCTAssertEqual(ping.code, 0, ping.err)
        let lines = ping.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("connected to parleyd "), ping.out)
        XCTAssertTrue(lines[3].hasPrefix("min "), ping.out)
        let info = await server.parley(["info", "--format", "json"])
        XCTAssertEqual(info.code, 0, info.err)
        let object = try json(info.out)
        XCTAssertNotNil(object["version"] as? String)
        XCTAssertFalse((object["calls"] as? [[String: Any]] ?? []).isEmpty, "the fixture's calls are counted")
        let table = await server.parley(["info"])
        XCTAssertTrue(table.out.hasPrefix("version"), table.out)
        XCTAssertTrue(table.out.contains("LogTurns"), table.out)
    }

    func testEveryCommandHasHelpWithAnExample() async {
        let leaves = [["report", "devices"], ["report", "models"], ["report", "daily"], ["report", "personas"],
                      ["report", "contacts"], ["report", "hourly"], ["report", "sessions"], ["report", "conversion"],
                      ["usage"], ["thread"], ["session"], ["prices", "list"], ["prices", "set"], ["prices", "delete"],
                      ["log", "turn"], ["log", "message"], ["log", "lead"], ["log", "feedback"],
                      ["admin", "backfill"], ["admin", "retain"], ["admin", "repair-tokens"], ["admin", "check"],
                      ["admin", "stats"], ["admin", "backup"], ["import"], ["export", "turns"], ["export", "messages"],
                      ["export", "report"], ["ping"], ["info"]]
        for path in leaves {
            let help = await CommandResult.run(path + ["--help"])
            XCTAssertEqual(help.code, 0, path.joined(separator: " "))
            XCTAssertTrue(help.out.contains("Example"), "\(path.joined(separator: " ")) --help shows an example:\n\(help.out)")
        }
    }
}
