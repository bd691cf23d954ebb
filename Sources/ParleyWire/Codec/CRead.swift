/// Reading the fields of an unpacked protobuf-c struct into Swift values.
enum CRead {
    static func string(_ p: UnsafePointer<CChar>, field: String, in typeName: String) throws -> String {
        guard let s = String(validatingCString: p) else {
            throw BridgeError(kind: .invalidText, typeName: typeName, field: field, message: "is not valid UTF-8")
        }
        return s
    }

    static func strings(_ p: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int,
                        field: String, in typeName: String) throws -> [String] {
        guard let p, count > 0 else { return [] }
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            if let s = p[i] { out.append(try string(s, field: field, in: typeName)) }
        }
        return out
    }

    static func messages<M: CBackedMessage>(_ p: UnsafeMutablePointer<UnsafeMutablePointer<M.CStruct>?>?, _ count: Int) throws -> [M] {
        guard let p, count > 0 else { return [] }
        var out: [M] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            if let m = p[i] { out.append(try M(reading: m)) }
        }
        return out
    }

    /// A proto enum value; one this build does not know is a `BridgeError` naming the field
    /// (a proto2 receiver would keep it as an unknown field, but Parley acts on enums).
    static func enumeration<E: CBackedEnum>(_ value: E.CValue, field: String, in typeName: String) throws -> E {
        let raw = Int32(truncatingIfNeeded: value.rawValue)
        guard let e = E(rawValue: raw) else {
            throw BridgeError(kind: .unknownEnumValue, typeName: typeName, field: field,
                              message: "\(raw) is not a value of \(E.protoName)")
        }
        return e
    }

    static func enums<E: CBackedEnum>(_ p: UnsafeMutablePointer<E.CValue>?, _ count: Int,
                                      field: String, in typeName: String) throws -> [E] {
        guard let p, count > 0 else { return [] }
        return try (0..<count).map { try enumeration(p[$0], field: field, in: typeName) }
    }

    static func array<T>(_ p: UnsafeMutablePointer<T>?, _ count: Int) -> [T] {
        guard let p, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: p, count: count))
    }
}
