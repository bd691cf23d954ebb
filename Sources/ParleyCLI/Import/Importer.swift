import ParleyClient
import ParleyWire

/// Reads rows, converts them, and records them: turns in LogTurns batches, everything
/// else one call per row. A bad row is reported with its line and reason and the import
/// goes on; only losing the server (or the key) stops it, with the checkpoint saved.
final class Importer {
    struct Summary: Equatable {
        var read = 0
        var stored = 0
        var duplicates = 0
        var rejected = 0
        var skipped = 0
    }

    private let source: RecordSource
    private let mapping: ColumnMapping
    private let converter: RowConverter
    private let client: ParleyClient
    private let checkpoint: Checkpoint
    private let firstLine: Int
    private let batchSize: Int
    private let display: ProgressDisplay
    private let terminal: Terminal
    private var pending: [(line: Int, turn: V1.Turn)] = []
    private var lastDone = 0
    private var summary = Summary()

    init(source: RecordSource, mapping: ColumnMapping, converter: RowConverter, client: ParleyClient, checkpoint: Checkpoint,
         firstLine: Int, batchSize: Int, display: ProgressDisplay, terminal: Terminal) {
        self.source = source
        self.mapping = mapping
        self.converter = converter
        self.client = client
        self.checkpoint = checkpoint
        self.firstLine = firstLine
        self.batchSize = batchSize
        self.display = display
        self.terminal = terminal
    }

    func run() async throws -> Summary {
        while let next = try source.next() {
            display.update(done: source.bytesRead, total: source.totalBytes)
            switch next {
            case .failure(let problem):
                if problem.line >= firstLine {
                    summary.read += 1
                    reject(problem.line, problem.reason)
                }
            case .success(let record):
                guard record.line >= firstLine else {
                    summary.skipped += 1
                    continue
                }
                summary.read += 1
                try await handle(record)
            }
        }
        try await flush()
        display.update(done: source.totalBytes, total: source.totalBytes)
        return summary
    }

    private func handle(_ record: SourceRecord) async throws {
        let calls: [ImportCall]
        do {
            calls = try converter.calls(mapping.apply(record.values))
        } catch {
            reject(record.line, error.text)
            return
        }
        if calls.isEmpty {
            summary.skipped += 1
            try markDone(record.line, every: 1_000)
            return
        }
        var unary: [ImportCall] = []
        for call in calls {
            guard case .turn(let turn) = call else {
                unary.append(call)
                continue
            }
            pending.append((record.line, turn))
            if pending.count >= batchSize { try await flush() }
        }
        guard !unary.isEmpty else { return }
        var duplicate = false
        for call in unary {
            do {
                if try await send(call) == .duplicate { duplicate = true }
            } catch let e as RPCError where Importer.isAboutTheRow(e.status) {
                reject(record.line, Importer.reason(e))
                try markDone(record.line, every: 1_000)
                return
            }
        }
        if duplicate { summary.duplicates += 1 } else { summary.stored += 1 }
        try markDone(record.line, every: 1_000)
    }

    /// Sends one call that is not batched; answers the outcome where the method tells one.
    private func send(_ call: ImportCall) async throws -> V1.WriteOutcome? {
        switch call {
        case .turn(let turn): return try await client.logTurn(turn).outcome
        case .message(let message): return try await client.logMessage(message).outcome
        case .device(let device): _ = try await client.upsertDevice(device)
        case .contact(let contact): _ = try await client.upsertContact(contact)
        case .persona(let persona): _ = try await client.upsertPersona(persona)
        case .lead(let lead): _ = try await client.captureLead(lead)
        case .feedback(let feedback): _ = try await client.recordFeedback(feedback)
        }
        return nil
    }

    /// Sends the pending turns as one LogTurns call and accounts for each item.
    private func flush() async throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        let answer = try await client.logTurns(V1.LogTurnsRequest(turns: batch.map(\.turn)))
        let items = answer.items
        for (i, row) in batch.enumerated() {
            guard i < items.count else {
                reject(row.line, "the server answered no result for this row")
                continue
            }
            let item = items[i]
            let status = StatusCode(rawValue: UInt16(truncatingIfNeeded: item.status ?? 0)) ?? .unknown
            if status == .ok {
                if item.outcome == .duplicate { summary.duplicates += 1 } else { summary.stored += 1 }
            } else {
                let violations = item.violations.map { v in
                    FieldViolation(field: Importer.unprefixed(v.field ?? ""), reason: v.reason ?? "")
                }
                reject(row.line, Importer.reason(RPCError(status, item.message ?? "", violations: violations)))
            }
        }
        try markDone(batch[batch.count - 1].line, every: 1)
    }

    /// Saves the checkpoint once every `every` rows (each batch for turns).
    private func markDone(_ line: Int, every: Int) throws {
        guard pending.isEmpty else { return }
        if line - lastDone >= every || every == 1 {
            try checkpoint.save(lastLine: line)
            lastDone = line
        }
    }

    private func reject(_ line: Int, _ reason: String) {
        summary.rejected += 1
        display.interrupt()
        terminal.note("line \(line): \(reason)")
    }

    /// Statuses that judge the row, not the connection: the import goes on after them.
    static func isAboutTheRow(_ status: StatusCode) -> Bool {
        [.invalidArgument, .alreadyExists, .notFound, .failedPrecondition, .outOfRange].contains(status)
    }

    static func reason(_ e: RPCError) -> String {
        if !e.violations.isEmpty { return e.violations.map(\.description).joined(separator: "; ") }
        return "\(e.status.name): \(e.message)"
    }

    /// "turns[3].session_id" -> "session_id": the line number already says which row.
    static func unprefixed(_ field: String) -> String {
        guard field.hasPrefix("turns["), let close = field.firstIndex(of: "]") else { return field }
        let rest = field[field.index(after: close)...]
        return String(rest.hasPrefix(".") ? rest.dropFirst() : rest)
    }
}
