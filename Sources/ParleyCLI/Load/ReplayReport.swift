import ParleyLoad

/// The text `parley-load replay` prints for a `ReplaySummary`.
enum ReplayReport {
    static func lines(_ s: ReplaySummary, outcomes: LogTurnOutcomes) -> [String] {
        var rate = "\(Format.integer(Int64(s.achievedRate.rounded()))) calls/s"
        if let intended = s.intendedRate { rate += ", intended \(Format.integer(Int64(intended.rounded())))/s" }
        var lines = [
            "\(Format.integer(Int64(s.calls))) calls in \(String(format: "%.2f", s.seconds)) s (\(rate)): "
                + "\(Format.integer(Int64(s.succeeded))) ok, \(Format.integer(Int64(s.failed))) failed",
        ]
        if outcomes.stored + outcomes.duplicates > 0 {
            lines.append("turns: \(Format.integer(Int64(outcomes.stored))) stored, \(Format.integer(Int64(outcomes.duplicates))) duplicates")
        }
        let l = s.latency
        let from = s.loop == "open" ? "from the intended send time" : "from the actual send"
        lines.append("latency (\(s.loop) loop, \(from)): p50 \(ms(l.p50Ms)), p90 \(ms(l.p90Ms)), p99 \(ms(l.p99Ms)), "
                     + "p99.9 \(ms(l.p999Ms)), max \(ms(l.maxMs))")
        if !s.errorsByStatus.isEmpty {
            lines.append("errors: " + s.errorsByStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for e in s.transportErrors { lines.append("transport error: \(e)") }
        if let v = s.verify {
            if let note = v.note { lines.append("verify: \(note)") }
            lines.append("verify: \(Format.integer(Int64(v.compared))) answers compared, \(Format.integer(Int64(v.mismatches))) differ"
                         + (v.withoutRecordedAnswer > 0 ? ", \(Format.integer(Int64(v.withoutRecordedAnswer))) requests without a recorded answer" : ""))
            for e in v.examples { lines.append("mismatch: \(e)") }
        }
        return lines
    }

    private static func ms(_ value: Double) -> String { Format.milliseconds(value) }
}
