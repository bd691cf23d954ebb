import ParleyCore
import ParleyStore
import ParleyWire

/// LogMessages, UpsertDirectory, CaptureLeads and RecordFeedbackBatch: many items per
/// call for imports and migrations,
/// each batch one store transaction, a result per item in request order (as LogTurns).
/// An item that is invalid, conflicting or outside the key's organization gets its own
/// status; the others are stored. Retrying a whole batch is safe: message ids are
/// idempotency keys, and an unchanged directory row, lead or feedback answers `duplicate`.
struct BulkService {
    static let maxBatch = RecordingService.maxBatch
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.logMessages) { request, call in
            let messages = request.messages.map(Message.init(wire:))
            let items = try await Self.write(messages, field: "messages", call: call, organization: \.organizationId, id: \.messageId) { admitted in
                await store.logMessages(admitted, receivedAt: call.receivedAtMs)
            }
            return V1.LogMessagesResponse(items: items)
        }
        registry.register(ParleyRPC.upsertDirectory) { request, call in
            try Self.checkSize(request.rows.count, field: "rows")
            var items = [V1.BatchItemResult?](repeating: nil, count: request.rows.count)
            var admitted: [(index: Int, path: String, item: DirectoryItem)] = []
            for (i, row) in request.rows.enumerated() {
                let item: (path: String, value: DirectoryItem)
                switch Self.directoryItem(row, path: "rows[\(i)]") {
                case .success(let found): item = found
                case .failure(let error):
                    items[i] = V1.BatchItemResult(status: UInt32(StatusCode.invalidArgument.rawValue), message: error.description,
                                                  violations: error.violations.map(\.wire))
                    continue
                }
                do {
                    try call.authorize(organization: item.value.organizationId)
                    admitted.append((i, "rows[\(i)].\(item.path).", item.value))
                } catch let e as RPCError {
                    items[i] = Self.refused(item.value.entryId, e)
                }
            }
            let results = await store.upsertDirectory(admitted.map(\.item))
            for (slot, result) in zip(admitted, results) {
                items[slot.index] = Self.item(slot.item.entryId, result, path: slot.path)
            }
            return V1.UpsertDirectoryResponse(items: items.compactMap { $0 })
        }
        registry.register(ParleyRPC.captureLeads) { request, call in
            let leads = request.leads.map(Lead.init(wire:))
            let items = try await Self.write(leads, field: "leads", call: call, organization: \.organizationId, id: \.sessionId) { admitted in
                await store.captureLeads(admitted, receivedAt: call.receivedAtMs)
            }
            return V1.CaptureLeadsResponse(items: items)
        }
        registry.register(ParleyRPC.recordFeedbackBatch) { request, call in
            let feedback = request.feedback.map(Feedback.init(wire:))
            let items = try await Self.write(feedback, field: "feedback", call: call, organization: \.organizationId, id: \.sessionId) { admitted in
                await store.recordFeedback(admitted, receivedAt: call.receivedAtMs)
            }
            return V1.RecordFeedbackBatchResponse(items: items)
        }
    }

    /// A batch of one record type: the items the key may write for their organization go
    /// to `store` as one batch, the others answer 7; one result per item, in order.
    private static func write<Item: Sendable>(_ batch: [Item], field: String, call: CallContext,
                                              organization: (Item) -> String, id: (Item) -> String,
                                              store: ([Item]) async -> [Result<WriteOutcome, StoreError>]) async throws -> [V1.BatchItemResult] {
        try checkSize(batch.count, field: field)
        var items = [V1.BatchItemResult?](repeating: nil, count: batch.count)
        var admitted: [(index: Int, item: Item)] = []
        for (i, item) in batch.enumerated() {
            do {
                try call.authorize(organization: organization(item))
                admitted.append((i, item))
            } catch let e as RPCError {
                items[i] = refused(id(item), e)
            }
        }
        let results = await store(admitted.map(\.item))
        for (slot, result) in zip(admitted, results) {
            items[slot.index] = item(id(slot.item), result, path: "\(field)[\(slot.index)].")
        }
        return items.compactMap { $0 }
    }

    private static func checkSize(_ count: Int, field: String) throws {
        guard count <= maxBatch else {
            throw RPCError.invalidArgument([FieldViolation(field: field, reason: "holds \(count) items; send at most \(maxBatch) per call")])
        }
    }

    /// The one record a row carries, with its field name for violation paths.
    private static func directoryItem(_ row: V1.DirectoryRow, path: String) -> Result<(path: String, value: DirectoryItem), ValidationError> {
        var found: [(path: String, value: DirectoryItem)] = []
        if let d = row.device { found.append(("device", .device(Device(wire: d)))) }
        if let c = row.contact { found.append(("contact", .contact(Contact(wire: c)))) }
        if let p = row.persona { found.append(("persona", .persona(Persona(wire: p)))) }
        if let w = row.widget { found.append(("widget", .widget(Widget(wire: w)))) }
        guard found.count == 1, let only = found.first else {
            let reason = found.isEmpty ? "sets none of device, contact, persona, widget; set exactly one"
                : "sets \(found.map(\.path).joined(separator: " and ")); set exactly one of device, contact, persona, widget"
            return .failure(ValidationError([FieldViolation(field: path, reason: reason)]))
        }
        return .success(only)
    }

    private static func refused(_ id: String, _ error: RPCError) -> V1.BatchItemResult {
        V1.BatchItemResult(status: UInt32(error.status.rawValue), message: error.message.nonEmpty, id: id.nonEmpty)
    }

    private static func item(_ id: String, _ result: Result<WriteOutcome, StoreError>, path: String) -> V1.BatchItemResult {
        switch result {
        case .success(let outcome):
            return V1.BatchItemResult(status: UInt32(StatusCode.ok.rawValue), id: id.nonEmpty, duplicate: outcome == .duplicate)
        case .failure(.invalid(let v)):
            return V1.BatchItemResult(status: UInt32(StatusCode.invalidArgument.rawValue), message: v.description,
                                      violations: v.prefixed(path).violations.map(\.wire), id: id.nonEmpty)
        case .failure(let e):
            return refused(id, RPCError(e))
        }
    }
}
