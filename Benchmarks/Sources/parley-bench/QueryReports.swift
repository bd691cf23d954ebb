import ParleyClient
import ParleyCore
import ParleyWire

/// One named report as the queries suite asks it of every system: the RPC and its
/// window, the seed's SQL (adapted to each dialect and to carry the organization, as
/// in Tests/ParleyStoreTests/Support/ReportTestCase.swift), and how each answer is
/// reduced to comparable rows.
struct QueryReport {
    enum Dialect { case sqlite, duckdb }

    var name: String
    /// nil: all time (the seed's persona query has no date condition).
    var window: TimeWindow?
    /// IANA zone for local days and hours; nil asks in UTC.
    var timeZone: String? = nil
    var statements: (Dialect) -> [String]
    /// Rows of every statement, in order, as comparable rows.
    var fromSQL: ([[[SQLCell]]]) -> [AnswerRow]
    /// Asks Parley the report and reduces its answer.
    var fromParley: (ParleyClient, V1.ReportRequest) async throws -> [AnswerRow]

    /// ? parameters of every statement: the organization, then the window if any.
    var parameters: [SQLCell] {
        var p: [SQLCell] = [.text(ConversationData.organization)]
        if let window { p += [.number(Double(window.since)), .number(Double(window.until))] }
        return p
    }

    var request: V1.ReportRequest {
        V1.ReportRequest(organizationID: ConversationData.organization,
                         window: window.map { V1.TimeWindow(sinceMs: $0.since, untilMs: $0.until) },
                         timeZone: timeZone)
    }

    /// One call of the report: Parley's answer as comparable rows.
    func ask(_ client: ParleyClient) async throws -> [AnswerRow] {
        try await fromParley(client, request)
    }

    static let window = "ac.organization_id = ? AND ac.created_at >= ? AND ac.created_at < ?"
    static let costCase = """
        CASE
          WHEN ac.model LIKE 'claude-3-5-haiku%' THEN (ac.input_tokens * 0.25 / 1000000) + (ac.output_tokens * 1.25 / 1000000)
          WHEN ac.model LIKE 'gpt-4o%' THEN (ac.input_tokens * 2.50 / 1000000) + (ac.output_tokens * 10.0 / 1000000)
          ELSE 0
        END
        """

    static func money(_ m: V1.Money?) -> Double { Double(m?.nanos ?? 0) / 1e9 }
    static func n(_ v: Int64?) -> Double { Double(v ?? 0) }

    /// The suite's reports over data ending at `now`, each over its window.
    static func all(now: Millis) -> [QueryReport] {
        let day: Millis = 86_400_000
        func last(_ days: Millis) -> TimeWindow { TimeWindow(since: now - days * day, until: now) }
        return [
            QueryReport(name: "ReportDevices (7 days)", window: last(7), statements: { _ in ["""
                SELECT wc.id, COUNT(*) AS ai_conversations, SUM(ac.tokens_used), MAX(ac.created_at), wc.device_name, wc.phone_number, AVG(ac.tokens_used)
                FROM ai_conversations ac JOIN whatsapp_connections wc ON ac.device_id = wc.id AND ac.organization_id = wc.organization_id
                WHERE \(window)
                GROUP BY wc.id, wc.device_name, wc.phone_number ORDER BY ai_conversations DESC
                """] },
                fromSQL: { $0[0].map { AnswerRow($0[0].text, exact: [$0[1].number, $0[2].number, $0[3].number]) } },
                fromParley: { try await $0.reportDevices($1).rows.map { AnswerRow($0.deviceID ?? "", exact: [n($0.conversations), n($0.totalTokens), n($0.lastConversationMs)]) } }),
            QueryReport(name: "ReportModels (30 days)", window: last(30), statements: { _ in ["""
                SELECT model, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(tokens_used),
                  CASE
                    WHEN model LIKE 'gemini%' THEN 0
                    WHEN model LIKE 'claude-3-5-haiku%' THEN (SUM(input_tokens) * 0.25 / 1000000) + (SUM(output_tokens) * 1.25 / 1000000)
                    WHEN model LIKE 'gpt-4o%' THEN (SUM(input_tokens) * 2.50 / 1000000) + (SUM(output_tokens) * 10.0 / 1000000)
                    ELSE 0
                  END AS estimated_cost_usd
                FROM ai_conversations ac
                WHERE \(window)
                GROUP BY model ORDER BY estimated_cost_usd DESC
                """] },
                fromSQL: { $0[0].map { AnswerRow($0[0].text, exact: [$0[1].number, $0[2].number, $0[3].number, $0[4].number], approx: [$0[5].number]) } },
                fromParley: { try await $0.reportModels($1).rows.map {
                    AnswerRow($0.model ?? "", exact: [n($0.conversations), n($0.inputTokens), n($0.outputTokens), n($0.totalTokens)],
                              approx: [money($0.cost)])
                } }),
            daily(window: last(30), zone: nil),
            QueryReport(name: "ReportPersonas (all time)", window: nil, statements: { _ in ["""
                SELECT p.id, ac.model, COUNT(*) AS conversation_count, SUM(ac.tokens_used), AVG(ac.tokens_used), p.name
                FROM ai_conversations ac JOIN personas p ON ac.persona_id = p.id AND ac.organization_id = p.organization_id
                WHERE ac.organization_id = ?
                GROUP BY p.id, p.name, ac.model ORDER BY conversation_count DESC
                """] },
                fromSQL: { $0[0].map { AnswerRow($0[0].text + " " + $0[1].text, exact: [$0[2].number, $0[3].number]) } },
                fromParley: { try await $0.reportPersonas($1).rows.map { AnswerRow(($0.personaID ?? "") + " " + ($0.model ?? ""), exact: [n($0.conversations), n($0.totalTokens)]) } }),
            QueryReport(name: "ReportContacts top 20 (30 days)", window: last(30), statements: { _ in ["""
                SELECT c.id, COUNT(*) AS ai_interactions, SUM(ac.tokens_used), SUM(\(costCase)) AS estimated_cost_usd, c.name, c.phone_number
                FROM ai_conversations ac JOIN contacts c ON ac.contact_id = c.id AND ac.organization_id = c.organization_id
                WHERE \(window)
                GROUP BY c.id, c.name, c.phone_number ORDER BY estimated_cost_usd DESC
                LIMIT 20
                """] },
                fromSQL: { $0[0].map { AnswerRow($0[0].text, exact: [$0[1].number, $0[2].number], approx: [$0[3].number]) } },
                fromParley: { try await $0.reportContacts($1).rows.map { AnswerRow($0.contactID ?? "", exact: [n($0.interactions), n($0.totalTokens)], approx: [money($0.cost)]) } }),
            hourly(window: last(7), zone: nil),
            QueryReport(name: "ReportSessions (30 days)", window: last(30), statements: { _ in [
                """
                SELECT COUNT(*), SUM(has_lead), SUM(total_messages), SUM(total_tokens), AVG(duration)
                FROM conversation_metrics
                WHERE organization_id = ? AND conversation_start >= ? AND conversation_start < ?
                """,
                """
                SELECT session_id, total_tokens FROM conversation_metrics
                WHERE organization_id = ? AND conversation_start >= ? AND conversation_start < ?
                ORDER BY conversation_start DESC, session_id DESC LIMIT 20
                """,
            ] },
                fromSQL: { r in
                    [AnswerRow("all", exact: r[0][0][0..<4].map(\.number), approx: [r[0][0][4].number])]
                        + r[1].map { AnswerRow($0[0].text, exact: [$0[1].number]) }
                },
                fromParley: { client, request in
                    let m = try await client.reportSessions(request)
                    return [AnswerRow("all", exact: [n(m.sessions), n(m.sessionsWithLead), n(m.totalMessages), n(m.totalTokens)],
                                      approx: [m.avgDurationMs ?? 0])]
                        + m.rows.map { AnswerRow($0.sessionID ?? "", exact: [n($0.totalTokens)]) }
                }),
            QueryReport(name: "ReportConversion (30 days)", window: last(30), statements: { _ in [
                """
                SELECT COUNT(*), SUM(has_lead), AVG(lead_captured_at - conversation_start)
                FROM conversation_metrics
                WHERE organization_id = ? AND conversation_start >= ? AND conversation_start < ?
                """,
                """
                SELECT AVG(n) FROM (
                  SELECT COUNT(*) AS n FROM conversation_metrics cm
                  JOIN ai_conversations ac ON ac.organization_id = cm.organization_id AND ac.session_id = cm.session_id
                    AND ac.created_at <= cm.lead_captured_at
                  WHERE cm.organization_id = ? AND cm.conversation_start >= ? AND cm.conversation_start < ? AND cm.has_lead = 1
                  GROUP BY cm.session_id) t
                """,
                """
                SELECT ac.persona_id, COUNT(DISTINCT cm.session_id) AS sessions,
                  COUNT(DISTINCT CASE WHEN cm.has_lead = 1 THEN cm.session_id END) AS leads, SUM(\(costCase)), p.name
                FROM conversation_metrics cm
                JOIN ai_conversations ac ON ac.organization_id = cm.organization_id AND ac.session_id = cm.session_id
                JOIN personas p ON p.organization_id = ac.organization_id AND p.id = ac.persona_id
                WHERE cm.organization_id = ? AND cm.conversation_start >= ? AND cm.conversation_start < ?
                GROUP BY ac.persona_id, p.name ORDER BY leads DESC, sessions DESC, ac.persona_id
                """,
            ] },
                fromSQL: { r in
                    [AnswerRow("all", exact: [r[0][0][0].number, r[0][0][1].number], approx: [r[0][0][2].number, r[1][0][0].number])]
                        + r[2].map { AnswerRow($0[0].text, exact: [$0[1].number, $0[2].number], approx: [$0[3].number]) }
                },
                fromParley: { client, request in
                    let m = try await client.reportConversion(request)
                    return [AnswerRow("all", exact: [n(m.sessions), n(m.sessionsWithLead)],
                                      approx: [m.avgTimeToLeadMs ?? 0, m.avgTurnsToLead ?? 0])]
                        + m.personas.map { AnswerRow($0.personaID ?? "", exact: [n($0.sessions), n($0.leads)], approx: [money($0.cost)]) }
                }),
            daily(window: last(30), zone: kolkata),
            hourly(window: last(7), zone: kolkata),
            usage(.device, "device_id", window: last(30)),
            usage(.persona, "persona_id", window: last(30)),
            // Some 100k contacts: the heaviest 100 (contact, model) groups.
            usage(.contact, "contact_id", window: last(30), top: 100),
        ]
    }

    /// A zone with one offset over all the suite's data, so the peers' SQL can shift
    /// times by a constant: Asia/Kolkata, UTC+5:30 since 1945, where whole-hour rollups
    /// once put turns on the wrong day.
    struct FixedZone {
        var name: String
        var offsetMinutes: Int
    }

    static let kolkata = FixedZone(name: "Asia/Kolkata", offsetMinutes: 330)

    /// `created_at` as a local timestamp in each dialect.
    static func local(_ d: Dialect, _ zone: FixedZone?) -> String {
        let minutes = zone?.offsetMinutes ?? 0
        switch d {
        case .sqlite: return "created_at / 1000, 'unixepoch', '\(minutes >= 0 ? "+" : "")\(minutes) minutes'"
        case .duckdb: return "epoch_ms(created_at + \(Int64(minutes) * 60_000))"
        }
    }

    static func daily(window: TimeWindow, zone: FixedZone?) -> QueryReport {
        QueryReport(name: "ReportDaily\(zone.map { " " + $0.name } ?? "") (30 days)", window: window, timeZone: zone?.name, statements: { d in ["""
            SELECT \(d == .sqlite ? "DATE(\(local(d, zone)))" : "CAST(CAST(\(local(d, zone)) AS DATE) AS VARCHAR)") AS date, model,
              SUM(tokens_used) AS daily_tokens, COUNT(*), AVG(tokens_used)
            FROM ai_conversations ac
            WHERE \(Self.window)
            GROUP BY date, model ORDER BY date DESC, daily_tokens DESC
            """] },
            fromSQL: { $0[0].map { AnswerRow($0[0].text + " " + $0[1].text, exact: [$0[2].number, $0[3].number]) } },
            fromParley: { try await $0.reportDaily($1).rows.map { AnswerRow(($0.date ?? "") + " " + ($0.model ?? ""), exact: [n($0.tokens), n($0.conversations)]) } })
    }

    /// Issue 9's general question: a Usage group-by on a dimension and the model, count
    /// and tokens per group, the heaviest first when `top` cuts it.
    static func usage(_ dimension: V1.Dimension, _ column: String, window: TimeWindow, top: Int? = nil) -> QueryReport {
        QueryReport(name: "Usage \(column.replacingOccurrences(of: "_id", with: "")) x model (30 days)", window: window, statements: { _ in ["""
            SELECT \(column), model, COUNT(*), SUM(tokens_used) AS tokens
            FROM ai_conversations ac
            WHERE \(Self.window)
            GROUP BY \(column), model ORDER BY tokens DESC\(top.map { " LIMIT \($0)" } ?? "")
            """] },
            fromSQL: { $0[0].map { AnswerRow($0[0].text + " " + $0[1].text, exact: [$0[2].number, $0[3].number]) } },
            fromParley: { client, request in
                var usage = V1.UsageRequest(organizationID: request.organizationID, window: request.window)
                usage.groupBy = [dimension, .model]
                usage.orderBy = .totalTokens
                usage.top = top.map(UInt32.init)
                return try await client.usage(usage).rows.map { AnswerRow($0.group.joined(separator: " "), exact: [n($0.count), n($0.totalTokens)]) }
            })
    }

    static func hourly(window: TimeWindow, zone: FixedZone?) -> QueryReport {
        QueryReport(name: "ReportHourly\(zone.map { " " + $0.name } ?? "") (7 days)", window: window, timeZone: zone?.name, statements: { d in ["""
            SELECT \(d == .sqlite ? "CAST(strftime('%H', \(local(d, zone))) AS INTEGER)" : "hour(\(local(d, zone)))") AS hour,
              COUNT(*), AVG(tokens_used)
            FROM ai_conversations ac
            WHERE \(Self.window)
            GROUP BY hour ORDER BY hour
            """] },
            fromSQL: { $0[0].map { AnswerRow(String(Int($0[0].number)), exact: [$0[1].number], approx: [$0[2].number]) } },
            fromParley: { try await $0.reportHourly($1).rows.map { AnswerRow(String($0.hour ?? 0), exact: [n($0.conversations)], approx: [$0.avgTokens ?? 0]) } })
    }
}
