import ParleyClient
import ParleyCore
import ParleyServer
import ParleyStore
import ParleyWire
import XCTest
import ParleyTestSupport

/// Every analytics RPC through a live server, against the store's own answer.
final class AnalyticsServiceTests: XCTestCase {
    static let base: Millis = 1_736_467_200_000 // 2025-01-10 00:00 UTC
    static let window = TimeWindow(since: base, until: base + 3 * 86_400_000)

    private func seeded() async throws -> (ServerHarness, ParleyClient) {
        let server = try await ServerHarness.startWithStore()
        let client = server.client()
        for org in ["o1", "o2"] {
            var device = V1.Device()
            device.organizationID = org
            device.deviceID = "d1"
            device.name = "Front desk"
            _ = try await client.call(ParleyRPC.upsertDevice, device)
            var turns: [V1.Turn] = []
            for n in 0..<60 {
                let at = Self.base + Millis(n) * 3_000_000
                if n % 2 == 0 {
                    let message = Message(messageId: "m\(n)", organizationId: org, contactId: "c\(n % 3)", direction: .inbound, content: "q\(n)", createdAt: at - 1000)
                    _ = try await client.call(ParleyRPC.logMessage, message.wire)
                }
                turns.append(Turn(turnId: "t\(n)", organizationId: org, sessionId: "s\(n / 6)", deviceId: n % 4 == 0 ? "" : "d1", messageId: n % 2 == 0 ? "m\(n)" : "",
                                  contactId: "c\(n % 3)", personaId: "p\(n % 2)", model: n % 3 == 0 ? "gpt-4o" : "mystery-model", userMessage: "q\(n)", aiResponse: "a\(n)",
                                  tokens: TokenCounts(input: 100 + Int64(n), output: 50), userMessageAt: at - 1000, repliedAt: at).wire)
            }
            var batch = V1.LogTurnsRequest()
            batch.turns = turns
            _ = try await client.call(ParleyRPC.logTurns, batch)
            var lead = V1.Lead()
            lead.organizationID = org
            lead.sessionID = "s1"
            lead.name = "Ada"
            lead.capturedAtMs = Self.base + 9 * 3_000_000
            _ = try await client.call(ParleyRPC.captureLead, lead)
        }
        return (server, client)
    }

    private func request(org: String = "o1", zone: String? = nil) -> V1.ReportRequest {
        V1.ReportRequest(organizationID: org, window: V1.TimeWindow(sinceMs: Self.window.since, untilMs: Self.window.until), timeZone: zone)
    }

    private func usageRequest(org: String = "o1") -> V1.UsageRequest {
        V1.UsageRequest(organizationID: org, window: V1.TimeWindow(sinceMs: Self.window.since, untilMs: Self.window.until))
    }

    func testEveryReportRPCAnswersWhatTheStoreAnswers() async throws {
        let (server, client) = try await seeded()
        let store = try XCTUnwrap(server.instance).store
        let query = ReportQuery(organization: "o1", window: Self.window, timeZone: "Europe/Berlin")

        let devices = try await client.call(ParleyRPC.reportDevices, request(zone: "Europe/Berlin"))
        XCTAssertEqual(devices.rows, try store.reportDevices(query).map(\.wire))
        XCTAssertEqual(devices.rows.first?.deviceName, "Front desk")

        let models = try await client.call(ParleyRPC.reportModels, request())
        XCTAssertEqual(models.rows, try store.reportModels(query).rows.map(\.wire))
        XCTAssertEqual(models.rows.first { $0.model == "mystery-model" }?.priced, false)

        let daily = try await client.call(ParleyRPC.reportDaily, request(zone: "Europe/Berlin"))
        XCTAssertEqual(daily.rows, try store.reportDaily(query).map(\.wire))

        var personasRequest = V1.ReportRequest()
        personasRequest.organizationID = "o1"
        let personas = try await client.call(ParleyRPC.reportPersonas, personasRequest)
        XCTAssertEqual(personas.rows, try store.reportPersonas(ReportQuery(organization: "o1", window: ReportQuery.allTime)).map(\.wire))

        let contacts = try await client.call(ParleyRPC.reportContacts, request())
        XCTAssertEqual(contacts.rows.count, 3)

        let hourly = try await client.call(ParleyRPC.reportHourly, request(zone: "Europe/Berlin"))
        XCTAssertEqual(hourly.rows, try store.reportHourly(query).map(\.wire))

        let sessions = try await client.call(ParleyRPC.reportSessions, request())
        XCTAssertEqual(sessions.sessions, 9, "s0 starts (its first user message) 1 s before the window")
        XCTAssertEqual(sessions.sessionsWithLead, 1)

        let conversion = try await client.call(ParleyRPC.reportConversion, request())
        XCTAssertEqual(conversion.sessionsWithLead, 1)
        XCTAssertEqual(conversion.avgTurnsToLead, 4)
        XCTAssertEqual(conversion.personas.count, 2)

        var usage = usageRequest()
        usage.groupBy = [.device, .persona]
        usage.granularity = .day
        let answer = try await client.call(ParleyRPC.usage, usage)
        let expected = try store.usage(organization: "o1", query: UsageQuery(window: Self.window, granularity: .day, groupBy: [.device, .persona]))
        XCTAssertEqual(answer.rows, expected.rows.map(\.wire))
        XCTAssertEqual(answer.rows.reduce(0) { $0 + ($1.count ?? 0) }, 60)

        await client.close()
        await server.stop()
    }

    /// A window from Int64.min to Int64.max is all time, for every report and Usage: the
    /// server answers as for `ReportQuery.allTime` instead of trapping on cell arithmetic.
    func testAWindowAtTheEndsOfTheTimeLineIsAllTime() async throws {
        let (server, client) = try await seeded()
        let store = try XCTUnwrap(server.instance).store
        var request = V1.ReportRequest(organizationID: "o1", window: V1.TimeWindow(sinceMs: .min, untilMs: .max), timeZone: "Asia/Kolkata")
        let query = ReportQuery(organization: "o1", window: ReportQuery.allTime, timeZone: "Asia/Kolkata")
        let answer1 = try await client.call(ParleyRPC.reportDevices, request)
        XCTAssertEqual(answer1.rows, try store.reportDevices(query).map(\.wire))
        let answer2 = try await client.call(ParleyRPC.reportModels, request)
        XCTAssertEqual(answer2.rows, try store.reportModels(query).rows.map(\.wire))
        let answer3 = try await client.call(ParleyRPC.reportDaily, request)
        XCTAssertEqual(answer3.rows, try store.reportDaily(query).map(\.wire))
        let answer4 = try await client.call(ParleyRPC.reportPersonas, request)
        XCTAssertEqual(answer4.rows, try store.reportPersonas(query).map(\.wire))
        let answer5 = try await client.call(ParleyRPC.reportContacts, request)
        XCTAssertEqual(answer5.rows, try store.reportContacts(query).map(\.wire))
        let answer6 = try await client.call(ParleyRPC.reportHourly, request)
        XCTAssertEqual(answer6.rows, try store.reportHourly(query).map(\.wire))
        let answer7 = try await client.call(ParleyRPC.reportSessions, request)
        XCTAssertEqual(answer7.sessions, 10)
        let answer8 = try await client.call(ParleyRPC.reportConversion, request)
        XCTAssertEqual(answer8.sessions, 10)
        request.window = V1.TimeWindow(sinceMs: .min, untilMs: .min + 1)
        let answer9 = try await client.call(ParleyRPC.reportModels, request)
        XCTAssertEqual(answer9.rows, [], "a window before all time is empty")
        var usage = V1.UsageRequest(organizationID: "o1", window: V1.TimeWindow(sinceMs: .min, untilMs: .max))
        usage.groupBy = [.device, .persona]
        usage.granularity = .month
        let expected = try store.usage(organization: "o1", query: UsageQuery(window: ReportQuery.allTime, granularity: .month, groupBy: [.device, .persona]))
        let answer10 = try await client.call(ParleyRPC.usage, usage)
        XCTAssertEqual(answer10.rows, expected.rows.map(\.wire))
        await client.close()
        await server.stop()
    }

    func testThreadPagesRetentionArchivesAndRepairAndExportWork() async throws {
        let (server, client) = try await seeded()
        var thread = V1.ThreadRequest()
        thread.organizationID = "o1"
        thread.contactID = "c0"
        thread.pageSize = UInt32(7)
        var seen: [V1.ThreadEntry] = []
        var token: String?
        repeat {
            thread.pageToken = token
            let page = try await client.call(ParleyRPC.contactThread, thread)
            seen += page.entries
            token = page.nextPageToken
        } while token != nil
        XCTAssertEqual(seen.count, 20, "every turn of c0 appears once, with or without a logged message")

        let before = try await client.call(ParleyRPC.reportModels, request())
        var retain = V1.RetainRequest()
        retain.olderThanMs = Self.base + 86_400_000
        retain.organizationID = "o1"
        var last: V1.Progress?
        for try await progress in client.stream(ParleyRPC.retainDetail, retain) { last = progress }
        XCTAssertEqual(last?.finished, true)
        XCTAssertGreaterThan(last?.done ?? 0, 0)
        let after = try await client.call(ParleyRPC.reportModels, request())
        XCTAssertEqual(before, after, "rollups survive retention")

        thread.pageToken = String?.none
        thread.pageSize = UInt32(100)
        let archived = try await client.call(ParleyRPC.contactThread, thread).entries
        XCTAssertEqual(archived.count, 20)
        XCTAssertTrue(archived.contains { $0.archived == true })
        XCTAssertTrue(FileManager.default.fileExists(atPath: server.dataDirectory + "/archive.db"))

        var repair = V1.RepairTokensRequest()
        repair.organizationID = "o2"
        let repaired = try await client.call(ParleyRPC.repairTokens, repair)
        XCTAssertEqual(repaired.examined, 60)
        XCTAssertEqual(repaired.tokensFixed, 0)

        var export = V1.ExportRequest()
        export.organizationID = "o2"
        var exported = 0
        for try await batch in client.stream(ParleyRPC.exportTurns, export) { exported += batch.turns.count }
        XCTAssertEqual(exported, 60)
        export = V1.ExportRequest()
        export.organizationID = "o2"
        exported = 0
        for try await batch in client.stream(ParleyRPC.exportMessages, export) { exported += batch.messages.count }
        XCTAssertEqual(exported, 30)

        await client.close()
        await server.stop()
    }
}

/// parleyd --retain-days: the scheduler archives old detail at start.
final class RetentionSchedulerTests: XCTestCase {
    func testScheduledRetentionArchivesDetailOlderThanTheDays() async throws {
        let server = try await ServerHarness.startWithStore { $0.retainDays = 1 }
        let client = server.client()
        let old = Millis(Date().timeIntervalSince1970 * 1000) - 3 * 86_400_000
        _ = try await client.call(ParleyRPC.logTurn, Turn(turnId: "old", organizationId: "o", sessionId: "s", model: "gpt-4o", userMessage: "q", aiResponse: "a",
                                                 tokens: TokenCounts(input: 1, output: 1), repliedAt: old).wire)
        await server.instance?.stop()
        // A restart runs the scheduler's first pass right away.
        let reopened = try await ServerHarness.startWithStore(dataDirectory: server.dataDirectory) { $0.retainDays = 1 }
        try await waitFor { FileManager.default.fileExists(atPath: reopened.dataDirectory + "/archive.db") && (try? reopened.instance?.store.turn(organization: "o", id: "old")) == .some(nil) }
        await client.close()
        await reopened.stop()
    }

    private func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertTrue(condition())
    }
}
