import ParleyWire

/// Views of session-shaped answers: the sessions and conversion reports, one session's
/// metrics.
public enum SessionViews {
    public static let sessions = AnswerView(rowsField: "rows") { answer, context in
        var summary = Table(columns: ["sessions", "with lead", "messages", "tokens", "avg duration", "avg response", "satisfaction"],
                            rightAligned: [0, 1, 2, 3, 4, 5, 6])
        summary.add([Format.integer(answer.int("sessions") ?? 0), Format.integer(answer.int("sessions_with_lead") ?? 0),
                     Format.integer(answer.int("total_messages") ?? 0), Format.integer(answer.int("total_tokens") ?? 0),
                     Format.duration(ms: Int64(answer.double("avg_duration_ms") ?? 0)),
                     Format.duration(ms: Int64(answer.double("avg_response_time_ms") ?? 0)),
                     satisfaction(answer.double("avg_satisfaction"), rated: answer.int("rated_sessions"))])
        var parts = [summary.render()]
        let rows = answer.messages("rows")
        if !rows.isEmpty {
            var t = Table(columns: ["session", "started", "duration", "messages", "tokens", "avg response", "lead", "satisfaction"],
                          rightAligned: [2, 3, 4, 5, 7])
            for r in rows {
                t.add([r.string("session_id") ?? "", TimeDisplay.minute(r.int("conversation_start_ms"), zone: context.zone),
                       Format.duration(ms: r.int("duration_ms") ?? 0), Format.integer(r.int("total_messages") ?? 0),
                       Format.integer(r.int("total_tokens") ?? 0), Format.duration(ms: r.int("average_response_time_ms") ?? 0),
                       lead(r), r.double("user_satisfaction").map { Format.decimal($0) } ?? ""])
            }
            parts.append(t.render())
        }
        return parts.joined(separator: "\n\n")
    }

    public static let conversion = AnswerView(rowsField: "personas") { answer, _ in
        var summary = Table(columns: ["sessions", "with lead", "lead rate", "turns to lead", "time to lead"], rightAligned: [0, 1, 2, 3, 4])
        summary.add([Format.integer(answer.int("sessions") ?? 0), Format.integer(answer.int("sessions_with_lead") ?? 0),
                     Format.decimal((answer.double("lead_rate") ?? 0) * 100) + "%", Format.decimal(answer.double("avg_turns_to_lead") ?? 0),
                     Format.duration(ms: Int64(answer.double("avg_time_to_lead_ms") ?? 0))])
        var t = Table(columns: ["persona", "sessions", "leads", "cost", "cost per lead"], rightAligned: [1, 2, 3, 4])
        for p in answer.messages("personas") {
            t.add([ReportViews.label(p.string("persona_name"), p.string("persona_id")), Format.integer(p.int("sessions") ?? 0),
                   Format.integer(p.int("leads") ?? 0), CostText.text(p.message("cost")),
                   (p.int("leads") ?? 0) > 0 ? CostText.text(p.message("cost_per_lead")) : "-"])
        }
        return summary.render() + "\n\n" + t.render()
    }

    /// One session's metrics as name/value lines.
    public static let session = AnswerView(rowsField: "") { m, context in
        var t = Table(columns: ["field", "value"])
        let pairs: [(String, String)] = [
            ("session", m.string("session_id") ?? ""), ("organization", m.string("organization_id") ?? ""),
            ("widget", m.string("widget_id") ?? ""), ("user", m.string("user_id") ?? ""),
            ("first turn", m.string("first_turn_id") ?? ""),
            ("started", TimeDisplay.minute(m.int("conversation_start_ms"), zone: context.zone)),
            ("ended", TimeDisplay.minute(m.int("conversation_end_ms"), zone: context.zone)),
            ("duration", Format.duration(ms: m.int("duration_ms") ?? 0)),
            ("turns", Format.integer(m.int("turn_count") ?? 0)), ("messages", Format.integer(m.int("total_messages") ?? 0)),
            ("tokens", Format.integer(m.int("total_tokens") ?? 0)), ("prompt tokens", Format.integer(m.int("prompt_tokens") ?? 0)),
            ("completion tokens", Format.integer(m.int("completion_tokens") ?? 0)),
            ("avg response", Format.duration(ms: m.int("average_response_time_ms") ?? 0)),
            ("lead", lead(m)),
            ("satisfaction", m.double("user_satisfaction").map { Format.decimal($0) } ?? ""),
        ]
        for (name, value) in pairs where !value.isEmpty { t.add([name, value]) }
        return t.render()
    }

    static func lead(_ m: ProtoMessage) -> String {
        guard m.bool("has_lead") == true else { return "" }
        let who = [m.string("lead_name"), m.string("lead_email"), m.string("lead_company")].compactMap { $0 }.filter { !$0.isEmpty }
        return who.isEmpty ? "yes" : who.joined(separator: ", ")
    }

    static func satisfaction(_ mean: Double?, rated: Int64?) -> String {
        guard let mean, let rated, rated > 0 else { return "-" }
        return "\(Format.decimal(mean)) (\(Format.integer(rated)) rated)"
    }
}
