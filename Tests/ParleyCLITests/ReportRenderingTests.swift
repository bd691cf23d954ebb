@testable import ParleyCLI
import ParleyWire
import XCTest

/// Every report's table, CSV and JSON from canned answers, so rendering is checked
/// apart from the server's figures.
final class ReportRenderingTests: XCTestCase {
    let utc = RenderContext(width: 80, chart: .none)

    func devicesAnswer() throws -> ProtoMessage {
        try Canned.message("DevicesReport", ["rows": Canned.list([
            try Canned.message("DeviceUsage", ["device_id": .string("d-1"), "device_name": .string("Front desk"),
                                               "phone_number": .string("+15550001"), "conversations": .int(1_234),
                                               "total_tokens": .int(9_876_543), "avg_tokens": .double(8003.7),
                                               "last_conversation_ms": .int(1_793_577_600_000)]),
            try Canned.message("DeviceUsage", ["device_id": .string("d-2"), "conversations": .int(5),
                                               "total_tokens": .int(700), "avg_tokens": .double(140)]),
        ])])
    }

    func testDevicesTable() throws {
        let text = ReportKind.devices.view.render(try devicesAnswer(), format: .table, context: utc)
        XCTAssertEqual(text, """
        device            phone      conversations     tokens  avg tokens  last conversation
        ----------------  ---------  -------------  ---------  ----------  -----------------
        Front desk (d-1)  +15550001          1,234  9,876,543     8,003.7  2026-11-02 00:00
        d-2                                      5        700       140.0

        """)
    }

    func testDevicesCSVHasEveryFieldRaw() throws {
        let csv = ReportKind.devices.view.render(try devicesAnswer(), format: .csv, context: utc)
        XCTAssertEqual(csv, """
        device_id,device_name,phone_number,conversations,total_tokens,avg_tokens,last_conversation_ms
        d-1,Front desk,+15550001,1234,9876543,8003.7,1793577600000
        d-2,,,5,700,140.0,

        """)
    }

    func testDevicesJSONIsTheAnswer() throws {
        let answer = try devicesAnswer()
        let json = ReportKind.devices.view.render(answer, format: .json, context: utc)
        XCTAssertEqual(json, JSONRender.object(answer) + "\n")
        XCTAssertTrue(json.hasPrefix(#"{"rows":[{"device_id":"d-1","device_name":"Front desk","phone_number":"+15550001","conversations":1234,"total_tokens":9876543,"avg_tokens":8003.7,"last_conversation_ms":1793577600000}"#))
    }

    func modelsAnswer() throws -> ProtoMessage {
        try Canned.message("ModelsReport", [
            "rows": Canned.list([
                try Canned.message("ModelCost", ["model": .string("gpt-4o"), "conversations": .int(20), "input_tokens": .int(1_000_000),
                                                 "output_tokens": .int(100_000), "total_tokens": .int(1_600_000),
                                                 "cost": try Canned.money(3_500_000_000), "priced": .bool(true),
                                                 "cached_read_tokens": .int(500_000), "reasoning_tokens": .int(20_000)]),
                try Canned.message("ModelCost", ["model": .string("gemini-2.5-flash"), "conversations": .int(3), "input_tokens": .int(10_000),
                                                 "output_tokens": .int(2_345), "total_tokens": .int(12_345),
                                                 "cost": try Canned.money(0, unpriced: 12_345), "priced": .bool(false)]),
            ]),
            "total_cost": try Canned.money(1_234_560_000_000, unpriced: 12_345),
        ])
    }

    func testModelsTableFlagsUnpricedTokens() throws {
        let text = ReportKind.models.view.render(try modelsAnswer(), format: .table, context: utc)
        XCTAssertEqual(text, """
        model             conversations      input  cache read  cache write   output  reasoning      total      cost
        ----------------  -------------  ---------  ----------  -----------  -------  ---------  ---------  --------
        gpt-4o                       20  1,000,000     500,000            0  100,000     20,000  1,600,000     $3.50
        gemini-2.5-flash              3     10,000           0            0    2,345          0     12,345  unpriced

        total cost: $1,234.56 + 12,345 unpriced tokens

        """)
    }

    func testModelsCSVFlattensMoney() throws {
        let csv = ReportKind.models.view.render(try modelsAnswer(), format: .csv, context: utc)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines[0], "model,conversations,input_tokens,output_tokens,total_tokens,cost_nanos,cost_unpriced_tokens,priced,"
                       + "cached_read_tokens,cache_write_tokens,reasoning_tokens")
        XCTAssertEqual(lines[1], "gpt-4o,20,1000000,100000,1600000,3500000000,,true,500000,,20000")
        XCTAssertEqual(lines[2], "gemini-2.5-flash,3,10000,2345,12345,0,12345,false,,,")
    }

    func testPersonasAndContactsTables() throws {
        let personas = try Canned.message("PersonasReport", ["rows": Canned.list([
            try Canned.message("PersonaUsage", ["persona_id": .string("p-1"), "persona_name": .string("Sales bot"), "model": .string("gpt-4o"),
                                                "conversations": .int(12), "avg_tokens": .double(250.25), "total_tokens": .int(3_003)]),
        ])])
        XCTAssertEqual(ReportKind.personas.view.render(personas, format: .table, context: utc), """
        persona          model   conversations  avg tokens  tokens
        ---------------  ------  -------------  ----------  ------
        Sales bot (p-1)  gpt-4o             12       250.2   3,003

        """)
        let contacts = try Canned.message("ContactsReport", ["rows": Canned.list([
            try Canned.message("ContactCost", ["contact_id": .string("c-1"), "name": .string("Ada"), "interactions": .int(7),
                                               "total_tokens": .int(1_500), "cost": try Canned.money(4_200_000, unpriced: 300)]),
        ])])
        XCTAssertEqual(ReportKind.contacts.view.render(contacts, format: .table, context: utc), """
        contact    phone  interactions  tokens                           cost
        ---------  -----  ------------  ------  -----------------------------
        Ada (c-1)                    7   1,500  $0.0042 + 300 unpriced tokens

        """)
        XCTAssertEqual(ReportKind.contacts.view.render(contacts, format: .csv, context: utc), """
        contact_id,name,phone_number,interactions,total_tokens,cost_nanos,cost_unpriced_tokens
        c-1,Ada,,7,1500,4200000,300

        """)
    }

    func testSessionsAndConversion() throws {
        let metrics = try Canned.message("SessionMetrics", [
            "session_id": .string("s-1"), "conversation_start_ms": .int(1_793_577_600_000), "duration_ms": .int(200_000),
            "total_messages": .int(6), "total_tokens": .int(900), "average_response_time_ms": .int(1_500),
            "has_lead": .bool(true), "lead_name": .string("Ada"), "user_satisfaction": .double(4.5)])
        let sessions = try Canned.message("SessionsReport", [
            "sessions": .int(20), "sessions_with_lead": .int(2), "total_messages": .int(120), "total_tokens": .int(12_000),
            "avg_duration_ms": .double(200_000), "avg_response_time_ms": .double(1_500), "avg_satisfaction": .double(4.5),
            "rated_sessions": .int(2), "rows": Canned.list([metrics])])
        XCTAssertEqual(ReportKind.sessions.view.render(sessions, format: .table, context: utc), """
        sessions  with lead  messages  tokens  avg duration  avg response   satisfaction
        --------  ---------  --------  ------  ------------  ------------  -------------
              20          2       120  12,000        3m 20s         1.5 s  4.5 (2 rated)

        session  started           duration  messages  tokens  avg response  lead  satisfaction
        -------  ----------------  --------  --------  ------  ------------  ----  ------------
        s-1      2026-11-02 00:00    3m 20s         6     900         1.5 s  Ada            4.5

        """)
        let conversion = try Canned.message("ConversionReport", [
            "sessions": .int(20), "sessions_with_lead": .int(2), "lead_rate": .double(0.1), "avg_turns_to_lead": .double(2.5),
            "avg_time_to_lead_ms": .double(90_000),
            "personas": Canned.list([
                try Canned.message("PersonaConversion", ["persona_id": .string("p-1"), "persona_name": .string("Sales bot"),
                                                         "sessions": .int(10), "leads": .int(2), "cost": try Canned.money(2_000_000_000),
                                                         "cost_per_lead": try Canned.money(1_000_000_000)]),
            ])])
        XCTAssertEqual(ReportKind.conversion.view.render(conversion, format: .table, context: utc), """
        sessions  with lead  lead rate  turns to lead  time to lead
        --------  ---------  ---------  -------------  ------------
              20          2      10.0%            2.5        1m 30s

        persona          sessions  leads   cost  cost per lead
        ---------------  --------  -----  -----  -------------
        Sales bot (p-1)        10      2  $2.00          $1.00

        """)
        XCTAssertEqual(ReportKind.conversion.view.render(conversion, format: .csv, context: utc), """
        persona_id,persona_name,sessions,leads,cost_nanos,cost_unpriced_tokens,cost_per_lead_nanos,cost_per_lead_unpriced_tokens
        p-1,Sales bot,10,2,2000000000,,1000000000,

        """)
    }

    func testUsageTableNamesGroupsAndBuckets() throws {
        let answer = try Canned.message("UsageResponse", [
            "rows": Canned.list([
                try Canned.message("UsageRow", ["bucket_label": .string("2026-11-02"), "group": .list([.string("d-1"), .string("gpt-4o")]),
                                                "count": .int(3), "input_tokens": .int(300), "output_tokens": .int(150),
                                                "total_tokens": .int(450), "cost": try Canned.money(2_250_000),
                                                "avg_response_time_ms": .double(2_000), "p90_response_time_ms": .int(2_500)]),
            ]),
            "total_cost": try Canned.money(2_250_000),
        ])
        let view = UsageView.view(groupBy: ["device", "model"], bucketed: true)
        XCTAssertEqual(view.render(answer, format: .table, context: utc), """
        bucket      device  model   turns  input  output  total     cost  avg response    p90
        ----------  ------  ------  -----  -----  ------  -----  -------  ------------  -----
        2026-11-02  d-1     gpt-4o      3    300     150    450  $0.0023         2.0 s  2.5 s

        total cost: $0.0023

        """)
        let csv = view.render(answer, format: .csv, context: utc).split(separator: "\n")
        XCTAssertTrue(csv[0].hasPrefix("bucket_start_ms,bucket_label,group,count,"))
        XCTAssertTrue(csv[1].hasPrefix(",2026-11-02,d-1;gpt-4o,3,300,150,"))
    }

    func testThreadShowsMessageAndReplyNewestFirst() throws {
        let message = try Canned.message("Message", ["message_id": .string("m-1"), "content": .string("Do you ship to Lisbon?"),
                                                     "direction": .int(1), "created_at_ms": .int(1_793_577_600_000)])
        var tokens = ProtoMessage(RecordTypes.tokenCounts)
        tokens.set("total", Int64(1_234))
        let reply = try Canned.message("Turn", ["turn_id": .string("t-1"), "model": .string("gpt-4o"),
                                                "ai_response": .string("Yes, in 3 days."), "replied_at_ms": .int(1_793_577_660_000),
                                                "tokens": .message(tokens)])
        let page = try Canned.message("ThreadPage", ["entries": Canned.list([
            try Canned.message("ThreadEntry", ["message": .message(message), "reply": .message(reply)]),
        ]), "next_page_token": .string("abc")])
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
        let text = ReportKind.devices.view.render(try devicesAnswer(), format: .table, context: berlin)
        XCTAssertTrue(text.contains("2026-11-02 01:00"), text)
    }
}
