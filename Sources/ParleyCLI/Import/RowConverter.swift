import Foundation
import ParleyCore
import ParleyWire

/// One RPC an imported row turns into.
struct ImportCall {
    let method: Method
    let message: ProtoMessage
}

/// Turns one mapped row into the RPC requests that record it. Only what the CLI can
/// judge is checked here (numbers, times, directions); the server judges the rest
/// (ids, sizes, ranges) and its reasons are reported with the row's line.
struct RowConverter {
    let table: SourceTable
    /// Used when a row names no organization.
    let defaultOrganization: String?
    /// The convention of the token columns (`--usage-format`).
    var usageFormat: UsageConvention = .parley

    func calls(_ f: [String: String]) throws(RowReason) -> [ImportCall] {
        let org = f["organization_id"] ?? defaultOrganization
        switch table {
        case .aiConversations:
            var t = ProtoMessage(RecordTypes.turn)
            for name in ["turn_id", "session_id", "device_id", "message_id", "contact_id", "persona_id", "widget_id", "user_id",
                         "model", "user_message", "ai_response", "language"] {
                t.set(name, f[name])
            }
            t.set("organization_id", org)
            let columns = UsageColumns(input: try integer(f, "input_tokens"), cachedRead: try integer(f, "cached_read_tokens"),
                                       cacheWrite: try integer(f, "cache_write_tokens"), output: try integer(f, "output_tokens"),
                                       reasoning: try integer(f, "reasoning_tokens"), total: try integer(f, "tokens_used"))
            if !columns.isEmpty {
                let counts = try columns.normalized(usageFormat)
                var tokens = ProtoMessage(RecordTypes.tokenCounts)
                tokens.set("input", counts.input)
                tokens.set("output", counts.output)
                tokens.set("cached_read", counts.cachedRead)
                tokens.set("cache_write", counts.cacheWrite)
                tokens.set("total", counts.total == 0 ? nil : counts.total)
                tokens.set("reasoning", counts.reasoning)
                t.set("tokens", tokens)
            }
            t.set("user_message_at_ms", try time(f, "user_message_at"))
            t.set("replied_at_ms", try time(f, "replied_at"))
            t.set("response_time_ms", try integer(f, "response_time_ms"))
            t.set("sentiment_score", try decimal(f, "sentiment_score"))
            t.set("error_count", try integer(f, "error_count").map { Int32(clamping: $0) })
            t.set("feedback_score", try integer(f, "feedback_score").map { Int32(clamping: $0) })
            return [ImportCall(method: .logTurns, message: t)]
        case .messages:
            var m = ProtoMessage(RecordTypes.message)
            for name in ["message_id", "contact_id", "device_id", "session_id", "content"] { m.set(name, f[name]) }
            m.set("organization_id", org)
            m.set("direction", try direction(f["direction"]))
            m.set("created_at_ms", try time(f, "created_at"))
            return [ImportCall(method: .logMessage, message: m)]
        case .whatsappConnections:
            return [entity(RecordTypes.device, .upsertDevice, org, ["device_id", "name", "phone_number"], f)]
        case .contacts:
            return [entity(RecordTypes.contact, .upsertContact, org, ["contact_id", "name", "phone_number"], f)]
        case .personas:
            return [entity(RecordTypes.persona, .upsertPersona, org, ["persona_id", "name", "default_model"], f)]
        case .leads:
            var lead = entity(RecordTypes.lead, .captureLead, org, ["session_id", "name", "email", "company"], f).message
            lead.set("captured_at_ms", try time(f, "captured_at"))
            return [ImportCall(method: .captureLead, message: lead)]
        case .conversationMetrics:
            // Session metrics are rebuilt from turns (parley admin backfill); what a
            // metrics row adds that turns lack is its lead and its satisfaction.
            var calls: [ImportCall] = []
            if try boolean(f, "has_lead") == true {
                var lead = ProtoMessage(RecordTypes.lead)
                lead.set("organization_id", org)
                lead.set("session_id", f["session_id"])
                lead.set("name", f["lead_name"])
                lead.set("email", f["lead_email"])
                lead.set("company", f["lead_company"])
                lead.set("captured_at_ms", try time(f, "lead_captured_at"))
                calls.append(ImportCall(method: .captureLead, message: lead))
            }
            if let score = try decimal(f, "user_satisfaction") {
                var feedback = ProtoMessage(RecordTypes.feedback)
                feedback.set("organization_id", org)
                feedback.set("session_id", f["session_id"])
                feedback.set("score", Int32(max(1, min(5, score.rounded()))))
                calls.append(ImportCall(method: .recordFeedback, message: feedback))
            }
            return calls
        }
    }

    private func entity(_ type: MessageType, _ method: Method, _ org: String?, _ names: [String], _ f: [String: String]) -> ImportCall {
        var m = ProtoMessage(type)
        m.set("organization_id", org)
        for name in names { m.set(name, f[name]) }
        return ImportCall(method: method, message: m)
    }

    private func integer(_ f: [String: String], _ name: String) throws(RowReason) -> Int64? {
        guard let text = f[name] else { return nil }
        if let v = Int64(text) { return v }
        // MySQL exports DECIMAL and some drivers write integers as 12.0.
        if let d = Double(text), d.rounded() == d, abs(d) < 9e15 { return Int64(d) }
        throw RowReason("\(name): \"\(text)\" is not a whole number")
    }

    private func decimal(_ f: [String: String], _ name: String) throws(RowReason) -> Double? {
        guard let text = f[name] else { return nil }
        guard let v = Double(text), v.isFinite else { throw RowReason("\(name): \"\(text)\" is not a number") }
        return v
    }

    private func boolean(_ f: [String: String], _ name: String) throws(RowReason) -> Bool? {
        guard let text = f[name]?.lowercased() else { return nil }
        switch text {
        case "1", "true", "t", "yes", "y": return true
        case "0", "false", "f", "no", "n": return false
        default: throw RowReason("\(name): \"\(text)\" is not true or false")
        }
    }

    /// MySQL DATETIME ("2026-11-02 14:05:09", UTC), ISO 8601, or epoch milliseconds.
    private func time(_ f: [String: String], _ name: String) throws(RowReason) -> Int64? {
        guard let text = f[name] else { return nil }
        do {
            return try TimeExpression.absolute(text, timeZone: TimeZone(identifier: "UTC") ?? .current)
        } catch {
            throw RowReason("\(name): \"\(text)\" is not a time; use 'YYYY-MM-DD HH:MM:SS' (UTC), ISO 8601 or epoch milliseconds")
        }
    }

    private func direction(_ text: String?) throws(RowReason) -> Int32 {
        switch text?.lowercased() {
        case "inbound", "incoming", "in", "received", "1": return 1
        case "outbound", "outgoing", "out", "sent", "2": return 2
        case nil: throw RowReason("direction: is missing; give inbound or outbound")
        case let other?: throw RowReason("direction: \"\(other)\" is neither inbound nor outbound")
        }
    }
}

/// Why a row could not be converted, for the rejection line.
struct RowReason: Error {
    let text: String
    init(_ text: String) { self.text = text }
}
