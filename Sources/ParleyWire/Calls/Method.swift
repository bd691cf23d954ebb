/// What the generic bridge looks up for a method (the `Method` enum itself is generated
/// from `service Parley`). `MethodTableTests` pins the generated enum against the
/// descriptor protoc-c generated.
extension Method {
    /// The id on the wire.
    public var id: UInt16 { rawValue }

    /// Methods that answer with a stream of frames flagged MORE.
    public var isServerStreaming: Bool { kind == .serverStreaming }

    /// The request message type, from the generated service descriptor.
    public var requestType: MessageType {
        // safe: MethodTableTests proves every case has a descriptor entry.
        MessageCatalog.shared.methods[Int(rawValue) - 1].input
    }

    /// The response message type, from the generated service descriptor.
    public var responseType: MessageType {
        // safe: MethodTableTests proves every case has a descriptor entry.
        MessageCatalog.shared.methods[Int(rawValue) - 1].output
    }

    /// The names the generated service descriptor lists, in wire order.
    public static var descriptorNames: [String] { MessageCatalog.shared.methods.map(\.name) }
}
