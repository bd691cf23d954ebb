import ParleyCore
import ParleyStore
import ParleyWire

/// The write path chat backends call: turns, messages, leads, feedback.
struct RecordingService {
    static let maxBatch = 1_000
    let store: ParleyStore

    func register(in registry: inout ServiceRegistry) {
        let store = store
        registry.register(ParleyRPC.logTurn) { request, call in
            let turn: Turn
            do throws(ValidationError) { turn = try Turn(wire: request) } catch { throw RPCError.invalidArgument(error.violations) }
            try call.authorize(organization: turn.organizationId)
            let result = await store.logTurns([turn], receivedAt: call.receivedAtMs)
            guard let first = result.first else { throw RPCError(.internal, "the store answered no result") }
            switch first {
            case .accepted(let stored, let outcome, let session):
                return V1.LogTurnResponse(turn: stored.wire, outcome: V1.WriteOutcome(outcome), session: session.wire)
            case .rejected(let v): throw RPCError.invalidArgument(v.violations)
            case .conflict(let message): throw RPCError(.alreadyExists, message)
            case .failed(let e): throw RPCError(e)
            }
        }
        registry.register(ParleyRPC.logTurns) { request, call in
            let protos = request.turns
            guard protos.count <= Self.maxBatch else {
                throw RPCError.invalidArgument([FieldViolation(field: "turns", reason: "holds \(protos.count) turns; send at most \(Self.maxBatch) per call")])
            }
            var items = [V1.LogTurnsItem?](repeating: nil, count: protos.count)
            var admitted: [(index: Int, turn: Turn)] = []
            for (i, p) in protos.enumerated() {
                let turn: Turn
                do throws(ValidationError) {
                    turn = try Turn(wire: p)
                } catch {
                    var m = Self.item(p.turnID ?? "", status: .invalidArgument, message: error.description)
                    m.violations = error.prefixed("turns[\(i)].").violations.map(\.wire)
                    items[i] = m
                    continue
                }
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
                    m.outcome = V1.WriteOutcome(outcome)
                    items[slot.index] = m
                case .rejected(let v):
                    var m = Self.item(id, status: .invalidArgument, message: v.description)
                    m.violations = v.prefixed("turns[\(slot.index)].").violations.map(\.wire)
                    items[slot.index] = m
                case .conflict(let message):
                    items[slot.index] = Self.item(id, status: .alreadyExists, message: message)
                case .failed(let e):
                    let error = RPCError(e)
                    items[slot.index] = Self.item(id, status: error.status, message: error.message)
                }
            }
            return V1.LogTurnsResponse(items: items.compactMap { $0 })
        }
        registry.register(ParleyRPC.logMessage) { request, call in
            let message = Message(wire: request)
            try call.authorize(organization: message.organizationId)
            let outcome = try await storeCall { try await store.logMessage(message, receivedAt: call.receivedAtMs) }
            return V1.LogMessageResponse(outcome: V1.WriteOutcome(outcome))
        }
        registry.register(ParleyRPC.captureLead) { request, call in
            let lead = Lead(wire: request)
            try call.authorize(organization: lead.organizationId)
            return try await storeCall { try await store.captureLead(lead, receivedAt: call.receivedAtMs) }.wire
        }
        registry.register(ParleyRPC.recordFeedback) { request, call in
            let feedback = Feedback(wire: request)
            try call.authorize(organization: feedback.organizationId)
            return try await storeCall { try await store.recordFeedback(feedback, receivedAt: call.receivedAtMs) }.wire
        }
    }

    private static func item(_ turnID: String, status: StatusCode, message: String) -> V1.LogTurnsItem {
        V1.LogTurnsItem(outcome: status == .ok ? .stored : .rejected, status: UInt32(status.rawValue),
                        message: message.nonEmpty, turnID: turnID.nonEmpty)
    }
}

extension V1.WriteOutcome {
    init(_ outcome: WriteOutcome) {
        self = outcome == .stored ? .stored : .duplicate
    }
}
