/// A message's fields as values, for code that treats every field alike (JSON and CSV
/// output) and so must not name any. The conformances are generated with the messages,
/// so a field added to a .proto shows up in that output without hand-written changes.
public protocol FieldWalk: Sendable {
    /// Every field of the type, in field-number order (the order protobuf encodes them).
    static var fieldSchema: [FieldSchema] { get }
    /// The fields that are present, in field-number order: an optional that is set, a
    /// repeated field that is not empty.
    var presentFields: [(field: FieldSchema, value: FieldValue)] { get }
}

/// One field of a message type as a field walk sees it.
public struct FieldSchema: Sendable {
    /// The name in the .proto, e.g. "session_id".
    public let name: String
    public let isRepeated: Bool
    /// The field's message type, for message-typed fields; nil for scalars and enums.
    public let messageType: (any FieldWalk.Type)?

    public init(_ name: String, repeated: Bool = false, message: (any FieldWalk.Type)? = nil) {
        self.name = name
        self.isRepeated = repeated
        self.messageType = message
    }
}

/// A present field's value. Enums are their numbers, as protobuf carries them; 32-bit
/// integers widen to 64 bits.
public enum FieldValue: Sendable {
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    case message(any FieldWalk)
    case list([FieldValue])
}
