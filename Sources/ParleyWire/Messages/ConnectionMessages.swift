import NIOCore

/// The connection- and call-level messages of docs/PROTOCOL.md as Swift values.
/// Each maps to and from its protobuf message in one place, here.
public struct Hello: Sendable, Equatable {
    public var clientName: String
    public var apiKey: String
    public var protocolVersion: UInt32

    public init(clientName: String, apiKey: String, protocolVersion: UInt32 = UInt32(Frame.version)) {
        self.clientName = clientName
        self.apiKey = apiKey
        self.protocolVersion = protocolVersion
    }

    public init(wire m: V1.Hello) {
        clientName = m.clientName ?? ""
        apiKey = m.apiKey ?? ""
        protocolVersion = m.protocolVersion ?? UInt32(Frame.version)
    }

    public var wire: V1.Hello {
        V1.Hello(clientName: clientName, apiKey: apiKey, protocolVersion: protocolVersion)
    }
}

public struct Welcome: Sendable, Equatable {
    public var serverVersion: String
    public var maxFrameSize: UInt32
    public var maxInFlightCalls: UInt32
    public var organizationID: String
    public var role: String
    public var protocolVersion: UInt32

    public init(serverVersion: String, maxFrameSize: UInt32, maxInFlightCalls: UInt32,
                organizationID: String, role: String, protocolVersion: UInt32 = UInt32(Frame.version)) {
        self.serverVersion = serverVersion
        self.maxFrameSize = maxFrameSize
        self.maxInFlightCalls = maxInFlightCalls
        self.organizationID = organizationID
        self.role = role
        self.protocolVersion = protocolVersion
    }

    public init(wire m: V1.Welcome) {
        serverVersion = m.serverVersion ?? ""
        maxFrameSize = m.maxFrameSize ?? UInt32(Frame.defaultMaxFrameSize)
        maxInFlightCalls = m.maxInFlightCalls ?? 0
        organizationID = m.organizationID ?? ""
        role = m.role ?? ""
        protocolVersion = m.protocolVersion ?? UInt32(Frame.version)
    }

    public var wire: V1.Welcome {
        V1.Welcome(serverVersion: serverVersion, maxFrameSize: maxFrameSize, maxInFlightCalls: maxInFlightCalls,
                   organizationID: organizationID, role: role, protocolVersion: protocolVersion)
    }
}

public struct CallMetadata: Sendable, Equatable {
    /// Deadline relative to receipt, in milliseconds; 0 = none.
    public var timeoutMs: UInt32
    public var traceID: String
    public var idempotencyKey: String

    public init(timeoutMs: UInt32 = 0, traceID: String = "", idempotencyKey: String = "") {
        self.timeoutMs = timeoutMs
        self.traceID = traceID
        self.idempotencyKey = idempotencyKey
    }

    public init(wire m: V1.CallMetadata) {
        timeoutMs = m.timeoutMs ?? 0
        traceID = m.traceID ?? ""
        idempotencyKey = m.idempotencyKey ?? ""
    }

    public var wire: V1.CallMetadata {
        V1.CallMetadata(timeoutMs: timeoutMs > 0 ? timeoutMs : nil, traceID: traceID.nonEmpty, idempotencyKey: idempotencyKey.nonEmpty)
    }
}

/// Meta of a RESPONSE (on failure) or GOAWAY frame.
public struct ResponseMetadata: Sendable, Equatable {
    public var message: String
    public var violations: [FieldViolation]
    public var retryAfterMs: UInt32?

    public init(message: String, violations: [FieldViolation] = [], retryAfterMs: UInt32? = nil) {
        self.message = message
        self.violations = violations
        self.retryAfterMs = retryAfterMs
    }

    public init(_ error: RPCError) {
        self.init(message: error.message, violations: error.violations, retryAfterMs: error.retryAfterMs)
    }

    public init(wire m: V1.ResponseMetadata) {
        message = m.message ?? ""
        violations = m.violations.map(FieldViolation.init(wire:))
        retryAfterMs = m.retryAfterMs
    }

    public var wire: V1.ResponseMetadata {
        V1.ResponseMetadata(message: message, violations: violations.map(\.wire), retryAfterMs: retryAfterMs)
    }
}

extension FieldViolation {
    public init(wire m: V1.FieldViolation) {
        self.init(field: m.field ?? "", reason: m.reason ?? "")
    }

    public var wire: V1.FieldViolation {
        V1.FieldViolation(field: field, reason: reason)
    }
}
