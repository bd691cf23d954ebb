@testable import ParleyCLI
import ParleyWire
import XCTest

/// Every report's table, CSV and JSON from canned answers, so rendering is checked
/// apart from the server's figures.
final class ReportRenderingTests: XCTestCase {
    let utc = RenderContext(width: 80, chart: .none)

    func devicesAnswer() -> V1.DevicesReport {
        V1.DevicesReport(rows: [
            V1.DeviceUsage(deviceID: "d-1", deviceName: "Front desk", phoneNumber: "+15550001", conversations: 1_234,
                           totalTokens: 9_876_543, avgTokens: 8003.7, lastConversationMs: 1_793_577_600_000,
                           cachedReadTokens: 4_000, reasoningTokens: 300),
            V1.DeviceUsage(deviceID: "d-2", conversations: 5, totalTokens: 700, avgTokens: 140),
        ])
    }

    func testDevicesTable() throws {
        let text = ReportViews.devices.render(devicesAnswer(), format: .table, context: utc)
        XCTAssertEqual(text, """
        device            phone      conversations     tokens  cache read  reasoning  avg tokens  last conversation
        ----------------  ---------  -------------  ---------  ----------  ---------  ----------  -----------------
        Front desk (d-1)  +15550001          1,234  9,876,543       4,000        300     8,003.7  2026-11-02 00:00
        d-2                                      5        700           0          0       140.0

        """)
    }

    func testDevicesCSVHasEveryFieldRaw() throws {
        let csv = ReportViews.devices.render(devicesAnswer(), format: .csv, context: utc)
        XCTAssertEqual(csv, """
        device_id,device_name,phone_number,conversations,total_tokens,avg_tokens,last_conversation_ms,cached_read_tokens,cache_write_tokens,reasoning_tokens
        d-1,Front desk,+15550001,1234,9876543,8003.7,1793577600000,4000,,300
        d-2,,,5,700,140.0,,,,

        """)
    }

    func testDevicesJSONIsTheAnswer() throws {
        let answer = devicesAnswer()
        let json = ReportViews.devices.render(answer, format: .json, context: utc)
        XCTAssertEqual(json, JSONRender.object(answer) + "\n")
        XCTAssertTrue(json.hasPrefix(#"{"rows":[{"device_id":"d-1","device_name":"Front desk","phone_number":"+15550001","conversations":1234,"total_tokens":9876543,"avg_tokens":8003.7,"last_conversation_ms":1793577600000,"cached_read_tokens":4000,"reasoning_tokens":300}"#))
    }

    func modelsAnswer() -> V1.ModelsReport {
        var first = V1.ModelCost(model: "gpt-4o", conversations: 20, inputTokens: 1_000_000, outputTokens: 100_000,
                                 totalTokens: 1_600_000, cost: Canned.money(3_500_000_000), priced: true)
        first.cachedReadTokens = 500_000
        first.reasoningTokens = 20_000
        return V1.ModelsReport(
            rows: [
                first,
                V1.ModelCost(model: "gemini-2.5-flash", conversations: 3, inputTokens: 10_000, outputTokens: 2_345,
                             totalTokens: 12_345, cost: Canned.money(0, unpriced: 12_345), priced: false),
            ],
            totalCost: Canned.money(1_234_560_000_000, unpriced: 12_345))
    }

    func testModelsTableFlagsUnpricedTokens() throws {
        let text = ReportViews.models.render(modelsAnswer(), format: .table, context: utc)
        XCTAssertEqual(text, """
        model             conversations      input  cache read  cache write   output  reasoning      total      cost
        ----------------  -------------  ---------  ----------  -----------  -------  ---------  ---------  --------
        gpt-4o                       20  1,000,000     500,000            0  100,000     20,000  1,600,000     $3.50
        gemini-2.5-flash              3     10,000           0            0    2,345          0     12,345  unpriced

        total cost: $1,234.56 + 12,345 unpriced tokens

        """)
    }

    func testModelsCSVFlattensMoney() throws {
        let csv = ReportViews.models.render(modelsAnswer(), format: .csv, context: utc)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines[0], "model,conversations,input_tokens,output_tokens,total_tokens,cost_nanos,cost_unpriced_tokens,priced,"
                       + "cached_read_tokens,cache_write_tokens,reasoning_tokens")
        XCTAssertEqual(lines[1], "gpt-4o,20,1000000,100000,1600000,3500000000,,true,500000,,20000")
        XCTAssertEqual(lines[2], "gemini-2.5-flash,3,10000,2345,12345,0,12345,false,,,")
    }

    func testPersonasAndContactsTables() throws {
        let personas = V1.PersonasReport(rows: [
            V1.PersonaUsage(personaID: "p-1", personaName: "Sales bot", model: "gpt-4o", conversations: 12, avgTokens: 250.25,
                            totalTokens: 3_003),
        ])
        XCTAssertEqual(ReportViews.personas.render(personas, format: .table, context: utc), """
        persona          model   conversations  avg tokens  tokens  cache read  reasoning
        ---------------  ------  -------------  ----------  ------  ----------  ---------
        Sales bot (p-1)  gpt-4o             12       250.2   3,003           0          0

        """)
        let contacts = V1.ContactsReport(rows: [
            V1.ContactCost(contactID: "c-1", name: "Ada", interactions: 7, totalTokens: 1_500, cost: Canned.money(4_200_000, unpriced: 300)),
        ])
        XCTAssertEqual(ReportViews.contacts.render(contacts, format: .table, context: utc), """
        contact    phone  interactions  tokens  cache read  reasoning                           cost
        ---------  -----  ------------  ------  ----------  ---------  -----------------------------
        Ada (c-1)                    7   1,500           0          0  $0.0042 + 300 unpriced tokens

        """)
        XCTAssertEqual(ReportViews.contacts.render(contacts, format: .csv, context: utc), """
        contact_id,name,phone_number,interactions,total_tokens,cost_nanos,cost_unpriced_tokens,cached_read_tokens,cache_write_tokens,reasoning_tokens
        c-1,Ada,,7,1500,4200000,300,,,

        """)
    }

    func testHourlyTableShowsCacheReadsAndReasoning() throws {
        let hourly = V1.HourlyReport(rows: [
            V1.HourUsage(hour: 9, conversations: 3, avgTokens: 1_200, cachedReadTokens: 2_500, reasoningTokens: 640),
        ])
        XCTAssertEqual(TrendViews.hourly.render(hourly, format: .table, context: RenderContext(width: 80, chart: .none)), """
        hour   conversations  avg tokens  cache read  reasoning
        -----  -------------  ----------  ----------  ---------
        09:00              3     1,200.0       2,500        640

        """)
    }

    func testSessionsAndConversion() throws {
        var metrics = V1.SessionMetrics(sessionID: "s-1", totalMessages: 6, totalTokens: 900,
                                        conversationStartMs: 1_793_577_600_000, durationMs: 200_000, averageResponseTimeMs: 1_500,
                                        hasLead: true, leadName: "Ada")
        metrics.userSatisfaction = 4.5
        let sessions = V1.SessionsReport(sessions: 20, sessionsWithLead: 2, totalMessages: 120, totalTokens: 12_000,
                                         avgDurationMs: 200_000, avgResponseTimeMs: 1_500, avgSatisfaction: 4.5,
                                         ratedSessions: 2, rows: [metrics])
        XCTAssertEqual(SessionViews.sessions.render(sessions, format: .table, context: utc), """
        sessions  with lead  messages  tokens  avg duration  avg response   satisfaction
        --------  ---------  --------  ------  ------------  ------------  -------------
              20          2       120  12,000        3m 20s         1.5 s  4.5 (2 rated)

        session  started           duration  messages  tokens  avg response  lead  satisfaction
        -------  ----------------  --------  --------  ------  ------------  ----  ------------
        s-1      2026-11-02 00:00    3m 20s         6     900         1.5 s  Ada            4.5

        """)
        let conversion = V1.ConversionReport(
            sessions: 20, sessionsWithLead: 2, leadRate: 0.1, avgTurnsToLead: 2.5, avgTimeToLeadMs: 90_000,
            personas: [
                V1.PersonaConversion(personaID: "p-1", personaName: "Sales bot", sessions: 10, leads: 2,
                                     cost: Canned.money(2_000_000_000), costPerLead: Canned.money(1_000_000_000)),
            ])
        XCTAssertEqual(SessionViews.conversion.render(conversion, format: .table, context: utc), """
        sessions  with lead  lead rate  turns to lead  time to lead
        --------  ---------  ---------  -------------  ------------
              20          2      10.0%            2.5        1m 30s

        persona          sessions  leads   cost  cost per lead
        ---------------  --------  -----  -----  -------------
        Sales bot (p-1)        10      2  $2.00          $1.00

        """)
        XCTAssertEqual(SessionViews.conversion.render(conversion, format: .csv, context: utc), """
        persona_id,persona_name,sessions,leads,cost_nanos,cost_unpriced_tokens,cost_per_lead_nanos,cost_per_lead_unpriced_tokens
        p-1,Sales bot,10,2,2000000000,,1000000000,

        """)
    }

    func testUsageTableNamesGroupsAndBuckets() throws {
        let answer = V1.UsageResponse(
            rows: [
                V1.UsageRow(bucketLabel: "2026-11-02", group: ["d-1", "gpt-4o"], count: 3, inputTokens: 300, outputTokens: 150,
                            totalTokens: 450, cost: Canned.money(2_250_000), avgResponseTimeMs: 2_000, p90ResponseTimeMs: 2_500),
            ],
            totalCost: Canned.money(2_250_000))
        let view = UsageView.view(groupBy: ["device", "model"], bucketed: true)
        XCTAssertEqual(view.render(answer, format: .table, context: utc), """
        bucket      device  model   turns  input  cache read  output  reasoning  total     cost  avg response    p90
        ----------  ------  ------  -----  -----  ----------  ------  ---------  -----  -------  ------------  -----
        2026-11-02  d-1     gpt-4o      3    300           0     150          0    450  $0.0023         2.0 s  2.5 s

        total cost: $0.0023

        """)
        let csv = view.render(answer, format: .csv, context: utc).split(separator: "\n")
        XCTAssertTrue(csv[0].hasPrefix("bucket_start_ms,bucket_label,group,count,"))
        XCTAssertTrue(csv[1].hasPrefix(",2026-11-02,d-1;gpt-4o,3,300,150,"))
    }

    func testThreadShowsMessageAndReplyNewestFirst() throws {
        let message = V1.Message(messageID: "m-1", direction: .inbound, content: "Do you ship to Lisbon?",
                                 createdAtMs: 1_793_577_600_000)
        var reply = V1.Turn(turnID: "t-1", model: "gpt-4o", aiResponse: "Yes, in 3 days.")
        reply.tokens = V1.TokenCounts(total: 1_234)
        reply.repliedAtMs = 1_793_577_660_000
        let page = V1.ThreadPage(entries: [V1.ThreadEntry(message: message, reply: reply)], nextPageToken: "abc")
        XCTAssertEqual(ThreadView.view.render(page, format: .table, context: utc), """
        time              from     text                    model   tokens
        ----------------  -------  ----------------------  ------  ------
        2026-11-02 00:01  ai       Yes, in 3 days.         gpt-4o   1,234
        2026-11-02 00:00  contact  Do you ship to Lisbon?

        older entries: --page-token abc

        """)
        let csv = ThreadView.view.render(page, format: .csv, context: utc).split(separator: "\n")
        XCTAssertTrue(csv[0].hasPrefix("message_message_id,message_organization_id,"))
        XCTAssertTrue(csv[0].contains("reply_tokens_total"))
    }

    func testTimeZoneShiftsShownTimes() throws {
        let berlin = RenderContext(zone: try XCTUnwrap(TimeZone(identifier: "Europe/Berlin")), width: 80, chart: .none)
        let text = ReportViews.devices.render(devicesAnswer(), format: .table, context: berlin)
        XCTAssertTrue(text.contains("2026-11-02 01:00"), text)
    }
}
