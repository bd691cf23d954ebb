import ParleyCore
import ParleyStore
import ParleyWire

/// The write path chat backends call: turns, messages, leads, feedback.
struct RecordingService {
    static let maxBatch = 1_000
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(.logTurn, .unary { call, request in
            let turn = Turn(proto: request)
            try call.authorize(organization: turn.organizationId)
            let result = await store.logTurns([turn], receivedAt: call.receivedAtMs)
            guard let first = result.first else { throw RPCError(.internal, "the store answered no result") }
            switch first {
            case .accepted(let stored, let outcome, let session):
                var m = ProtoMessage(Method.logTurn.responseType)
                m.set("turn", stored.proto)
                m.set("outcome", Int32(outcome == .stored ? 0 : 1))
                m.set("session", session.proto)
                return m
            case .rejected(let v): throw RPCError.invalidArgument(v.violations)
            case .conflict(let message): throw RPCError(.alreadyExists, message)
            case .failed(let e): throw RPCError(e)
            }
        })
        registry.register(.logTurns, .unary { call, request in
            let protos = request.messages("turns")
            guard protos.count <= Self.maxBatch else {
                throw RPCError.invalidArgument([FieldViolation(field: "turns", reason: "holds \(protos.count) turns; send at most \(Self.maxBatch) per call")])
            }
            var items = [ProtoMessage?](repeating: nil, count: protos.count)
            var admitted: [(index: Int, turn: Turn)] = []
            for (i, p) in protos.enumerated() {
                let turn = Turn(proto: p)
                do {
                    try call.authorize(organization: turn.organizationId)
                    admitted.append((i, turn))
                } catch let e as RPCError {
                    items[i] = Self.item(turn.turnId, status: e.status, message: e.message)
                }
            }
            let results = await store.logTurns(admitted.map(\.turn), receivedAt: call.receivedAtMs)
            for (slot, result) in zip(admitted, results) {
                let id = slot.turn.turnId
                switch result {
                case .accepted(_, let outcome, _):
                    var m = Self.item(id, status: .ok, message: "")
                    m.set("outcome", Int32(outcome == .stored ? 0 : 1))
                    items[slot.index] = m
                case .rejected(let v):
                    var m = Self.item(id, status: .invalidArgument, message: v.description)
                    m.set("violations", messages: v.prefixed("turns[\(slot.index)].").violations.map(\.proto))
                    items[slot.index] = m
                case .conflict(let message):
                    items[slot.index] = Self.item(id, status: .alreadyExists, message: message)
                case .failed(let e):
                    let error = RPCError(e)
                    items[slot.index] = Self.item(id, status: error.status, message: error.message)
                }
            }
            var response = ProtoMessage(Method.logTurns.responseType)
            response.set("items", messages: items.compactMap { $0 })
            return response
        })
        registry.register(.logMessage, .unary { call, request in
            let message = try storeCall { try Message(proto: request) }
            try call.authorize(organization: message.organizationId)
            let outcome = try await storeCall { try await store.logMessage(message, receivedAt: call.receivedAtMs) }
            var m = ProtoMessage(Method.logMessage.responseType)
            m.set("outcome", Int32(outcome == .stored ? 0 : 1))
            return m
        })
        registry.register(.captureLead, .unary { call, request in
            let lead = Lead(proto: request)
            try call.authorize(organization: lead.organizationId)
            return try await storeCall { try await store.captureLead(lead, receivedAt: call.receivedAtMs) }.proto
        })
        registry.register(.recordFeedback, .unary { call, request in
            let feedback = Feedback(proto: request)
            try call.authorize(organization: feedback.organizationId)
            return try await storeCall { try await store.recordFeedback(feedback, receivedAt: call.receivedAtMs) }.proto
        })
    }

    private static let itemType = MessageType.named("parley.v1.LogTurnsItem")! // safe: declared in parley_service.proto

    private static func item(_ turnID: String, status: StatusCode, message: String) -> ProtoMessage {
        var m = ProtoMessage(itemType)
        m.setNonEmpty("turn_id", turnID)
        m.set("status", UInt32(status.rawValue))
        m.set("outcome", Int32(status == .ok ? 0 : 2))
        m.setNonEmpty("message", message)
        return m
    }
}
