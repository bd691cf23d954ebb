import Foundation
import ParleyCore
import ParleyStorage

/// Parley's domain kept in its storage engine. Writes go through the group-commit
/// `Writer` and return only once their commit is durable; reads each run on their own
/// snapshot, from any thread, never blocked by the writer.
///
/// `@unchecked Sendable`: every stored property is immutable; the database, writer and
/// archive holder guard their own state (locks and conditions inside each).
public final class ParleyStore: @unchecked Sendable {
    public let database: Database
    let options: StoreOptions
    private let writer: Writer
    let turnIntake: TurnIntake
    let recordIntake: RecordIntake
    let archive: ArchiveHolder

    /// Opens or creates the database at `path`, its trees and (when new) the seed price
    /// table, and starts the writer thread.
    public init(path: String, options: StoreOptions = StoreOptions()) throws {
        var databaseOptions = DatabaseOptions()
        databaseOptions.durability = options.durability
        databaseOptions.mapReserve = options.mapReserve
        do {
            database = try Database(path: path, options: databaseOptions)
        } catch {
            throw StoreError.wrap(error)
        }
        do {
            try Schema.prepare(database)
        } catch {
            database.close()
            throw StoreError.wrap(error)
        }
        self.options = options
        turnIntake = TurnIntake(limits: options.limits, tokenCounter: options.tokenCounter)
        recordIntake = RecordIntake(limits: options.limits)
        writer = Writer(database: database, maxBatch: options.maxBatch, onCommit: options.onCommit)
        archive = ArchiveHolder(path: options.keepsArchive ? ArchiveHolder.path(besides: path) : nil, durability: options.durability)
        do {
            try archive.openIfPresent()
        } catch {
            close()
            throw StoreError.wrap(error)
        }
    }

    /// The archive database that retention moves detail into: `archive.db` next to the
    /// main file.
    public var archivePath: String? { archive.path }

    /// Commits what is queued, stops the writer, closes the database. Later calls fail
    /// with `.closed`.
    public func close() {
        archive.close()
        writer.close()
        database.close()
    }

    public var writerStatistics: WriterStatistics { writer.currentStatistics }

    // MARK: Writes

    /// One result per turn, in order. Valid turns are stored even when others are
    /// rejected; a storage failure fails every turn of the batch (`.failed`).
    public func logTurns(_ turns: [Turn], receivedAt: Millis) async -> [TurnResult] {
        let intake = turnIntake
        let archive = archive
        // Counted here, on the caller's task, not on the writer thread.
        let turns = turns.map(intake.counted)
        do {
            return try await submit(items: turns.count) { txn in
                let turnWriter = TurnWriter(txn: txn, intake: intake, receivedAt: receivedAt, archive: archive.current)
                return .success(try turns.map { try turnWriter.log($0) })
            }
        } catch {
            let failure = StoreError.wrap(error)
            return turns.map { _ in .failed(failure) }
        }
    }

    public func logMessage(_ message: Message, receivedAt: Millis) async throws -> WriteOutcome {
        let intake = recordIntake
        return try await submit { txn in try MessageWriter(txn: txn, intake: intake, receivedAt: receivedAt).log(message) }
    }

    public func upsertDevice(_ d: Device) async throws -> Device { try await upsert(d) }
    public func upsertContact(_ c: Contact) async throws -> Contact { try await upsert(c) }
    public func upsertPersona(_ p: Persona) async throws -> Persona { try await upsert(p) }
    public func upsertWidget(_ w: Widget) async throws -> Widget { try await upsert(w) }

    /// The session's metrics after the lead; `.notFound` when the session has no turns.
    public func captureLead(_ lead: Lead, receivedAt: Millis) async throws -> SessionMetrics {
        let intake = recordIntake
        let archive = archive
        // The archive is looked up when the lead applies: retention commits a turn there
        // before it deletes it here, and both run after earlier writes, so every turn
        // of the session is in one file or both when the move reads them.
        return try await submit { txn in try LeadWriter(txn: txn, intake: intake, receivedAt: receivedAt, archive: archive.current).capture(lead).map { $0.metrics } }
    }

    /// The session's metrics after the feedback; `.notFound` when the session has no
    /// turns, or a named turn is not stored.
    public func recordFeedback(_ f: Feedback, receivedAt: Millis) async throws -> SessionMetrics {
        let intake = recordIntake
        return try await submit { txn in try FeedbackWriter(txn: txn, intake: intake, receivedAt: receivedAt).record(f).map { $0.metrics } }
    }

    public func setPrice(_ p: Price) async throws -> Price {
        try await submit { txn in try PriceStore(txn: txn).set(p) }
    }

    public func deletePrice(modelPattern: String, effectiveFrom: Millis) async throws {
        try await submit { txn in try PriceStore(txn: txn).delete(modelPattern: modelPattern, effectiveFrom: effectiveFrom) }
    }

    /// Rebuilds every session's metrics (of one organization, or all) from the stored
    /// turns, leads and feedback, `StoreOptions.backfillBatch` sessions per write
    /// transaction so other writes interleave. Reports (done, total) after each batch;
    /// returns the sessions rebuilt.
    public func backfillSessionMetrics(organization: String?, progress: @Sendable (Int64, Int64) -> Void) async throws -> Int64 {
        let prefix = organization.map(Keys.organization) ?? []
        let end = organization.map { Keys.end(of: Keys.organization($0)) } ?? [0xFF]
        let total = try read { txn in
            Int64(try SessionRebuilder(txn: txn).sessions(from: prefix, to: end, limit: .max).sessions.count)
        }
        progress(0, total)
        let batch = max(1, options.backfillBatch)
        var next: [UInt8]? = prefix
        var done: Int64 = 0
        var lostMetrics = Set<String>()
        let archived = archive.current
        while let from = next {
            let now = Millis(Date().timeIntervalSince1970 * 1000)
            let step = try await submit(items: batch) { txn in
                Result<(rebuilt: Int64, next: [UInt8]?, lostMetrics: Set<String>), StoreError>.success(
                    try SessionRebuilder(txn: txn, archive: archived).rebuild(from: from, to: end, limit: batch, at: now))
            }
            done += step.rebuilt
            next = step.next
            lostMetrics.formUnion(step.lostMetrics)
            progress(done, max(total, done))
        }
        for organization in lostMetrics.sorted() {
            try await submit(items: 1) { txn in
                try Self.replaceSessionAggregates(txn, organization: organization)
                return Result<Void, StoreError>.success(())
            }
        }
        return done
    }

    // MARK: Reads

    public func turn(organization: String, id: String) throws -> Turn? {
        try read { txn in try txn.get(Turn.self, TreeLayout.turns, Keys.entity(organization, id)) }
    }

    public func device(organization: String, id: String) throws -> Device? { try entry(Device.self, organization, id) }
    public func contact(organization: String, id: String) throws -> Contact? { try entry(Contact.self, organization, id) }
    public func persona(organization: String, id: String) throws -> Persona? { try entry(Persona.self, organization, id) }
    public func widget(organization: String, id: String) throws -> Widget? { try entry(Widget.self, organization, id) }

    public func sessionMetrics(organization: String, session: String) throws -> SessionMetrics? {
        try read { txn in try SessionMetricsWriter(txn: txn).load(organization: organization, session: session) }
    }

    /// Sessions by conversation start, newest first, optionally only those starting in
    /// `window` and with or without a lead. `pageSize` 0 means 100; at most 1000.
    public func listSessionMetrics(organization: String, window: TimeWindow?, hasLead: Bool?, pageSize: Int, pageToken: String?) throws -> (sessions: [SessionMetrics], nextPageToken: String?) {
        try read { txn in
            try SessionQueries(txn: txn).page(organization: organization, window: window, hasLead: hasLead, pageSize: pageSize, pageToken: pageToken)
        }
    }

    public func countSessionMetrics(organization: String, window: TimeWindow?, hasLead: Bool?) throws -> Int64 {
        try read { txn in try SessionQueries(txn: txn).count(organization: organization, window: window, hasLead: hasLead) }
    }

    public func prices() throws -> PriceTable {
        try read { txn in try PriceStore(txn: txn).table() }
    }

    /// Turns whose reply time lies in `window`, in time order; `body` returns false to stop.
    public func turns(organization: String, window: TimeWindow, _ body: (Turn) throws -> Bool) throws {
        try read { txn in try Queries(txn: txn).turns(organization: organization, window: window, body) }
    }

    /// Turns of one session, device or contact in `window`, in time order.
    public func turns(organization: String, session: String, window: TimeWindow, _ body: (Turn) throws -> Bool) throws {
        try read { txn in try Queries(txn: txn).turns(organization: organization, session: session, window: window, body) }
    }

    public func turns(organization: String, device: String, window: TimeWindow, _ body: (Turn) throws -> Bool) throws {
        try read { txn in try Queries(txn: txn).turns(organization: organization, device: device, window: window, body) }
    }

    public func turns(organization: String, contact: String, window: TimeWindow, newestFirst: Bool = false, _ body: (Turn) throws -> Bool) throws {
        try read { txn in try Queries(txn: txn).turns(organization: organization, contact: contact, window: window, newestFirst: newestFirst, body) }
    }

    /// The turns whose message_id is `messageId` (the replies to that message).
    public func turns(organization: String, answering messageId: String) throws -> [Turn] {
        try read { txn in try Queries(txn: txn).turns(organization: organization, answering: messageId) }
    }

    /// The leads captured in a session, in arrival order.
    public func leads(organization: String, session: String) throws -> [Lead] {
        try read { txn in try SessionLog<Lead>(txn: txn, treeName: TreeLayout.leads).all(organization: organization, session: session) }
    }

    /// The feedback given on a session, in arrival order.
    public func feedback(organization: String, session: String) throws -> [Feedback] {
        try read { txn in try SessionLog<Feedback>(txn: txn, treeName: TreeLayout.feedback).all(organization: organization, session: session) }
    }

    public func message(organization: String, id: String) throws -> Message? {
        try read { txn in try txn.get(Message.self, TreeLayout.messages, Keys.entity(organization, id)) }
    }

    /// Messages created in `window`, in time order.
    public func messages(organization: String, window: TimeWindow, _ body: (Message) throws -> Bool) throws {
        try read { txn in try Queries(txn: txn).messages(organization: organization, window: window, body) }
    }

    /// One contact's messages in `window`, newest first when asked: the thread view.
    public func thread(organization: String, contact: String, window: TimeWindow, newestFirst: Bool, _ body: (Message) throws -> Bool) throws {
        try read { txn in try Queries(txn: txn).thread(organization: organization, contact: contact, window: window, newestFirst: newestFirst, body) }
    }

    /// The 15-minute cells (`CellGrid`) of `dimension` whose start is in `window`, optionally only for
    /// the given values (of the model, for `.model`: as stored, "" when unknown).
    public func rollupCells(organization: String, dimension: ParleyCore.Dimension, window: TimeWindow, values: Set<String>?, _ body: (UsageCell) throws -> Void) throws {
        try read { txn in
            try Queries(txn: txn).rollupCells(organization: organization, dimension: dimension, window: window, values: values, latency: true) { start, value, model, rollup in
                try body(UsageCell(start: start, values: dimension == .all ? [:] : [dimension: value], model: model, rollup: rollup))
            }
        }
    }

    // MARK: Plumbing

    private func upsert<Entry: DirectoryEntry>(_ raw: Entry) async throws -> Entry {
        let intake = recordIntake
        return try await submit { txn in try Directory(txn: txn).upsert(raw, intake: intake).map(\.entry) }
    }

    private func entry<Entry: DirectoryEntry>(_ type: Entry.Type, _ organization: String, _ id: String) throws -> Entry? {
        try read { txn in try Directory(txn: txn).get(type, organization: organization, id: id) }
    }

    func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try database.read { txn in try body(StoreTransaction(base: txn)) }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    func submit<Value: Sendable>(items: Int = 1, _ body: @escaping (StoreTransaction) throws -> Result<Value, StoreError>) async throws -> Value {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                writer.submit(PendingWrite(itemCount: items, continuation: continuation, body: body))
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
