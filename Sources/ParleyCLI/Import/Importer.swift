import ParleyClient
import ParleyWire

/// Reads rows, converts them and sends them in batches (ImportBatch), keeping up to
/// `inFlight` batches outstanding while it reads and converts the next: the file is
/// parsed while the server stores. Answers are taken in send order, so the checkpoint
/// only ever names a line up to which every row was answered. A bad row is reported with
/// its line and reason and the import goes on; only losing the server (or the key) stops
/// it, with the checkpoint saved.
final class Importer {
    struct Summary: Equatable {
        var read = 0
        var stored = 0
        var duplicates = 0
        var rejected = 0
        var skipped = 0
    }

    private let source: RecordSource
    private let plan: ColumnPlan
    private let converter: RowConverter
    private let client: ParleyClient
    private let checkpoint: Checkpoint
    private let firstLine: Int
    private let batchSize: Int
    private let inFlight: Int
    private let display: ProgressDisplay
    private let terminal: Terminal
    private var outstanding: [(batch: ImportBatch, answer: Task<[CallOutcome], Error>)] = []
    private var summary = Summary()

    init(source: RecordSource, mapping: ColumnMapping, converter: RowConverter, client: ParleyClient, checkpoint: Checkpoint,
         firstLine: Int, batchSize: Int, inFlight: Int, display: ProgressDisplay, terminal: Terminal) {
        self.source = source
        plan = mapping.plan(source.columns)
        self.converter = converter
        self.client = client
        self.checkpoint = checkpoint
        self.firstLine = firstLine
        self.batchSize = batchSize
        self.inFlight = max(1, inFlight)
        self.display = display
        self.terminal = terminal
    }

    func run() async throws -> Summary {
        do {
            try await readAll()
        } catch {
            for pending in outstanding { pending.answer.cancel() }
            outstanding = []
            throw error
        }
        display.update(done: source.totalBytes, total: source.totalBytes)
        return summary
    }

    private func readAll() async throws {
        var batch = ImportBatch()
        while let next = try source.next(plan) {
            display.update(done: source.bytesRead, total: source.totalBytes)
            switch next {
            case .failure(let problem):
                guard problem.line >= firstLine else { continue }
                summary.read += 1
                reject(problem.line, problem.reason)
                batch.lastLine = problem.line
            case .success(let record):
                guard record.line >= firstLine else {
                    summary.skipped += 1
                    continue
                }
                summary.read += 1
                batch.lastLine = record.line
                do {
                    let calls = try converter.calls(record.row)
                    if calls.isEmpty { summary.skipped += 1 } else { batch.append(line: record.line, calls: calls) }
                } catch {
                    reject(record.line, error.text)
                }
            }
            if batch.callCount >= batchSize {
                try await send(batch)
                batch = ImportBatch()
            }
        }
        if !batch.isEmpty { try await send(batch) }
        while !outstanding.isEmpty { try await settleOldest() }
    }

    /// Starts `batch` once fewer than `inFlight` batches are outstanding.
    private func send(_ batch: ImportBatch) async throws {
        while outstanding.count >= inFlight { try await settleOldest() }
        let client = client
        outstanding.append((batch, Task { try await batch.send(with: client) }))
    }

    /// Waits for the oldest batch, accounts for its rows and moves the checkpoint past it.
    private func settleOldest() async throws {
        let (batch, answer) = outstanding.removeFirst()
        let outcomes = try await answer.value
        var k = 0
        for row in batch.rows {
            let mine = outcomes[k..<min(outcomes.count, k + row.calls.count)]
            k += row.calls.count
            if let reason = mine.lazy.compactMap({ outcome -> String? in
                if case .rejected(let reason) = outcome { return reason } else { return nil }
            }).first {
                reject(row.line, reason)
            } else if mine.contains(.duplicate) {
                summary.duplicates += 1
            } else {
                summary.stored += 1
            }
        }
        try checkpoint.save(lastLine: batch.lastLine)
    }

    private func reject(_ line: Int, _ reason: String) {
        summary.rejected += 1
        display.interrupt()
        terminal.note("line \(line): \(reason)")
    }

    static func reason(_ e: RPCError) -> String {
        if !e.violations.isEmpty { return e.violations.map(\.description).joined(separator: "; ") }
        return "\(e.status.name): \(e.message)"
    }

    /// "turns[3].session_id" -> "session_id", "rows[2].device.name" -> "name": the line
    /// number already says which row.
    static func unprefixed(_ field: String) -> String {
        guard let open = field.firstIndex(of: "["), let close = field.firstIndex(of: "]"), open < close,
              field[field.index(after: open)..<close].allSatisfy(\.isNumber) else { return field }
        var rest = field[field.index(after: close)...]
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        if field.hasPrefix("rows["), let dot = rest.firstIndex(of: ".") { rest = rest[rest.index(after: dot)...] }
        return String(rest)
    }
}
