import CProtobufC
import NIOCore

/// Turns bytes into `ProtoMessage` values and back through libprotobuf-c.
///
/// This file and MessageType.swift are the only places above the storage pages that touch
/// raw pointers. Every C message unpacked here is freed before the function returns, and
/// every C structure built for packing lives in an arena freed when packing is done.
public enum ProtoCodec {
    /// Decodes `bytes` as a message of `type`.
    public static func decode(_ type: MessageType, from bytes: ByteBuffer) throws -> ProtoMessage {
        try bytes.withUnsafeReadableBytes { try decode(type, raw: $0) }
    }

    public static func decode(_ type: MessageType, from bytes: [UInt8]) throws -> ProtoMessage {
        try bytes.withUnsafeBytes { try decode(type, raw: $0) }
    }

    /// Appends the encoding of `message` to `buffer`.
    public static func encode(_ message: ProtoMessage, into buffer: inout ByteBuffer) throws {
        let arena = CArena()
        let c = try build(message, arena: arena)
        let size = protobuf_c_message_get_packed_size(c)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            // safe: minimumWritableBytes guarantees `size` bytes behind baseAddress.
            protobuf_c_message_pack(c, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    public static func encode(_ message: ProtoMessage) throws -> [UInt8] {
        let arena = CArena()
        let c = try build(message, arena: arena)
        let size = protobuf_c_message_get_packed_size(c)
        return [UInt8](unsafeUninitializedCapacity: size) { out, count in
            count = size == 0 ? 0 : protobuf_c_message_pack(c, out.baseAddress)
        }
    }

    // MARK: unpacking

    private static func decode(_ type: MessageType, raw: UnsafeRawBufferPointer) throws -> ProtoMessage {
        let data = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let c = protobuf_c_message_unpack(type.descriptor, nil, raw.count, data) else {
            throw BridgeError(kind: .malformed, typeName: type.name, field: nil,
                              message: "the bytes are not a valid \(type.name) message")
        }
        defer { protobuf_c_message_free_unpacked(c, nil) }
        return try read(UnsafeRawPointer(c), as: type)
    }

    private static func read(_ base: UnsafeRawPointer, as type: MessageType) throws -> ProtoMessage {
        var message = ProtoMessage(type)
        for (position, field) in type.fields.enumerated() {
            if field.isRepeated {
                let count = base.load(fromByteOffset: field.quantifierOffset, as: Int.self)
                guard count > 0, let array = base.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self) else { continue }
                var items: [ProtoValue] = []
                items.reserveCapacity(count)
                for i in 0..<count {
                    if let v = try readValue(array + i * field.kind.cSize, field: field, of: type) { items.append(v) }
                }
                message[position: position] = .list(items)
            } else if isPresent(field, in: base) {
                message[position: position] = try readValue(base + field.offset, field: field, of: type)
            }
        }
        return message
    }

    private static func isPresent(_ field: MessageType.Field, in base: UnsafeRawPointer) -> Bool {
        if field.isOneofMember {
            return base.load(fromByteOffset: field.quantifierOffset, as: UInt32.self) == field.number
        }
        switch field.kind {
        case .string, .message:
            return base.load(fromByteOffset: field.offset, as: UnsafeRawPointer?.self) != nil
        default:
            switch field.label {
            case PROTOBUF_C_LABEL_OPTIONAL:
                return base.load(fromByteOffset: field.quantifierOffset, as: Int32.self) != 0
            case PROTOBUF_C_LABEL_REQUIRED:
                return true
            default:
                // proto3 implicit presence: present when not the zero value.
                return (0..<field.kind.cSize).contains { base.load(fromByteOffset: field.offset + $0, as: UInt8.self) != 0 }
            }
        }
    }

    private static func readValue(_ slot: UnsafeRawPointer, field: MessageType.Field, of type: MessageType) throws -> ProtoValue? {
        switch field.kind {
        case .int32, .enumeration: return .int(Int64(slot.load(as: Int32.self)))
        case .int64: return .int(slot.load(as: Int64.self))
        case .uint32: return .uint(UInt64(slot.load(as: UInt32.self)))
        case .uint64: return .uint(slot.load(as: UInt64.self))
        case .float: return .double(Double(slot.load(as: Float.self)))
        case .double: return .double(slot.load(as: Double.self))
        case .bool: return .bool(slot.load(as: Int32.self) != 0)
        case .string:
            guard let p = slot.load(as: UnsafePointer<CChar>?.self) else { return nil }
            guard let s = String(validatingCString: p) else {
                throw BridgeError(kind: .invalidText, typeName: type.name, field: field.name, message: "is not valid UTF-8")
            }
            return .string(s)
        case .bytes:
            let b = slot.load(as: ProtobufCBinaryData.self)
            guard b.len > 0, let p = b.data else { return .bytes([]) }
            return .bytes(Array(UnsafeBufferPointer(start: p, count: b.len)))
        case .message:
            guard let p = slot.load(as: UnsafeRawPointer?.self) else { return nil }
            guard let nested = type.nestedType(field) else {
                throw BridgeError(kind: .malformed, typeName: type.name, field: field.name, message: "has a message type outside the catalog")
            }
            return .message(try read(p, as: nested))
        }
    }

    // MARK: packing

    private static func build(_ message: ProtoMessage, arena: CArena) throws -> UnsafeMutablePointer<ProtobufCMessage> {
        let type = message.type
        let mem = arena.allocate(type.descriptor.pointee.sizeof_message)
        let c = mem.assumingMemoryBound(to: ProtobufCMessage.self)
        protobuf_c_message_init(type.descriptor, c)
        for (field, value) in message.presentFields {
            if field.isRepeated {
                guard case .list(let items) = value else { throw mismatch(type, field, "expects a list") }
                guard !items.isEmpty else { continue }
                let array = arena.allocate(items.count * field.kind.cSize)
                for (i, item) in items.enumerated() {
                    try write(item, to: array + i * field.kind.cSize, field: field, of: type, arena: arena)
                }
                mem.storeBytes(of: items.count, toByteOffset: field.quantifierOffset, as: Int.self)
                mem.storeBytes(of: UnsafeMutableRawPointer?.some(array), toByteOffset: field.offset, as: UnsafeMutableRawPointer?.self)
            } else {
                try write(value, to: mem + field.offset, field: field, of: type, arena: arena)
                if field.isOneofMember {
                    mem.storeBytes(of: field.number, toByteOffset: field.quantifierOffset, as: UInt32.self)
                } else if field.label == PROTOBUF_C_LABEL_OPTIONAL && field.kind != .string && field.kind != .message {
                    mem.storeBytes(of: Int32(1), toByteOffset: field.quantifierOffset, as: Int32.self)
                }
            }
        }
        return c
    }

    private static func write(_ value: ProtoValue, to slot: UnsafeMutableRawPointer, field: MessageType.Field,
                              of type: MessageType, arena: CArena) throws {
        switch (field.kind, value) {
        case (.int32, _), (.enumeration, _):
            guard let v = integer(value, as: Int32.self) else { throw mismatch(type, field, "expects a 32-bit integer") }
            slot.storeBytes(of: v, as: Int32.self)
        case (.int64, _):
            guard let v = integer(value, as: Int64.self) else { throw mismatch(type, field, "expects a 64-bit integer") }
            slot.storeBytes(of: v, as: Int64.self)
        case (.uint32, _):
            guard let v = integer(value, as: UInt32.self) else { throw mismatch(type, field, "expects an unsigned 32-bit integer") }
            slot.storeBytes(of: v, as: UInt32.self)
        case (.uint64, _):
            guard let v = integer(value, as: UInt64.self) else { throw mismatch(type, field, "expects an unsigned 64-bit integer") }
            slot.storeBytes(of: v, as: UInt64.self)
        case (.float, .double(let d)):
            slot.storeBytes(of: Float(d), as: Float.self)
        case (.double, .double(let d)):
            slot.storeBytes(of: d, as: Double.self)
        case (.bool, .bool(let b)):
            slot.storeBytes(of: Int32(b ? 1 : 0), as: Int32.self)
        case (.string, .string(let s)):
            let utf8 = Array(s.utf8)
            if utf8.contains(0) { throw mismatch(type, field, "text must not contain a NUL character") }
            let p = arena.allocate(utf8.count + 1)
            utf8.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: utf8.count) } // safe: utf8.count bytes were allocated plus one
            p.storeBytes(of: UInt8(0), toByteOffset: utf8.count, as: UInt8.self)
            slot.storeBytes(of: UnsafeMutableRawPointer?.some(p), as: UnsafeMutableRawPointer?.self)
        case (.bytes, .bytes(let b)):
            let p = arena.allocate(max(b.count, 1))
            b.withUnsafeBytes { if let base = $0.baseAddress { p.copyMemory(from: base, byteCount: b.count) } }
            slot.storeBytes(of: ProtobufCBinaryData(len: b.count, data: p.assumingMemoryBound(to: UInt8.self)), as: ProtobufCBinaryData.self)
        case (.message, .message(let m)):
            guard let expected = type.nestedType(field), expected == m.type else {
                throw mismatch(type, field, "expects a \(type.nestedType(field)?.name ?? "message"), got \(m.type.name)")
            }
            let nested = try build(m, arena: arena)
            slot.storeBytes(of: UnsafeMutableRawPointer?.some(UnsafeMutableRawPointer(nested)), as: UnsafeMutableRawPointer?.self)
        default:
            throw mismatch(type, field, "cannot hold \(value)")
        }
    }

    private static func integer<T: FixedWidthInteger>(_ value: ProtoValue, as: T.Type) -> T? {
        switch value {
        case .int(let v): return T(exactly: v)
        case .uint(let v): return T(exactly: v)
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    private static func mismatch(_ type: MessageType, _ field: MessageType.Field, _ why: String) -> BridgeError {
        BridgeError(kind: .typeMismatch, typeName: type.name, field: field.name, message: why)
    }
}
