import ParleyWire

/// A protobuf message flattened into named columns, for CSV and for JSON lines that
/// column stores (ClickHouse JSONEachRow) load without nested types: a nested message's
/// fields become `outer_inner` columns, a repeated scalar becomes one text column with
/// its values joined by ";".
struct FlatRecord {
    /// The column names of a message type, in declaration order, nested types expanded.
    static func columns(of type: MessageType, prefix: String = "") -> [String] {
        type.fields.flatMap { field -> [String] in
            if field.kind == .message, !field.isRepeated, let nested = type.nestedType(field) {
                return columns(of: nested, prefix: prefix + field.name + "_")
            }
            return field.isRepeated && field.kind == .message ? [] : [prefix + field.name]
        }
    }

    /// Present values by column name.
    static func values(of message: ProtoMessage, prefix: String = "") -> [(String, ProtoValue)] {
        message.presentFields.flatMap { entry -> [(String, ProtoValue)] in
            let name = prefix + entry.field.name
            switch entry.value {
            case .message(let nested): return values(of: nested, prefix: name + "_")
            case .list(let items):
                if entry.field.kind == .message { return [] }
                return [(name, .string(items.map(text).joined(separator: ";")))]
            default: return [(name, entry.value)]
            }
        }
    }

    /// One CSV line's cells for `message`, in the order of `columns`.
    static func cells(of message: ProtoMessage, columns: [String]) -> [String] {
        let present = Dictionary(values(of: message), uniquingKeysWith: { a, _ in a })
        return columns.map { present[$0].map(text) ?? "" }
    }

    /// One flat JSON object: present columns only, in declaration order.
    static func jsonLine(of message: ProtoMessage) -> String {
        var out = "{"
        for (i, (name, value)) in values(of: message).enumerated() {
            if i > 0 { out += "," }
            out += JSONRender.quoted(name) + ":"
            JSONRender.write(value, into: &out)
        }
        return out + "}"
    }

    static func text(_ value: ProtoValue) -> String {
        switch value {
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        case .bytes(let b): return b.map { String(format: "%02x", $0) }.joined()
        case .message(let m): return JSONRender.object(m)
        case .list(let items): return items.map(text).joined(separator: ";")
        }
    }
}
