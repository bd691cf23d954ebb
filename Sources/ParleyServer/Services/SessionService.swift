import ParleyCore
import ParleyStore
import ParleyWire

/// Reading turns and session metrics, and rebuilding metrics from the turns.
struct SessionService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(.getTurn, .inline { call, request in
            let org = request.string("organization_id") ?? ""
            let id = request.string("turn_id") ?? ""
            try Self.require(["organization_id": org, "turn_id": id])
            try call.authorize(organization: org)
            return try DirectoryService.found(storeCall { try store.turn(organization: org, id: id) }, "turn", id).proto
        })
        registry.register(.getSessionMetrics, .inline { call, request in
            let org = request.string("organization_id") ?? ""
            let id = request.string("session_id") ?? ""
            try Self.require(["organization_id": org, "session_id": id])
            try call.authorize(organization: org)
            return try DirectoryService.found(storeCall { try store.sessionMetrics(organization: org, session: id) }, "session", id).proto
        })
        registry.register(.listSessionMetrics, .unary { call, request in
            let (org, window, hasLead) = try Self.listFilter(call, request)
            let page = try storeCall {
                try store.listSessionMetrics(organization: org, window: window, hasLead: hasLead,
                                             pageSize: Int(request.uint("page_size") ?? 0), pageToken: request.string("page_token"))
            }
            var m = ProtoMessage(Method.listSessionMetrics.responseType)
            m.set("sessions", messages: page.sessions.map(\.proto))
            m.set("next_page_token", page.nextPageToken)
            return m
        })
        registry.register(.countSessionMetrics, .unary { call, request in
            let (org, window, hasLead) = try Self.listFilter(call, request)
            var m = ProtoMessage(Method.countSessionMetrics.responseType)
            m.set("count", try storeCall { try store.countSessionMetrics(organization: org, window: window, hasLead: hasLead) })
            return m
        })
        registry.register(.backfillSessionMetrics, .stream { call, request, stream in
            let org = request.string("organization_id") ?? ""
            if org.isEmpty {
                guard call.principal.organizationID.isEmpty else {
                    throw RPCError(.permissionDenied, "a key bound to one organization must name it in organization_id")
                }
            } else {
                try call.authorize(organization: org)
            }
            let relay = ProgressRelay(phase: "backfill")
            try await relay.run(on: stream, describe: { (n: Int64) in "rebuilt \(n) sessions" }) {
                try await storeCall {
                    try await store.backfillSessionMetrics(organization: org.isEmpty ? nil : org) { done, total in
                        relay.post(done: done, total: total)
                    }
                }
            }
        })
    }

    static func require(_ fields: [String: String]) throws {
        let missing = fields.filter { $0.value.isEmpty }.keys.sorted()
        guard missing.isEmpty else {
            throw RPCError.invalidArgument(missing.map { FieldViolation(field: $0, reason: "is required") })
        }
    }

    static func listFilter(_ call: CallContext, _ request: ProtoMessage) throws -> (String, TimeWindow?, Bool?) {
        let org = request.string("organization_id") ?? ""
        try require(["organization_id": org])
        try call.authorize(organization: org)
        return (org, try WindowBridge.window(request.message("window"), now: call.receivedAtMs, field: "window"), request.bool("has_lead"))
    }
}
