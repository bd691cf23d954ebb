/// A decoded protobuf message as a Swift value: its type and the fields that are present.
///
/// Fields are addressed by their .proto names. Reading an absent field gives nil (or an
/// empty list); writing nil removes it. Values are checked against the field's kind when
/// the message is encoded, so a mismatch is a `BridgeError`, never a trap.
public struct ProtoMessage: Sendable, Equatable {
    public let type: MessageType
    /// By the field's position in `type.fields`: no hashing, one allocation per message.
    private var values: [ProtoValue?]

    public init(_ type: MessageType) {
        self.type = type
        values = Array(repeating: nil, count: type.fields.count)
    }

    /// Creates a message of the named type; nil when no such type was generated.
    public init?(typeNamed name: String) {
        guard let type = MessageType.named(name) else { return nil }
        self.init(type)
    }

    public subscript(_ name: String) -> ProtoValue? {
        get {
            guard let i = type.fieldIndex(named: name) else { return nil }
            return values[i]
        }
        set {
            guard let i = type.fieldIndex(named: name) else {
                assertionFailure("\(type.name) has no field \(name)")
                return
            }
            values[i] = newValue
        }
    }

    /// The value at a field's position in `type.fields`, for code that walks every field.
    subscript(position position: Int) -> ProtoValue? {
        get { values[position] }
        set { values[position] = newValue }
    }

    /// The fields that are present, in declaration order.
    public var presentFields: [(field: MessageType.Field, value: ProtoValue)] {
        var out: [(field: MessageType.Field, value: ProtoValue)] = []
        for (i, v) in values.enumerated() { if let v { out.append((type.fields[i], v)) } }
        return out
    }

    public func has(_ name: String) -> Bool { self[name] != nil }

    // MARK: typed reads

    public func string(_ name: String) -> String? {
        if case .string(let s)? = self[name] { return s }
        return nil
    }

    public func int(_ name: String) -> Int64? {
        switch self[name] {
        case .int(let v)?: return v
        case .uint(let v)?: return Int64(exactly: v)
        default: return nil
        }
    }

    public func uint(_ name: String) -> UInt64? {
        switch self[name] {
        case .uint(let v)?: return v
        case .int(let v)?: return UInt64(exactly: v)
        default: return nil
        }
    }

    public func double(_ name: String) -> Double? {
        if case .double(let v)? = self[name] { return v }
        return nil
    }

    public func bool(_ name: String) -> Bool? {
        if case .bool(let v)? = self[name] { return v }
        return nil
    }

    public func bytes(_ name: String) -> [UInt8]? {
        if case .bytes(let v)? = self[name] { return v }
        return nil
    }

    public func message(_ name: String) -> ProtoMessage? {
        if case .message(let m)? = self[name] { return m }
        return nil
    }

    public func list(_ name: String) -> [ProtoValue] {
        if case .list(let l)? = self[name] { return l }
        return []
    }

    public func messages(_ name: String) -> [ProtoMessage] {
        list(name).compactMap { if case .message(let m) = $0 { return m } else { return nil } }
    }

    public func strings(_ name: String) -> [String] {
        list(name).compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }

    public func ints(_ name: String) -> [Int64] {
        list(name).compactMap { if case .int(let v) = $0 { return v } else { return nil } }
    }

    // MARK: typed writes (nil removes the field)

    public mutating func set(_ name: String, _ value: String?) { self[name] = value.map { .string($0) } }
    public mutating func set(_ name: String, _ value: Int64?) { self[name] = value.map { .int($0) } }
    public mutating func set(_ name: String, _ value: Int?) { self[name] = value.map { .int(Int64($0)) } }
    public mutating func set(_ name: String, _ value: Int32?) { self[name] = value.map { .int(Int64($0)) } }
    public mutating func set(_ name: String, _ value: UInt32?) { self[name] = value.map { .uint(UInt64($0)) } }
    public mutating func set(_ name: String, _ value: UInt64?) { self[name] = value.map { .uint($0) } }
    public mutating func set(_ name: String, _ value: Double?) { self[name] = value.map { .double($0) } }
    public mutating func set(_ name: String, _ value: Bool?) { self[name] = value.map { .bool($0) } }
    public mutating func set(_ name: String, _ value: ProtoMessage?) { self[name] = value.map { .message($0) } }
    public mutating func set(_ name: String, messages: [ProtoMessage]) {
        self[name] = messages.isEmpty ? nil : .list(messages.map { .message($0) })
    }
    public mutating func set(_ name: String, strings: [String]) {
        self[name] = strings.isEmpty ? nil : .list(strings.map { .string($0) })
    }
    public mutating func set(_ name: String, ints: [Int64]) {
        self[name] = ints.isEmpty ? nil : .list(ints.map { .int($0) })
    }
}
