import ParleyClient
import ParleyWire

/// What became of one call of an imported row.
enum CallOutcome: Sendable, Equatable {
    case stored
    case duplicate
    case rejected(String)
}

/// Converted rows waiting to be sent together: turns as one LogTurns call, messages as
/// one LogMessages call, devices, contacts and personas as one UpsertDirectory call;
/// leads and feedback (which have no batch method) one call each, many at once.
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
    func send(with client: ParleyClient, concurrentCalls: Int) async throws -> [CallOutcome] {
        var outcomes: [CallOutcome?] = []
        outcomes.reserveCapacity(callCount)
        var turns: [(slot: Int, turn: V1.Turn)] = []
        var messages: [(slot: Int, message: V1.Message)] = []
        var directory: [(slot: Int, row: V1.DirectoryRow)] = []
        var unary: [(slot: Int, row: Int, call: ImportCall)] = []
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
                case .lead, .feedback: unary.append((slot, r, call))
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
        for (slot, outcome) in try await ImportBatch.sendAlone(unary, with: client, concurrency: concurrentCalls) { outcomes[slot] = outcome }
        return outcomes.map { $0 ?? ImportBatch.missing }
    }

    private static let missing = CallOutcome.rejected("the server answered no result for this row")

    /// Calls without a batch method (leads, feedback), `concurrency` sessions at a time
    /// (kept under the server's calls-in-flight limit: past it the server stops reading,
    /// and a frame left half-read that long is a protocol timeout). Each session's calls
    /// go one after another in file order, so its log keeps that order; a row whose first
    /// call was refused sends no more (its lead, then its feedback).
    private static func sendAlone(_ calls: [(slot: Int, row: Int, call: ImportCall)], with client: ParleyClient,
                                  concurrency: Int) async throws -> [(Int, CallOutcome)] {
        var chains: [[(slot: Int, row: Int, call: ImportCall)]] = []
        var chainOfSession: [String: Int] = [:]
        for entry in calls {
            let session = entry.call.sessionScope
            if let chain = chainOfSession[session] {
                chains[chain].append(entry)
            } else {
                chainOfSession[session] = chains.count
                chains.append([entry])
            }
        }
        return try await withThrowingTaskGroup(of: [(Int, CallOutcome)].self) { group in
            var all: [(Int, CallOutcome)] = []
            for (n, chain) in chains.enumerated() {
                if n >= max(1, concurrency), let answered = try await group.next() { all += answered }
                group.addTask {
                    var answered: [(Int, CallOutcome)] = []
                    var refused: (row: Int, outcome: CallOutcome)?
                    for entry in chain {
                        if let refused, refused.row == entry.row {
                            answered.append((entry.slot, refused.outcome))
                            continue
                        }
                        let outcome = try await sendAlone(entry.call, with: client)
                        if case .rejected = outcome { refused = (entry.row, outcome) }
                        answered.append((entry.slot, outcome))
                    }
                    return answered
                }
            }
            for try await answered in group { all += answered }
            return all
        }
    }

    private static func sendAlone(_ call: ImportCall, with client: ParleyClient) async throws -> CallOutcome {
        do {
            switch call {
            case .lead(let lead): _ = try await client.captureLead(lead)
            case .feedback(let feedback): _ = try await client.recordFeedback(feedback)
            case .turn(let turn): return try await client.logTurn(turn).outcome == .duplicate ? .duplicate : .stored
            case .message(let message): return try await client.logMessage(message).outcome == .duplicate ? .duplicate : .stored
            case .device(let device): _ = try await client.upsertDevice(device)
            case .contact(let contact): _ = try await client.upsertContact(contact)
            case .persona(let persona): _ = try await client.upsertPersona(persona)
            }
            return .stored
        } catch let e as RPCError where Importer.isAboutTheRow(e.status) {
            return .rejected(Importer.reason(e))
        }
    }

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
