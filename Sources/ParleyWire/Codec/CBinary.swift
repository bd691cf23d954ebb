import CProtobufC

// `bytes` fields: protobuf-c keeps them as a (length, pointer) pair.

extension CArena {
    /// A copy of `bytes` in the arena, as protobuf-c's binary value.
    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        let p = typed(UInt8.self, count: bytes.count)
        for (i, b) in bytes.enumerated() { p[i] = b }
        return ProtobufCBinaryData(len: bytes.count, data: p)
    }
}

extension CRead {
    static func binary(_ value: ProtobufCBinaryData) -> [UInt8] {
        guard let data = value.data, value.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: value.len))
    }
}
