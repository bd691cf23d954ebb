import Foundation
import ParleyCore
import ParleyWire

/// One RPC an imported row turns into.
enum ImportCall: Equatable, Sendable {
    /// Turns go in LogTurns batches, messages in LogMessages, devices, contacts and
    /// personas in UpsertDirectory, leads in CaptureLeads, feedback in RecordFeedbackBatch.
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
/// row are import fields (ImportField), not protobuf field names.
struct RowConverter {
    let table: SourceTable
    /// Used when a row names no organization.
    let defaultOrganization: String?
    /// The convention of the token columns (`--usage-format`).
    var usageFormat: UsageConvention = .parley
    private static let utc = TimeZone(identifier: "UTC") ?? .current

    func calls(_ f: MappedRow) throws(RowReason) -> [ImportCall] {
        let org = f[.organizationId] ?? defaultOrganization
        switch table {
        case .aiConversations:
            var t = V1.Turn(turnID: f[.turnId], organizationID: org, sessionID: f[.sessionId], deviceID: f[.deviceId],
                            messageID: f[.messageId], contactID: f[.contactId], personaID: f[.personaId],
                            widgetID: f[.widgetId], userID: f[.userId], model: f[.model],
                            userMessage: f[.userMessage], aiResponse: f[.aiResponse])
            t.language = f[.language]
            let columns = UsageColumns(input: try integer(f, .inputTokens), cachedRead: try integer(f, .cachedReadTokens),
                                       cacheWrite: try integer(f, .cacheWriteTokens), output: try integer(f, .outputTokens),
                                       reasoning: try integer(f, .reasoningTokens), total: try integer(f, .tokensUsed))
            if !columns.isEmpty {
                let counts = try columns.normalized(usageFormat)
                var tokens = V1.TokenCounts(input: counts.input, output: counts.output, cachedRead: counts.cachedRead,
                                            cacheWrite: counts.cacheWrite, total: counts.total == 0 ? nil : counts.total)
                tokens.reasoning = counts.reasoning
                t.tokens = tokens
            }
            t.userMessageAtMs = try time(f, .userMessageAt)
            t.repliedAtMs = try time(f, .repliedAt)
            t.responseTimeMs = try integer(f, .responseTimeMs)
            t.sentimentScore = try decimal(f, .sentimentScore)
            t.errorCount = try integer(f, .errorCount).map { Int32(clamping: $0) }
            t.feedbackScore = try integer(f, .feedbackScore).map { Int32(clamping: $0) }
            return [.turn(t)]
        case .messages:
            return [.message(V1.Message(messageID: f[.messageId], organizationID: org, contactID: f[.contactId],
                                        deviceID: f[.deviceId], sessionID: f[.sessionId],
                                        direction: try direction(f[.direction]), content: f[.content],
                                        createdAtMs: try time(f, .createdAt)))]
        case .whatsappConnections:
            return [.device(V1.Device(organizationID: org, deviceID: f[.deviceId], name: f[.name], phoneNumber: f[.phoneNumber]))]
        case .contacts:
            return [.contact(V1.Contact(organizationID: org, contactID: f[.contactId], name: f[.name], phoneNumber: f[.phoneNumber]))]
        case .personas:
            return [.persona(V1.Persona(organizationID: org, personaID: f[.personaId], name: f[.name], defaultModel: f[.defaultModel]))]
        case .leads:
            return [.lead(V1.Lead(organizationID: org, sessionID: f[.sessionId], name: f[.name], email: f[.email],
                                  company: f[.company], capturedAtMs: try time(f, .capturedAt)))]
        case .conversationMetrics:
            // Session metrics are rebuilt from turns (parley admin backfill); what a
            // metrics row adds that turns lack is its lead and its satisfaction.
            var calls: [ImportCall] = []
            if try boolean(f, .hasLead) == true {
                calls.append(.lead(V1.Lead(organizationID: org, sessionID: f[.sessionId], name: f[.leadName],
                                           email: f[.leadEmail], company: f[.leadCompany],
                                           capturedAtMs: try time(f, .leadCapturedAt))))
            }
            if let score = try decimal(f, .userSatisfaction) {
                calls.append(.feedback(V1.Feedback(organizationID: org, sessionID: f[.sessionId],
                                                   score: Int32(max(1, min(5, score.rounded()))))))
            }
            return calls
        }
    }

    private func integer(_ f: MappedRow, _ field: ImportField) throws(RowReason) -> Int64? {
        guard let text = f[field] else { return nil }
        if let v = Int64(text) { return v }
        // MySQL exports DECIMAL and some drivers write integers as 12.0.
        if let d = Double(text), d.rounded() == d, abs(d) < 9e15 { return Int64(d) }
        throw RowReason("\(field.name): \"\(text)\" is not a whole number")
    }

    private func decimal(_ f: MappedRow, _ field: ImportField) throws(RowReason) -> Double? {
        guard let text = f[field] else { return nil }
        guard let v = Double(text), v.isFinite else { throw RowReason("\(field.name): \"\(text)\" is not a number") }
        return v
    }

    private func boolean(_ f: MappedRow, _ field: ImportField) throws(RowReason) -> Bool? {
        guard let text = f[field]?.lowercased() else { return nil }
        switch text {
        case "1", "true", "t", "yes", "y": return true
        case "0", "false", "f", "no", "n": return false
        default: throw RowReason("\(field.name): \"\(text)\" is not true or false")
        }
    }

    /// MySQL DATETIME ("2026-11-02 14:05:09", UTC), ISO 8601, or epoch milliseconds.
    private func time(_ f: MappedRow, _ field: ImportField) throws(RowReason) -> Int64? {
        guard let text = f[field] else { return nil }
        if let ms = DateTimeText.utcMilliseconds(text) { return ms }
        do {
            return try TimeExpression.absolute(text, timeZone: RowConverter.utc)
        } catch {
            throw RowReason("\(field.name): \"\(text)\" is not a time; use 'YYYY-MM-DD HH:MM:SS' (UTC), ISO 8601 or epoch milliseconds")
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
