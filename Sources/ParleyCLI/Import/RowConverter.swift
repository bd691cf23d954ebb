import Foundation
import ParleyCore
import ParleyWire

/// One RPC an imported row turns into.
enum ImportCall: Equatable {
    /// Sent in LogTurns batches.
    case turn(V1.Turn)
    case message(V1.Message)
    case device(V1.Device)
    case contact(V1.Contact)
    case persona(V1.Persona)
    case lead(V1.Lead)
    case feedback(V1.Feedback)
}

/// Turns one mapped row into the RPC requests that record it. Only what the CLI can
/// judge is checked here (numbers, times, directions); the server judges the rest
/// (ids, sizes, ranges) and its reasons are reported with the row's line. The keys of a
/// row are the source table's column names (SourceTable), not protobuf field names.
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
            var t = V1.Turn(turnID: f["turn_id"], organizationID: org, sessionID: f["session_id"], deviceID: f["device_id"],
                            messageID: f["message_id"], contactID: f["contact_id"], personaID: f["persona_id"],
                            widgetID: f["widget_id"], userID: f["user_id"], model: f["model"],
                            userMessage: f["user_message"], aiResponse: f["ai_response"])
            t.language = f["language"]
            let columns = UsageColumns(input: try integer(f, "input_tokens"), cachedRead: try integer(f, "cached_read_tokens"),
                                       cacheWrite: try integer(f, "cache_write_tokens"), output: try integer(f, "output_tokens"),
                                       reasoning: try integer(f, "reasoning_tokens"), total: try integer(f, "tokens_used"))
            if !columns.isEmpty {
                let counts = try columns.normalized(usageFormat)
                var tokens = V1.TokenCounts(input: counts.input, output: counts.output, cachedRead: counts.cachedRead,
                                            cacheWrite: counts.cacheWrite, total: counts.total == 0 ? nil : counts.total)
                tokens.reasoning = counts.reasoning
                t.tokens = tokens
            }
            t.userMessageAtMs = try time(f, "user_message_at")
            t.repliedAtMs = try time(f, "replied_at")
            t.responseTimeMs = try integer(f, "response_time_ms")
            t.sentimentScore = try decimal(f, "sentiment_score")
            t.errorCount = try integer(f, "error_count").map { Int32(clamping: $0) }
            t.feedbackScore = try integer(f, "feedback_score").map { Int32(clamping: $0) }
            return [.turn(t)]
        case .messages:
            return [.message(V1.Message(messageID: f["message_id"], organizationID: org, contactID: f["contact_id"],
                                        deviceID: f["device_id"], sessionID: f["session_id"],
                                        direction: try direction(f["direction"]), content: f["content"],
                                        createdAtMs: try time(f, "created_at")))]
        case .whatsappConnections:
            return [.device(V1.Device(organizationID: org, deviceID: f["device_id"], name: f["name"], phoneNumber: f["phone_number"]))]
        case .contacts:
            return [.contact(V1.Contact(organizationID: org, contactID: f["contact_id"], name: f["name"], phoneNumber: f["phone_number"]))]
        case .personas:
            return [.persona(V1.Persona(organizationID: org, personaID: f["persona_id"], name: f["name"], defaultModel: f["default_model"]))]
        case .leads:
            return [.lead(V1.Lead(organizationID: org, sessionID: f["session_id"], name: f["name"], email: f["email"],
                                  company: f["company"], capturedAtMs: try time(f, "captured_at")))]
        case .conversationMetrics:
            // Session metrics are rebuilt from turns (parley admin backfill); what a
            // metrics row adds that turns lack is its lead and its satisfaction.
            var calls: [ImportCall] = []
            if try boolean(f, "has_lead") == true {
                calls.append(.lead(V1.Lead(organizationID: org, sessionID: f["session_id"], name: f["lead_name"],
                                           email: f["lead_email"], company: f["lead_company"],
                                           capturedAtMs: try time(f, "lead_captured_at"))))
            }
            if let score = try decimal(f, "user_satisfaction") {
                calls.append(.feedback(V1.Feedback(organizationID: org, sessionID: f["session_id"],
                                                   score: Int32(max(1, min(5, score.rounded()))))))
            }
            return calls
        }
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

    private func direction(_ text: String?) throws(RowReason) -> V1.Direction {
        switch text?.lowercased() {
        case "inbound", "incoming", "in", "received", "1": return .inbound
        case "outbound", "outgoing", "out", "sent", "2": return .outbound
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
