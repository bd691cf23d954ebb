import ParleyClient
import ParleyWire

/// What became of one call of an imported row.
enum CallOutcome: Sendable, Equatable {
    case stored
    case duplicate
    case rejected(String)
}

/// Converted rows waiting to be sent together: turns as one LogTurns call, messages as
/// one LogMessages call, devices, contacts and personas as one UpsertDirectory call,
/// leads as one CaptureLeads call and feedback as one RecordFeedbackBatch call.
struct ImportBatch: Sendable {
    struct Row: Sendable {
        let line: Int
        let calls: [ImportCall]
    }

    private(set) var rows: [Row] = []
    private(set) var callCount = 0
    /// The last input line read before the batch was sent (rows rejected locally or
    /// skipped included): once the batch is answered, the import is done up to it.
    var lastLine = 0

    var isEmpty: Bool { rows.isEmpty }

    mutating func append(line: Int, calls: [ImportCall]) {
        rows.append(Row(line: line, calls: calls))
        callCount += calls.count
    }

    /// Sends the batch; one outcome per call, in row and call order. Throws only what is
    /// not about a row (the server or the key is gone), which stops the import.
    func send(with client: ParleyClient) async throws -> [CallOutcome] {
        var outcomes: [CallOutcome?] = []
        outcomes.reserveCapacity(callCount)
        var turns: [(slot: Int, turn: V1.Turn)] = []
        var messages: [(slot: Int, message: V1.Message)] = []
        var directory: [(slot: Int, row: V1.DirectoryRow)] = []
        var leads: [(slot: Int, row: Int, lead: V1.Lead)] = []
        var feedback: [(slot: Int, row: Int, feedback: V1.Feedback)] = []
        for (r, row) in rows.enumerated() {
            for call in row.calls {
                let slot = outcomes.count
                outcomes.append(nil)
                switch call {
                case .turn(let t): turns.append((slot, t))
                case .message(let m): messages.append((slot, m))
                case .device(let d): directory.append((slot, V1.DirectoryRow(device: d)))
                case .contact(let c): directory.append((slot, V1.DirectoryRow(contact: c)))
                case .persona(let p): directory.append((slot, V1.DirectoryRow(persona: p)))
                case .lead(let l): leads.append((slot, r, l))
                case .feedback(let f): feedback.append((slot, r, f))
                }
            }
        }
        if !turns.isEmpty {
            let answer = try await client.logTurns(V1.LogTurnsRequest(turns: turns.map(\.turn)))
            for (k, entry) in turns.enumerated() {
                outcomes[entry.slot] = k < answer.items.count
                    ? ImportBatch.outcome(status: answer.items[k].status, duplicate: answer.items[k].outcome == .duplicate,
                                          message: answer.items[k].message, violations: answer.items[k].violations)
                    : ImportBatch.missing
            }
        }
        if !messages.isEmpty {
            let answer = try await client.logMessages(V1.LogMessagesRequest(messages: messages.map(\.message)))
            for (k, entry) in messages.enumerated() { outcomes[entry.slot] = ImportBatch.outcome(answer.items, k) }
        }
        if !directory.isEmpty {
            let answer = try await client.upsertDirectory(V1.UpsertDirectoryRequest(rows: directory.map(\.row)))
            for (k, entry) in directory.enumerated() { outcomes[entry.slot] = ImportBatch.outcome(answer.items, k) }
        }
        // A metrics row's lead goes before its feedback, and a row whose lead was refused
        // sends no feedback: the row is reported once, with the lead's reason.
        var refusedRows: [Int: CallOutcome] = [:]
        if !leads.isEmpty {
            let answer = try await client.captureLeads(V1.CaptureLeadsRequest(leads: leads.map(\.lead)))
            for (k, entry) in leads.enumerated() {
                let outcome = ImportBatch.outcome(answer.items, k)
                if case .rejected = outcome { refusedRows[entry.row] = outcome }
                outcomes[entry.slot] = outcome
            }
        }
        var admitted: [(slot: Int, row: Int, feedback: V1.Feedback)] = []
        for entry in feedback {
            if let refused = refusedRows[entry.row] { outcomes[entry.slot] = refused } else { admitted.append(entry) }
        }
        if !admitted.isEmpty {
            let answer = try await client.recordFeedbackBatch(V1.RecordFeedbackBatchRequest(feedback: admitted.map(\.feedback)))
            for (k, entry) in admitted.enumerated() { outcomes[entry.slot] = ImportBatch.outcome(answer.items, k) }
        }
        return outcomes.map { $0 ?? ImportBatch.missing }
    }

    private static let missing = CallOutcome.rejected("the server answered no result for this row")

    private static func outcome(_ items: [V1.BatchItemResult], _ k: Int) -> CallOutcome {
        guard k < items.count else { return missing }
        return outcome(status: items[k].status, duplicate: items[k].duplicate == true, message: items[k].message, violations: items[k].violations)
    }

    private static func outcome(status: UInt32?, duplicate: Bool, message: String?, violations: [V1.FieldViolation]) -> CallOutcome {
        let status = StatusCode(rawValue: UInt16(truncatingIfNeeded: status ?? 0)) ?? .unknown
        guard status == .ok else {
            let fields = violations.map { FieldViolation(field: Importer.unprefixed($0.field ?? ""), reason: $0.reason ?? "") }
            return .rejected(Importer.reason(RPCError(status, message ?? "", violations: fields)))
        }
        return duplicate ? .duplicate : .stored
    }
}
