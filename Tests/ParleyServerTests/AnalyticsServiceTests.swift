import ParleyClient
import ParleyCore
import ParleyServer
import ParleyStore
import ParleyWire
import XCTest

/// Every analytics RPC through a live server, against the store's own answer.
final class AnalyticsServiceTests: XCTestCase {
    static let base: Millis = 1_736_467_200_000 // 2025-01-10 00:00 UTC
    static let window = TimeWindow(since: base, until: base + 3 * 86_400_000)

    private func seeded() async throws -> (ServerHarness, ParleyClient) {
        let server = try await ServerHarness.startWithStore()
        let client = server.client()
        for org in ["o1", "o2"] {
            var device = ProtoMessage(Method.upsertDevice.requestType)
            device.set("organization_id", org)
            device.set("device_id", "d1")
            device.set("name", "Front desk")
            _ = try await client.call(.upsertDevice, device)
            var turns: [ProtoMessage] = []
            for n in 0..<60 {
                let at = Self.base + Millis(n) * 3_000_000
                if n % 2 == 0 {
                    let message = Message(messageId: "m\(n)", organizationId: org, contactId: "c\(n % 3)", direction: .inbound, content: "q\(n)", createdAt: at - 1000)
                    _ = try await client.call(.logMessage, message.proto)
                }
                turns.append(Turn(turnId: "t\(n)", organizationId: org, sessionId: "s\(n / 6)", deviceId: n % 4 == 0 ? "" : "d1", messageId: n % 2 == 0 ? "m\(n)" : "",
                                  contactId: "c\(n % 3)", personaId: "p\(n % 2)", model: n % 3 == 0 ? "gpt-4o" : "mystery-model", userMessage: "q\(n)", aiResponse: "a\(n)",
                                  tokens: TokenCounts(input: 100 + Int64(n), output: 50), userMessageAt: at - 1000, repliedAt: at).proto)
            }
            var batch = ProtoMessage(Method.logTurns.requestType)
            batch.set("turns", messages: turns)
            _ = try await client.call(.logTurns, batch)
            var lead = ProtoMessage(Method.captureLead.requestType)
            lead.set("organization_id", org)
            lead.set("session_id", "s1")
            lead.set("name", "Ada")
            lead.set("captured_at_ms", Self.base + 9 * 3_000_000)
            _ = try await client.call(.captureLead, lead)
        }
        return (server, client)
    }

    private func request(_ method: Method, org: String = "o1", zone: String? = nil) -> ProtoMessage {
        var m = ProtoMessage(method.requestType)
        m.set("organization_id", org)
        var w = ProtoMessage(RecordTypes.timeWindow)
        w.set("since_ms", Self.window.since)
        w.set("until_ms", Self.window.until)
        m.set("window", w)
        m.set("time_zone", zone)
        return m
    }

    func testEveryReportRPCAnswersWhatTheStoreAnswers() async throws {
        let (server, client) = try await seeded()
        let store = try XCTUnwrap(server.instance).store
        let query = ReportQuery(organization: "o1", window: Self.window, timeZone: "Europe/Berlin")

        let devices = try await client.call(.reportDevices, request(.reportDevices, zone: "Europe/Berlin"))
        XCTAssertEqual(devices.messages("rows"), try store.reportDevices(query).map(\.proto))
        XCTAssertEqual(devices.messages("rows").first?.string("device_name"), "Front desk")

        let models = try await client.call(.reportModels, request(.reportModels))
        XCTAssertEqual(models.messages("rows"), try store.reportModels(query).rows.map(\.proto))
        XCTAssertEqual(models.messages("rows").first { $0.string("model") == "mystery-model" }?.bool("priced"), false)

        let daily = try await client.call(.reportDaily, request(.reportDaily, zone: "Europe/Berlin"))
        XCTAssertEqual(daily.messages("rows"), try store.reportDaily(query).map(\.proto))

        var personasRequest = ProtoMessage(Method.reportPersonas.requestType)
        personasRequest.set("organization_id", "o1")
        let personas = try await client.call(.reportPersonas, personasRequest)
        XCTAssertEqual(personas.messages("rows"), try store.reportPersonas(ReportQuery(organization: "o1", window: ReportQuery.allTime)).map(\.proto))

        let contacts = try await client.call(.reportContacts, request(.reportContacts))
        XCTAssertEqual(contacts.messages("rows").count, 3)

        let hourly = try await client.call(.reportHourly, request(.reportHourly, zone: "Europe/Berlin"))
        XCTAssertEqual(hourly.messages("rows"), try store.reportHourly(query).map(\.proto))

        let sessions = try await client.call(.reportSessions, request(.reportSessions))
        XCTAssertEqual(sessions.int("sessions"), 9, "s0 starts (its first user message) 1 s before the window")
        XCTAssertEqual(sessions.int("sessions_with_lead"), 1)

        let conversion = try await client.call(.reportConversion, request(.reportConversion))
        XCTAssertEqual(conversion.int("sessions_with_lead"), 1)
        XCTAssertEqual(conversion.double("avg_turns_to_lead"), 4)
        XCTAssertEqual(conversion.messages("personas").count, 2)

        var usage = request(.usage)
        usage.set("group_by", ints: [Int64(Dimension.device.rawValue), Int64(Dimension.persona.rawValue)])
        usage.set("granularity", Int64(Granularity.day.rawValue))
        let answer = try await client.call(.usage, usage)
        let expected = try store.usage(organization: "o1", query: UsageQuery(window: Self.window, granularity: .day, groupBy: [.device, .persona]))
        XCTAssertEqual(answer.messages("rows"), expected.rows.map(\.proto))
        XCTAssertEqual(answer.messages("rows").reduce(0) { $0 + ($1.int("count") ?? 0) }, 60)

        await client.close()
        await server.stop()
    }

    func testThreadPagesRetentionArchivesAndRepairAndExportWork() async throws {
        let (server, client) = try await seeded()
        var thread = ProtoMessage(Method.contactThread.requestType)
        thread.set("organization_id", "o1")
        thread.set("contact_id", "c0")
        thread.set("page_size", UInt32(7))
        var seen: [ProtoMessage] = []
        var token: String?
        repeat {
            thread.set("page_token", token)
            let page = try await client.call(.contactThread, thread)
            seen += page.messages("entries")
            token = page.string("next_page_token")
        } while token != nil
        XCTAssertEqual(seen.count, 20, "every turn of c0 appears once, with or without a logged message")

        let before = try await client.call(.reportModels, request(.reportModels))
        var retain = ProtoMessage(Method.retainDetail.requestType)
        retain.set("older_than_ms", Self.base + 86_400_000)
        retain.set("organization_id", "o1")
        var last: ProtoMessage?
        for try await progress in client.stream(.retainDetail, retain) { last = progress }
        XCTAssertEqual(last?.bool("finished"), true)
        XCTAssertGreaterThan(last?.int("done") ?? 0, 0)
        let after = try await client.call(.reportModels, request(.reportModels))
        XCTAssertEqual(before, after, "rollups survive retention")

        thread.set("page_token", String?.none)
        thread.set("page_size", UInt32(100))
        let archived = try await client.call(.contactThread, thread).messages("entries")
        XCTAssertEqual(archived.count, 20)
        XCTAssertTrue(archived.contains { $0.bool("archived") == true })
        XCTAssertTrue(FileManager.default.fileExists(atPath: server.dataDirectory + "/archive.db"))

        var repair = ProtoMessage(Method.repairTokens.requestType)
        repair.set("organization_id", "o2")
        let repaired = try await client.call(.repairTokens, repair)
        XCTAssertEqual(repaired.int("examined"), 60)
        XCTAssertEqual(repaired.int("tokens_fixed"), 0)

        var export = ProtoMessage(Method.exportTurns.requestType)
        export.set("organization_id", "o2")
        var exported = 0
        for try await batch in client.stream(.exportTurns, export) { exported += batch.messages("turns").count }
        XCTAssertEqual(exported, 60)
        export = ProtoMessage(Method.exportMessages.requestType)
        export.set("organization_id", "o2")
        exported = 0
        for try await batch in client.stream(.exportMessages, export) { exported += batch.messages("messages").count }
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
        _ = try await client.call(.logTurn, Turn(turnId: "old", organizationId: "o", sessionId: "s", model: "gpt-4o", userMessage: "q", aiResponse: "a",
                                                 tokens: TokenCounts(input: 1, output: 1), repliedAt: old).proto)
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
