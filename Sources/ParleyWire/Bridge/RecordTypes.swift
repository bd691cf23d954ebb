import NIOCore

/// Descriptor-driven message types for code not yet ported to the generated typed
/// messages (the CLI). Remove with ProtoMessage.
/// Message types of the records and analytics protos, looked up once.
public enum RecordTypes {
    // safe (all): declared in Protos/; BridgeTests round-trips every method's types.
    public static let turn = MessageType.named("parley.v1.Turn")!
    public static let tokenCounts = MessageType.named("parley.v1.TokenCounts")!
    public static let message = MessageType.named("parley.v1.Message")!
    public static let device = MessageType.named("parley.v1.Device")!
    public static let contact = MessageType.named("parley.v1.Contact")!
    public static let persona = MessageType.named("parley.v1.Persona")!
    public static let widget = MessageType.named("parley.v1.Widget")!
    public static let lead = MessageType.named("parley.v1.Lead")!
    public static let feedback = MessageType.named("parley.v1.Feedback")!
    public static let sessionMetrics = MessageType.named("parley.v1.SessionMetrics")!
    public static let price = MessageType.named("parley.v1.Price")!
    public static let money = MessageType.named("parley.v1.Money")!
    public static let timeWindow = MessageType.named("parley.v1.TimeWindow")!
    public static let progress = MessageType.named("parley.v1.Progress")!
}
public enum AnalyticsTypes {
    // safe (all): declared in Protos/parley_analytics.proto; BridgeTests round-trips every method's types.
    public static let usageRow = MessageType.named("parley.v1.UsageRow")!
    public static let deviceUsage = MessageType.named("parley.v1.DeviceUsage")!
    public static let modelCost = MessageType.named("parley.v1.ModelCost")!
    public static let dailyModelTokens = MessageType.named("parley.v1.DailyModelTokens")!
    public static let personaUsage = MessageType.named("parley.v1.PersonaUsage")!
    public static let contactCost = MessageType.named("parley.v1.ContactCost")!
    public static let hourUsage = MessageType.named("parley.v1.HourUsage")!
    public static let threadEntry = MessageType.named("parley.v1.ThreadEntry")!
    public static let personaConversion = MessageType.named("parley.v1.PersonaConversion")!
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

    /// A typed message as a descriptor-driven one.
    public init<M: WireMessage>(_ typed: M) throws {
        // safe: every generated type is in the catalog (GeneratedMessageTests).
        self = try ProtoCodec.decode(MessageType.named(M.protoName)!, from: typed.encoded())
    }

    /// This message as the typed message of the same protobuf type.
    public func typed<M: WireMessage>(_ type: M.Type) throws -> M {
        try M(decoding: ProtoCodec.encode(self))
    }
}
