/// What every caller asks of a method beyond the generated `Method` enum (made from
/// `service Parley`). `MethodTableTests` pins the enum against protoc-c's descriptor.
extension Method {
    /// The id on the wire.
    public var id: UInt16 { rawValue }

    /// Methods that answer with a stream of frames flagged MORE.
    public var isServerStreaming: Bool { kind == .serverStreaming }
}
