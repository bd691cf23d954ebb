import ParleyCore
import ParleyStore
import ParleyWire

/// The usage query, the seed's named reports, the contact thread, retention, token
/// repair and export. Reports scan rollups (and turns for partial hours), so they run
/// as tasks, never on the event loop.
struct AnalyticsService {
    let store: ParleyStore

    static let day: Millis = 86_400_000

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.usage) { request, call in
            let org = try Self.organization(call, request)
            let window = try Self.window(call, request, defaultDays: 30)
            let result = try storeCall { try store.usage(organization: org, query: UsageQuery(wire: request, window: window)) }
            return V1.UsageResponse(rows: result.rows.map(\.wire), totalCost: result.totalCost.wire)
        }
        registry.register(ParleyRPC.reportDevices) { request, call in
            let rows = try storeCall { try store.reportDevices(try Self.report(call, request, defaultDays: 7)) }
            return V1.DevicesReport(rows: rows.map(\.wire))
        }
        registry.register(ParleyRPC.reportModels) { request, call in
            let report = try storeCall { try store.reportModels(try Self.report(call, request, defaultDays: 30)) }
            return V1.ModelsReport(rows: report.rows.map(\.wire), totalCost: report.totalCost.wire)
        }
        registry.register(ParleyRPC.reportDaily) { request, call in
            let rows = try storeCall { try store.reportDaily(try Self.report(call, request, defaultDays: 30)) }
            return V1.DailyReport(rows: rows.map(\.wire))
        }
        registry.register(ParleyRPC.reportPersonas) { request, call in
            // The seed's persona query has no date condition: no window means all time.
            let rows = try storeCall { try store.reportPersonas(try Self.report(call, request, defaultDays: nil)) }
            return V1.PersonasReport(rows: rows.map(\.wire))
        }
        registry.register(ParleyRPC.reportContacts) { request, call in
            let rows = try storeCall { try store.reportContacts(try Self.report(call, request, defaultDays: 30)) }
            return V1.ContactsReport(rows: rows.map(\.wire))
        }
        registry.register(ParleyRPC.reportHourly) { request, call in
            let rows = try storeCall { try store.reportHourly(try Self.report(call, request, defaultDays: 7)) }
            return V1.HourlyReport(rows: rows.map(\.wire))
        }
        registry.register(ParleyRPC.reportSessions) { request, call in
            try storeCall { try store.reportSessions(try Self.report(call, request, defaultDays: 30)) }.wire
        }
        registry.register(ParleyRPC.reportConversion) { request, call in
            try storeCall { try store.reportConversion(try Self.report(call, request, defaultDays: 30)) }.wire
        }
        registry.register(ParleyRPC.contactThread) { request, call in
            let org = try Self.organization(call, request)
            let contact = request.contactID ?? ""
            try SessionService.require(["contact_id": contact])
            let page = try storeCall {
                try store.contactThread(organization: org, contact: contact, pageSize: Int(request.pageSize ?? 0), pageToken: request.pageToken)
            }
            return V1.ThreadPage(entries: page.entries.map(\.wire), nextPageToken: page.nextPageToken)
        }
        registry.register(ParleyRPC.retainDetail) { request, call, stream in
            let org = try Self.organizationOrAll(call, request)
            guard let cutoff = request.olderThanMs, cutoff > 0 else {
                throw RPCError.invalidArgument([FieldViolation(field: "older_than_ms", reason: "is required; give the time (UTC ms) before which detail is archived")])
            }
            let relay = ProgressRelay(phase: "retain")
            try await relay.run(on: stream, describe: { (r: RetentionResult) in "archived \(r.turns) turns and \(r.messages) messages" }) {
                try await storeCall {
                    try await store.retainDetail(olderThan: cutoff, organization: org) { done, total in relay.post(done: done, total: total) }
                }
            }
        }
        registry.register(ParleyRPC.repairTokens) { request, call in
            let org = try Self.organizationOrAll(call, request)
            let result = try await storeCall { try await store.repairTokens(organization: org) }
            return V1.RepairTokensResponse(examined: result.examined, tokensFixed: result.tokensFixed, modelsFilled: result.modelsFilled)
        }
        registry.register(ParleyRPC.exportTurns) { request, call, stream in
            let org = try Self.organization(call, request)
            let window = try Self.window(call, request, defaultDays: nil)
            var cursor: ExportCursor?
            repeat {
                let batch = try storeCall { try store.turnBatch(organization: org, window: window, after: cursor, limit: Self.exportBatch) }
                try await stream.send(V1.TurnBatch(turns: batch.turns.map(\.wire)))
                cursor = batch.next
                try Task.checkCancellation()
            } while cursor != nil
        }
        registry.register(ParleyRPC.exportMessages) { request, call, stream in
            let org = try Self.organization(call, request)
            let window = try Self.window(call, request, defaultDays: nil)
            var cursor: ExportCursor?
            repeat {
                let batch = try storeCall { try store.messageBatch(organization: org, window: window, after: cursor, limit: Self.exportBatch) }
                try await stream.send(V1.MessageBatch(messages: batch.messages.map(\.wire)))
                cursor = batch.next
                try Task.checkCancellation()
            } while cursor != nil
        }
    }

    static let exportBatch = 500

    static func organization(_ call: CallContext, _ request: some OrganizationScoped) throws -> String {
        let org = request.organizationID ?? ""
        try SessionService.require(["organization_id": org])
        try call.authorize(organization: org)
        return org
    }

    /// nil (all organizations) needs a key that is not bound to one.
    static func organizationOrAll(_ call: CallContext, _ request: some OrganizationScoped) throws -> String? {
        let org = request.organizationID ?? ""
        if org.isEmpty {
            guard call.principal.organizationID.isEmpty else {
                throw RPCError(.permissionDenied, "a key bound to one organization must name it in organization_id")
            }
            return nil
        }
        try call.authorize(organization: org)
        return org
    }

    /// The request's window, or the last `defaultDays` days up to now (all time for nil),
    /// as the seed's `created_at >= DATE_SUB(NOW(), INTERVAL n DAY)`.
    static func window(_ call: CallContext, _ request: some Windowed, defaultDays: Int64?) throws -> TimeWindow {
        if let given = try WindowBridge.window(request.window, now: call.receivedAtMs, field: "window") { return given }
        guard let days = defaultDays else { return ReportQuery.allTime }
        return TimeWindow(since: call.receivedAtMs - days * day, until: call.receivedAtMs)
    }

    static func report(_ call: CallContext, _ request: V1.ReportRequest, defaultDays: Int64?) throws -> ReportQuery {
        let org = try organization(call, request)
        return ReportQuery(organization: org, window: try window(call, request, defaultDays: defaultDays),
                           timeZone: request.timeZone ?? "", top: Int(request.top ?? 0), filters: Dimension.filters(request.filters))
    }
}
