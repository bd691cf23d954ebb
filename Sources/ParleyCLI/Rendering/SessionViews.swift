import ParleyWire

/// Views of session-shaped answers: the sessions and conversion reports, one session's
/// metrics.
public enum SessionViews {
    public static let sessions = AnswerView<V1.SessionsReport>(rows: \.rows) { answer, context in
        var summary = Table(columns: ["sessions", "with lead", "messages", "tokens", "avg duration", "avg response", "satisfaction"],
                            rightAligned: [0, 1, 2, 3, 4, 5, 6])
        summary.add([Format.integer(answer.sessions ?? 0), Format.integer(answer.sessionsWithLead ?? 0),
                     Format.integer(answer.totalMessages ?? 0), Format.integer(answer.totalTokens ?? 0),
                     Format.duration(ms: Int64(answer.avgDurationMs ?? 0)),
                     Format.duration(ms: Int64(answer.avgResponseTimeMs ?? 0)),
                     satisfaction(answer.avgSatisfaction, rated: answer.ratedSessions)])
        var parts = [summary.render()]
        if !answer.rows.isEmpty {
            var t = Table(columns: ["session", "started", "duration", "messages", "tokens", "avg response", "lead", "satisfaction"],
                          rightAligned: [2, 3, 4, 5, 7])
            for r in answer.rows {
                t.add([r.sessionID ?? "", TimeDisplay.minute(r.conversationStartMs, zone: context.zone),
                       Format.duration(ms: r.durationMs ?? 0), Format.integer(r.totalMessages ?? 0),
                       Format.integer(r.totalTokens ?? 0), Format.duration(ms: r.averageResponseTimeMs ?? 0),
                       lead(r), r.userSatisfaction.map { Format.decimal($0) } ?? ""])
            }
            parts.append(t.render())
        }
        return parts.joined(separator: "\n\n")
    }

    public static let conversion = AnswerView<V1.ConversionReport>(rows: \.personas) { answer, _ in
        var summary = Table(columns: ["sessions", "with lead", "lead rate", "turns to lead", "time to lead"], rightAligned: [0, 1, 2, 3, 4])
        summary.add([Format.integer(answer.sessions ?? 0), Format.integer(answer.sessionsWithLead ?? 0),
                     Format.decimal((answer.leadRate ?? 0) * 100) + "%", Format.decimal(answer.avgTurnsToLead ?? 0),
                     Format.duration(ms: Int64(answer.avgTimeToLeadMs ?? 0))])
        var t = Table(columns: ["persona", "sessions", "leads", "cost", "cost per lead"], rightAligned: [1, 2, 3, 4])
        for p in answer.personas {
            t.add([ReportViews.label(p.personaName, p.personaID), Format.integer(p.sessions ?? 0),
                   Format.integer(p.leads ?? 0), CostText.text(p.cost),
                   (p.leads ?? 0) > 0 ? CostText.text(p.costPerLead) : "-"])
        }
        return summary.render() + "\n\n" + t.render()
    }

    /// One session's metrics as name/value lines.
    public static let session = AnswerView<V1.SessionMetrics> { m, context in
        var t = Table(columns: ["field", "value"])
        let pairs: [(String, String)] = [
            ("session", m.sessionID ?? ""), ("organization", m.organizationID ?? ""),
            ("widget", m.widgetID ?? ""), ("user", m.userID ?? ""),
            ("first turn", m.firstTurnID ?? ""),
            ("started", TimeDisplay.minute(m.conversationStartMs, zone: context.zone)),
            ("ended", TimeDisplay.minute(m.conversationEndMs, zone: context.zone)),
            ("duration", Format.duration(ms: m.durationMs ?? 0)),
            ("turns", Format.integer(m.turnCount ?? 0)), ("messages", Format.integer(m.totalMessages ?? 0)),
            ("tokens", Format.integer(m.totalTokens ?? 0)), ("prompt tokens", Format.integer(m.promptTokens ?? 0)),
            ("completion tokens", Format.integer(m.completionTokens ?? 0)),
            ("avg response", Format.duration(ms: m.averageResponseTimeMs ?? 0)),
            ("lead", lead(m)),
            ("satisfaction", m.userSatisfaction.map { Format.decimal($0) } ?? ""),
        ]
        for (name, value) in pairs where !value.isEmpty { t.add([name, value]) }
        return t.render()
    }

    static func lead(_ m: V1.SessionMetrics) -> String {
        guard m.hasLead == true else { return "" }
        let who = [m.leadName, m.leadEmail, m.leadCompany].compactMap { $0 }.filter { !$0.isEmpty }
        return who.isEmpty ? "yes" : who.joined(separator: ", ")
    }

    static func satisfaction(_ mean: Double?, rated: Int64?) -> String {
        guard let mean, let rated, rated > 0 else { return "-" }
        return "\(Format.decimal(mean)) (\(Format.integer(rated)) rated)"
    }
}
