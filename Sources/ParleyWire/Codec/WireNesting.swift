import CProtobufC
import ParleyProtoC

/// protobuf-c unpacks a nested message by calling itself, with no bound on the depth, so
/// bytes that nest a message inside itself a million times would exhaust the stack. Before
/// any unpacking, this walk follows the bytes the way protobuf-c will (it descends only
/// into the fields the type's descriptor declares as messages) and refuses nesting deeper
/// than `maxDepth`. Structural faults end the walk silently: protobuf-c refuses those
/// itself, in its first pass over each level, before it descends.
enum WireNesting {
    /// Far deeper than any Parley message (the deepest nests 5 levels), far shallower than
    /// what a thread's stack holds.
    static let maxDepth = 32

    static func check<M: CBackedMessage>(_ type: M.Type, _ bytes: UnsafeRawBufferPointer, maxDepth: Int = maxDepth) throws {
        guard let descriptor = MessageDescriptors.shared.descriptor(named: M.protoName) else { return }
        var path: [String] = []
        if !walk(bytes, descriptor, depth: 1, maxDepth: maxDepth, path: &path) {
            throw BridgeError(kind: .tooDeep, typeName: M.protoName, field: path.joined(separator: "."),
                              message: "messages nest deeper than \(maxDepth) levels; this server unpacks at most \(maxDepth)")
        }
    }

    /// False when nesting passes `maxDepth`; `path` then names the fields down to there.
    private static func walk(_ bytes: UnsafeRawBufferPointer, _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>,
                             depth: Int, maxDepth: Int, path: inout [String]) -> Bool {
        if depth > maxDepth { return false }
        var reader = VarintReader(bytes: bytes)
        while !reader.atEnd {
            guard let tag = reader.varint() else { return true }
            let fieldNumber = tag >> 3
            switch tag & 7 {
            case 0: guard reader.varint() != nil else { return true }
            case 1: guard reader.skip(8) else { return true }
            case 5: guard reader.skip(4) else { return true }
            case 2:
                guard let length = reader.varint(), let inner = reader.slice(length) else { return true }
                guard fieldNumber <= UInt64(UInt32.max),
                      let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(fieldNumber)),
                      field.pointee.type == PROTOBUF_C_TYPE_MESSAGE,
                      let nested = field.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                else { continue }
                path.append(field.pointee.name.map { String(cString: $0) } ?? "\(fieldNumber)")
                if !walk(inner, nested, depth: depth + 1, maxDepth: maxDepth, path: &path) { return false }
                path.removeLast()
            default: return true  // groups and reserved wire types: protobuf-c refuses them
            }
        }
        return true
    }
}

/// Reads protobuf's base-128 varints and skips fixed-size values over a byte range.
private struct VarintReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var atEnd: Bool { offset >= bytes.count }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    mutating func skip(_ count: Int) -> Bool {
        guard bytes.count - offset >= count else { return false }
        offset += count
        return true
    }

    mutating func slice(_ length: UInt64) -> UnsafeRawBufferPointer? {
        guard length <= UInt64(bytes.count - offset) else { return nil }
        let start = offset
        offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }
}

/// Every message descriptor protoc-c generated, by full name ("parley.v1.Turn").
struct MessageDescriptors: @unchecked Sendable {
    // The pointers lead to protoc-c's static const tables, which nothing ever writes.
    private let byName: [String: UnsafePointer<ProtobufCMessageDescriptor>]

    static let shared = MessageDescriptors()

    private init() {
        var count = 0
        var byName: [String: UnsafePointer<ProtobufCMessageDescriptor>] = [:]
        if let list = parley_message_descriptors(&count) {
            for i in 0..<count {
                if let d = list[i], let name = d.pointee.name { byName[String(cString: name)] = d }
            }
        }
        self.byName = byName
    }

    func descriptor(named name: String) -> UnsafePointer<ProtobufCMessageDescriptor>? {
        byName[name]
    }
}
