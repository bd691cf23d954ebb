import ParleyWire

/// Views of the time-shaped reports: tokens by day and model, conversations by hour.
public enum TrendViews {
    /// The trend at a glance (a sparkline per model, or a bar per day), then the
    /// day-by-model table.
    public static let daily = AnswerView<V1.DailyReport>(rows: \.rows) { answer, context in
        let rows = answer.rows
        var parts: [String] = []
        if !rows.isEmpty {
            switch context.chart {
            case .spark: parts.append(dailyChart(rows))
            case .bars: parts.append(dailyBars(rows, width: context.width))
            case .none: break
            }
        }
        var t = Table(columns: ["date", "model", "tokens", "cache read", "reasoning", "conversations", "avg tokens"],
                      rightAligned: [2, 3, 4, 5, 6])
        for r in rows {
            t.add([r.date ?? "", r.model ?? "(none)", Format.integer(r.tokens ?? 0),
                   Format.integer(r.cachedReadTokens ?? 0), Format.integer(r.reasoningTokens ?? 0),
                   Format.integer(r.conversations ?? 0), Format.decimal(r.avgTokens ?? 0)])
        }
        parts.append(t.render())
        return parts.joined(separator: "\n\n")
    }

    /// One line per model: name, total tokens, and a sparkline over every day of the
    /// answer (oldest left), days without tokens left blank.
    static func dailyChart(_ rows: [V1.DailyModelTokens]) -> String {
        let dates = Array(Set(rows.compactMap(\.date))).sorted()
        var models: [String] = []
        var tokens: [String: [String: Int64]] = [:]
        for r in rows {
            let model = r.model ?? "(none)"
            if tokens[model] == nil { models.append(model) }
            tokens[model, default: [:]][r.date ?? "", default: 0] += r.tokens ?? 0
        }
        var t = Table(columns: ["model", "tokens", "\(dates.first ?? "") .. \(dates.last ?? "")"], rightAligned: [1])
        for model in models.sorted() {
            let series = dates.map { tokens[model]?[$0] ?? 0 }
            t.add([model, Format.integer(series.reduce(0, +)), Sparkline.render(series)])
        }
        return t.render()
    }

    /// One bar per day: the day's tokens over every model.
    static func dailyBars(_ rows: [V1.DailyModelTokens], width: Int) -> String {
        var byDay: [String: Int64] = [:]
        for r in rows { byDay[r.date ?? "", default: 0] += r.tokens ?? 0 }
        var chart = BarChart()
        for day in byDay.keys.sorted() { chart.add(day, byDay[day] ?? 0) }
        return "tokens by day\n" + chart.render(width: width)
    }

    /// A 24-bar histogram of conversations by local hour, then the table.
    public static let hourly = AnswerView<V1.HourlyReport>(rows: \.rows) { answer, context in
        let rows = answer.rows
        var byHour = [Int64](repeating: 0, count: 24)
        for r in rows {
            if let h = r.hour, h < 24 { byHour[Int(h)] = r.conversations ?? 0 }
        }
        var parts: [String] = []
        if context.chart != .none, !rows.isEmpty {
            parts.append("conversations by hour (\(context.zoneName))\n"
                         + Histogram(labels: (0..<24).map { String(format: "%02d", $0) }, values: byHour).render())
        }
        var t = Table(columns: ["hour", "conversations", "avg tokens", "cache read", "reasoning"], rightAligned: [1, 2, 3, 4])
        for r in rows {
            t.add([String(format: "%02d:00", Int(r.hour ?? 0)), Format.integer(r.conversations ?? 0),
                   Format.decimal(r.avgTokens ?? 0), Format.integer(r.cachedReadTokens ?? 0),
                   Format.integer(r.reasoningTokens ?? 0)])
        }
        parts.append(t.render())
        return parts.joined(separator: "\n\n")
    }
}
