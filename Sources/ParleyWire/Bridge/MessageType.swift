import CProtobufC
import ParleyProtoC

/// A protobuf message type known to Parley, described by the descriptor protoc-c generated.
///
/// The descriptor pointer never leaves the bridge: code above sees names, fields and kinds.
public final class MessageType: @unchecked Sendable, CustomStringConvertible, Hashable {
    /// Full protobuf name, e.g. "parley.v1.Turn".
    public let name: String
    public let fields: [Field]
    let descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    private let fieldsByName: [String: Int]

    /// One field of a message type.
    public struct Field: Sendable {
        public enum Kind: Sendable, Equatable {
            case int32, int64, uint32, uint64, float, double, bool, enumeration, string, bytes, message
        }
        public let name: String
        public let number: UInt32
        public let kind: Kind
        public let isRepeated: Bool
        let label: ProtobufCLabel
        let cType: ProtobufCType
        let offset: Int
        let quantifierOffset: Int
        /// Member of a oneof: present when the case slot holds this field's number.
        let isOneofMember: Bool
        /// For message fields: the address of the nested type's descriptor.
        let nestedDescriptor: UInt?
    }

    init(descriptor: UnsafePointer<ProtobufCMessageDescriptor>) {
        self.descriptor = descriptor
        let d = descriptor.pointee
        name = String(cString: d.name)
        var fields: [Field] = []
        for i in 0..<Int(d.n_fields) {
            let f = d.fields[i]
            fields.append(Field(
                name: String(cString: f.name),
                number: f.id,
                kind: Field.kind(of: f.type),
                isRepeated: f.label == PROTOBUF_C_LABEL_REPEATED,
                label: f.label,
                cType: f.type,
                offset: Int(f.offset),
                quantifierOffset: Int(f.quantifier_offset),
                isOneofMember: f.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0,
                nestedDescriptor: f.type == PROTOBUF_C_TYPE_MESSAGE ? UInt(bitPattern: f.descriptor) : nil
            ))
        }
        self.fields = fields
        fieldsByName = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1.name, $0) })
    }

    public func field(named name: String) -> Field? {
        fieldsByName[name].map { fields[$0] }
    }

    /// A field's position in `fields`.
    public func fieldIndex(named name: String) -> Int? {
        fieldsByName[name]
    }

    /// The type of a message-typed field.
    public func nestedType(_ field: Field) -> MessageType? {
        field.nestedDescriptor.flatMap { MessageCatalog.shared.type(atAddress: $0) }
    }

    public var description: String { name }

    public static func == (a: MessageType, b: MessageType) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Looks a type up by its short name ("Turn") or full name ("parley.v1.Turn").
    public static func named(_ name: String) -> MessageType? {
        MessageCatalog.shared.type(named: name)
    }
}

extension MessageType.Field.Kind {
    /// Bytes one element occupies in a C array or struct slot.
    var cSize: Int {
        switch self {
        case .int32, .uint32, .float, .bool, .enumeration: return 4
        case .int64, .uint64, .double, .string, .message: return 8
        case .bytes: return MemoryLayout<ProtobufCBinaryData>.stride
        }
    }
}

extension MessageType.Field {
    fileprivate static func kind(of type: ProtobufCType) -> Kind {
        switch type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32: return .int32
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64: return .int64
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32: return .uint32
        case PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64: return .uint64
        case PROTOBUF_C_TYPE_FLOAT: return .float
        case PROTOBUF_C_TYPE_DOUBLE: return .double
        case PROTOBUF_C_TYPE_BOOL: return .bool
        case PROTOBUF_C_TYPE_ENUM: return .enumeration
        case PROTOBUF_C_TYPE_STRING: return .string
        case PROTOBUF_C_TYPE_BYTES: return .bytes
        default: return .message
        }
    }
}

/// Every message type generated from Protos/, and the service's method list.
final class MessageCatalog: @unchecked Sendable {
    static let shared = MessageCatalog()

    private let byAddress: [UInt: MessageType]
    private let byName: [String: MessageType]
    /// (method name, request type, response type), in declaration order.
    let methods: [(name: String, input: MessageType, output: MessageType)]

    private init() {
        var count = 0
        let list = parley_message_descriptors(&count)
        var byAddress: [UInt: MessageType] = [:]
        var byName: [String: MessageType] = [:]
        for i in 0..<count {
            guard let d = list?[i] else { continue }
            let type = MessageType(descriptor: d)
            byAddress[UInt(bitPattern: d)] = type
            byName[type.name] = type
            if let short = type.name.split(separator: ".").last { byName[String(short)] = type }
        }
        self.byAddress = byAddress
        self.byName = byName
        var methods: [(String, MessageType, MessageType)] = []
        if let service = parley_service_descriptor()?.pointee {
            for i in 0..<Int(service.n_methods) {
                let m = service.methods[i]
                guard let input = byAddress[UInt(bitPattern: m.input)],
                      let output = byAddress[UInt(bitPattern: m.output)] else { continue }
                methods.append((String(cString: m.name), input, output))
            }
        }
        self.methods = methods
    }

    func type(atAddress address: UInt) -> MessageType? { byAddress[address] }
    func type(named name: String) -> MessageType? { byName[name] }
}
