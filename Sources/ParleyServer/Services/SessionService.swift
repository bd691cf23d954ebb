import ParleyCore
import ParleyStore
import ParleyWire

/// Reading turns and session metrics, and rebuilding metrics from the turns.
struct SessionService {
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.getTurn) { request, call in
            let org = request.organizationID ?? ""
            let id = request.turnID ?? ""
            try Self.require(["organization_id": org, "turn_id": id])
            try call.authorize(organization: org)
            return try DirectoryService.found(storeCall { try store.turn(organization: org, id: id) }, "turn", id).wire
        }
        registry.register(ParleyRPC.getSessionMetrics) { request, call in
            let org = request.organizationID ?? ""
            let id = request.sessionID ?? ""
            try Self.require(["organization_id": org, "session_id": id])
            try call.authorize(organization: org)
            return try DirectoryService.found(storeCall { try store.sessionMetrics(organization: org, session: id) }, "session", id).wire
        }
        registry.register(ParleyRPC.listSessionMetrics) { request, call in
            let (org, window, hasLead) = try Self.listFilter(call, request)
            let page = try storeCall {
                try store.listSessionMetrics(organization: org, window: window, hasLead: hasLead,
                                             pageSize: Int(request.pageSize ?? 0), pageToken: request.pageToken)
            }
            return V1.ListSessionMetricsResponse(sessions: page.sessions.map(\.wire), nextPageToken: page.nextPageToken)
        }
        registry.register(ParleyRPC.countSessionMetrics) { request, call in
            let (org, window, hasLead) = try Self.listFilter(call, request)
            return V1.CountSessionMetricsResponse(
                count: try storeCall { try store.countSessionMetrics(organization: org, window: window, hasLead: hasLead) })
        }
        registry.register(ParleyRPC.backfillSessionMetrics) { request, call, stream in
            let org = request.organizationID ?? ""
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
        }
    }

    static func require(_ fields: [String: String]) throws {
        let missing = fields.filter { $0.value.isEmpty }.keys.sorted()
        guard missing.isEmpty else {
            throw RPCError.invalidArgument(missing.map { FieldViolation(field: $0, reason: "is required") })
        }
    }

    static func listFilter(_ call: CallContext, _ request: V1.ListSessionMetricsRequest) throws -> (String, TimeWindow?, Bool?) {
        let org = request.organizationID ?? ""
        try require(["organization_id": org])
        try call.authorize(organization: org)
        return (org, try WindowBridge.window(request.window, now: call.receivedAtMs, field: "window"), request.hasLead)
    }
}
