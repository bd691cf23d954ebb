import NIOCore

/// Encoding and decoding of generated messages through libprotobuf-c.
///
/// With CArena and CRead, the only code above the storage pages that touches raw
/// pointers. An unpacked C message is freed before `decode` returns; the C structs built
/// for packing live in an arena freed when packing is done.
enum CCodec {
    static func decode<M: CBackedMessage>(_ type: M.Type, _ bytes: UnsafeRawBufferPointer) throws -> M {
        try WireNesting.check(M.self, bytes)
        let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let c = M.cUnpack(bytes.count, data) else {
            throw BridgeError(kind: .malformed, typeName: M.protoName, field: nil,
                              message: "the bytes are not a valid \(M.protoName) message")
        }
        defer { M.cFree(c) }
        return try M(reading: c)
    }

    static func encode<M: CBackedMessage>(_ message: M, into buffer: inout ByteBuffer) throws {
        let arena = CArena()
        let c = try arena.message(message)
        let size = M.cPackedSize(c)
        guard size > 0 else { return }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            M.cPack(c, out.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
    }
}

extension CBackedMessage {
    public init(decoding bytes: UnsafeRawBufferPointer) throws {
        self = try CCodec.decode(Self.self, bytes)
    }

    public func encode(into buffer: inout ByteBuffer) throws {
        try CCodec.encode(self, into: &buffer)
    }
}
