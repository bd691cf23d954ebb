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

    public init(_ m: ProtoMessage) {
        clientName = m.string("client_name") ?? ""
        apiKey = m.string("api_key") ?? ""
        protocolVersion = UInt32(truncatingIfNeeded: m.uint("protocol_version") ?? UInt64(Frame.version))
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(WireTypes.hello)
        m.set("client_name", clientName)
        m.set("api_key", apiKey)
        m.set("protocol_version", protocolVersion)
        return m
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

    public init(_ m: ProtoMessage) {
        serverVersion = m.string("server_version") ?? ""
        maxFrameSize = UInt32(truncatingIfNeeded: m.uint("max_frame_size") ?? UInt64(Frame.defaultMaxFrameSize))
        maxInFlightCalls = UInt32(truncatingIfNeeded: m.uint("max_in_flight_calls") ?? 0)
        organizationID = m.string("organization_id") ?? ""
        role = m.string("role") ?? ""
        protocolVersion = UInt32(truncatingIfNeeded: m.uint("protocol_version") ?? UInt64(Frame.version))
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(WireTypes.welcome)
        m.set("server_version", serverVersion)
        m.set("max_frame_size", maxFrameSize)
        m.set("max_in_flight_calls", maxInFlightCalls)
        m.set("organization_id", organizationID)
        m.set("role", role)
        m.set("protocol_version", protocolVersion)
        return m
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

    public init(_ m: ProtoMessage) {
        timeoutMs = UInt32(truncatingIfNeeded: m.uint("timeout_ms") ?? 0)
        traceID = m.string("trace_id") ?? ""
        idempotencyKey = m.string("idempotency_key") ?? ""
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(WireTypes.callMetadata)
        if timeoutMs > 0 { m.set("timeout_ms", timeoutMs) }
        if !traceID.isEmpty { m.set("trace_id", traceID) }
        if !idempotencyKey.isEmpty { m.set("idempotency_key", idempotencyKey) }
        return m
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

    public init(_ m: ProtoMessage) {
        message = m.string("message") ?? ""
        violations = m.messages("violations").map {
            FieldViolation(field: $0.string("field") ?? "", reason: $0.string("reason") ?? "")
        }
        retryAfterMs = m.uint("retry_after_ms").map { UInt32(truncatingIfNeeded: $0) }
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(WireTypes.responseMetadata)
        m.set("message", message)
        m.set("violations", messages: violations.map(\.proto))
        m.set("retry_after_ms", retryAfterMs)
        return m
    }
}

extension FieldViolation {
    public init(_ m: ProtoMessage) {
        self.init(field: m.string("field") ?? "", reason: m.string("reason") ?? "")
    }

    public var proto: ProtoMessage {
        var m = ProtoMessage(WireTypes.fieldViolation)
        m.set("field", field)
        m.set("reason", reason)
        return m
    }
}

/// The message types of the connection layer.
public enum WireTypes {
    // safe (all): these types are declared in Protos/parley_wire.proto; BridgeTests decodes each.
    public static let hello = MessageType.named("parley.v1.Hello")!
    public static let welcome = MessageType.named("parley.v1.Welcome")!
    public static let callMetadata = MessageType.named("parley.v1.CallMetadata")!
    public static let responseMetadata = MessageType.named("parley.v1.ResponseMetadata")!
    public static let fieldViolation = MessageType.named("parley.v1.FieldViolation")!
}

extension ProtoMessage {
    /// The message's bytes, for a frame's meta or body.
    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        try ProtoCodec.encode(self, into: &buffer)
        return buffer
    }
}
