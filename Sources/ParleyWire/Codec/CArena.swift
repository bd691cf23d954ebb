/// Zeroed C memory that lives exactly as long as one packing: the structs, strings and
/// arrays a message's C form points at. Small pieces are carved from 4 KiB blocks, so an
/// ordinary message costs one allocation.
final class CArena {
    private static let blockSize = 4096
    private var blocks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0

    deinit {
        for b in blocks { b.deallocate() }
    }

    /// `size` zeroed bytes aligned to 16.
    func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let size = (max(size, 1) + 15) & ~15
        if size > remaining || cursor == nil {
            let blockBytes = max(size, Self.blockSize)
            let block = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 0, count: blockBytes)
            blocks.append(block)
            if size >= Self.blockSize { return block }
            cursor = block
            remaining = blockBytes
        }
        // safe: the branch above leaves a block with at least `size` bytes behind cursor.
        let p = cursor!
        cursor = p + size
        remaining -= size
        return p
    }

    func typed<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        allocate(MemoryLayout<T>.stride * count).bindMemory(to: T.self, capacity: count)
    }

    func string(_ s: String, field: String, in typeName: String) throws -> UnsafeMutablePointer<CChar> {
        var s = s
        return try s.withUTF8 { utf8 in
            if utf8.contains(0) {
                throw BridgeError(kind: .typeMismatch, typeName: typeName, field: field,
                                  message: "text must not contain a NUL character")
            }
            let p = typed(CChar.self, count: utf8.count + 1)
            if let base = utf8.baseAddress {
                UnsafeMutableRawPointer(p).copyMemory(from: base, byteCount: utf8.count)
            }
            return p
        }
    }

    func strings(_ values: [String], field: String, in typeName: String) throws -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = typed(UnsafeMutablePointer<CChar>?.self, count: values.count)
        for (i, v) in values.enumerated() { array[i] = try string(v, field: field, in: typeName) }
        return array
    }

    func message<M: CBackedMessage>(_ m: M) throws -> UnsafeMutablePointer<M.CStruct> {
        let c = typed(M.CStruct.self)
        M.cInit(c)
        try m.fill(c, self)
        return c
    }

    func messages<M: CBackedMessage>(_ ms: [M]) throws -> UnsafeMutablePointer<UnsafeMutablePointer<M.CStruct>?> {
        let array = typed(UnsafeMutablePointer<M.CStruct>?.self, count: ms.count)
        for (i, m) in ms.enumerated() { array[i] = try message(m) }
        return array
    }

    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let array = typed(T.self, count: values.count)
        for (i, v) in values.enumerated() { array[i] = v }
        return array
    }
}
