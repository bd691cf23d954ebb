import NIOCore
import ParleyCore
import ParleyWire

/// Encodes traffic events as the REQUEST frames a client sends for them, with the typed
/// messages: UpsertDevice, UpsertContact, UpsertPersona, LogTurn (a duplicate is the same
/// LogTurn again), CaptureLead and RecordFeedback. No call metadata: a replay's deadline
/// is its own business. A device's time zone has no field on the wire: it only shapes
/// when the generator makes that device's sessions.
public struct TypedRequestEncoder: RequestEncoder {
    public init() {}

    public func request(for event: TrafficEvent, callID: UInt32) throws -> Frame {
        switch event.kind {
        case .device(let device, _): return try frame(ParleyRPC.upsertDevice, device.wire, callID)
        case .contact(let contact): return try frame(ParleyRPC.upsertContact, contact.wire, callID)
        case .persona(let persona): return try frame(ParleyRPC.upsertPersona, persona.wire, callID)
        case .turn(let turn), .duplicateTurn(let turn): return try frame(ParleyRPC.logTurn, turn.wire, callID)
        case .lead(let lead): return try frame(ParleyRPC.captureLead, lead.wire, callID)
        case .feedback(let feedback): return try frame(ParleyRPC.recordFeedback, feedback.wire, callID)
        }
    }

    /// The method and the request's type come from one `ParleyRPC` value, so a device can
    /// never go out as a LogTurn.
    private func frame<Request, Response>(_ rpc: UnaryRPC<Request, Response>, _ request: Request,
                                          _ callID: UInt32) throws -> Frame {
        Frame(type: .request, callID: callID, code: rpc.method.id, body: try request.encoded())
    }
}
