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
        registry.register(.usage, .unary { call, request in
            let org = try Self.organization(call, request)
            let window = try Self.window(call, request, defaultDays: 30)
            let result = try storeCall { try store.usage(organization: org, query: try UsageQuery(proto: request, window: window)) }
            var m = ProtoMessage(Method.usage.responseType)
            m.set("rows", messages: result.rows.map(\.proto))
            m.set("total_cost", result.totalCost.proto)
            return m
        })
        registry.register(.reportDevices, .unary { call, request in
            let rows = try storeCall { try store.reportDevices(try Self.report(call, request, defaultDays: 7)) }
            return Self.rows(.reportDevices, rows.map(\.proto))
        })
        registry.register(.reportModels, .unary { call, request in
            let report = try storeCall { try store.reportModels(try Self.report(call, request, defaultDays: 30)) }
            var m = Self.rows(.reportModels, report.rows.map(\.proto))
            m.set("total_cost", report.totalCost.proto)
            return m
        })
        registry.register(.reportDaily, .unary { call, request in
            let rows = try storeCall { try store.reportDaily(try Self.report(call, request, defaultDays: 30)) }
            return Self.rows(.reportDaily, rows.map(\.proto))
        })
        registry.register(.reportPersonas, .unary { call, request in
            // The seed's persona query has no date condition: no window means all time.
            let rows = try storeCall { try store.reportPersonas(try Self.report(call, request, defaultDays: nil)) }
            return Self.rows(.reportPersonas, rows.map(\.proto))
        })
        registry.register(.reportContacts, .unary { call, request in
            let rows = try storeCall { try store.reportContacts(try Self.report(call, request, defaultDays: 30)) }
            return Self.rows(.reportContacts, rows.map(\.proto))
        })
        registry.register(.reportHourly, .unary { call, request in
            let rows = try storeCall { try store.reportHourly(try Self.report(call, request, defaultDays: 7)) }
            return Self.rows(.reportHourly, rows.map(\.proto))
        })
        registry.register(.reportSessions, .unary { call, request in
            let report = try storeCall { try store.reportSessions(try Self.report(call, request, defaultDays: 30)) }
            return report.proto(Method.reportSessions.responseType)
        })
        registry.register(.reportConversion, .unary { call, request in
            let report = try storeCall { try store.reportConversion(try Self.report(call, request, defaultDays: 30)) }
            return report.proto(Method.reportConversion.responseType)
        })
        registry.register(.contactThread, .unary { call, request in
            let org = try Self.organization(call, request)
            let contact = request.string("contact_id") ?? ""
            try SessionService.require(["contact_id": contact])
            let page = try storeCall {
                try store.contactThread(organization: org, contact: contact, pageSize: Int(request.uint("page_size") ?? 0), pageToken: request.string("page_token"))
            }
            var m = ProtoMessage(Method.contactThread.responseType)
            m.set("entries", messages: page.entries.map(\.proto))
            m.set("next_page_token", page.nextPageToken)
            return m
        })
        registry.register(.retainDetail, .stream { call, request, stream in
            let org = try Self.organizationOrAll(call, request)
            guard let cutoff = request.int("older_than_ms"), cutoff > 0 else {
                throw RPCError.invalidArgument([FieldViolation(field: "older_than_ms", reason: "is required; give the time (UTC ms) before which detail is archived")])
            }
            let relay = ProgressRelay(phase: "retain")
            try await relay.run(on: stream, describe: { (r: RetentionResult) in "archived \(r.turns) turns and \(r.messages) messages" }) {
                try await storeCall {
                    try await store.retainDetail(olderThan: cutoff, organization: org) { done, total in relay.post(done: done, total: total) }
                }
            }
        })
        registry.register(.repairTokens, .unary { call, request in
            let org = try Self.organizationOrAll(call, request)
            let result = try await storeCall { try await store.repairTokens(organization: org) }
            var m = ProtoMessage(Method.repairTokens.responseType)
            m.set("examined", result.examined)
            m.set("tokens_fixed", result.tokensFixed)
            m.set("models_filled", result.modelsFilled)
            return m
        })
        registry.register(.exportTurns, .stream { call, request, stream in
            let org = try Self.organization(call, request)
            let window = try Self.window(call, request, defaultDays: nil)
            var cursor: ExportCursor?
            repeat {
                let batch = try storeCall { try store.turnBatch(organization: org, window: window, after: cursor, limit: Self.exportBatch) }
                var m = ProtoMessage(Method.exportTurns.responseType)
                m.set("turns", messages: batch.turns.map(\.proto))
                try await stream.send(m)
                cursor = batch.next
                try Task.checkCancellation()
            } while cursor != nil
        })
        registry.register(.exportMessages, .stream { call, request, stream in
            let org = try Self.organization(call, request)
            let window = try Self.window(call, request, defaultDays: nil)
            var cursor: ExportCursor?
            repeat {
                let batch = try storeCall { try store.messageBatch(organization: org, window: window, after: cursor, limit: Self.exportBatch) }
                var m = ProtoMessage(Method.exportMessages.responseType)
                m.set("messages", messages: batch.messages.map(\.proto))
                try await stream.send(m)
                cursor = batch.next
                try Task.checkCancellation()
            } while cursor != nil
        })
    }

    static let exportBatch = 500

    static func organization(_ call: CallContext, _ request: ProtoMessage) throws -> String {
        let org = request.string("organization_id") ?? ""
        try SessionService.require(["organization_id": org])
        try call.authorize(organization: org)
        return org
    }

    /// nil (all organizations) needs a key that is not bound to one.
    static func organizationOrAll(_ call: CallContext, _ request: ProtoMessage) throws -> String? {
        let org = request.string("organization_id") ?? ""
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
    static func window(_ call: CallContext, _ request: ProtoMessage, defaultDays: Int64?) throws -> TimeWindow {
        if let given = try WindowBridge.window(request.message("window"), now: call.receivedAtMs, field: "window") { return given }
        guard let days = defaultDays else { return ReportQuery.allTime }
        return TimeWindow(since: call.receivedAtMs - days * day, until: call.receivedAtMs)
    }

    static func report(_ call: CallContext, _ request: ProtoMessage, defaultDays: Int64?) throws -> ReportQuery {
        let org = try organization(call, request)
        let filters: [Dimension: Set<String>]
        do {
            filters = try Dimension.filters(request.messages("filters"), field: "filters")
        } catch {
            throw RPCError.invalidArgument(error.violations)
        }
        return ReportQuery(organization: org, window: try window(call, request, defaultDays: defaultDays),
                           timeZone: request.string("time_zone") ?? "", top: Int(request.uint("top") ?? 0), filters: filters)
    }

    static func rows(_ method: Method, _ rows: [ProtoMessage]) -> ProtoMessage {
        var m = ProtoMessage(method.responseType)
        m.set("rows", messages: rows)
        return m
    }
}
