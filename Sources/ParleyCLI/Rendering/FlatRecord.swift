import ParleyWire

/// A protobuf message flattened into named columns, for CSV and for JSON lines that
/// column stores (ClickHouse JSONEachRow) load without nested types: a nested message's
/// fields become `outer_inner` columns, a repeated scalar becomes one text column with
/// its values joined by ";".
struct FlatRecord {
    /// The column names of a message type, in field order, nested types expanded.
    static func columns(of type: any FieldWalk.Type, prefix: String = "") -> [String] {
        type.fieldSchema.flatMap { field -> [String] in
            if let nested = field.messageType {
                return field.isRepeated ? [] : columns(of: nested, prefix: prefix + field.name + "_")
            }
            return [prefix + field.name]
        }
    }

    /// Present values by column name.
    static func values(of message: any FieldWalk, prefix: String = "") -> [(String, FieldValue)] {
        message.presentFields.flatMap { entry -> [(String, FieldValue)] in
            let name = prefix + entry.field.name
            switch entry.value {
            case .message(let nested): return values(of: nested, prefix: name + "_")
            case .list(let items):
                if entry.field.messageType != nil { return [] }
                return [(name, .string(items.map(text).joined(separator: ";")))]
            default: return [(name, entry.value)]
            }
        }
    }

    /// One CSV line's cells for `message`, in the order of `columns`.
    static func cells(of message: any FieldWalk, columns: [String]) -> [String] {
        let present = Dictionary(values(of: message), uniquingKeysWith: { a, _ in a })
        return columns.map { present[$0].map(text) ?? "" }
    }

    /// One flat JSON object: present columns only, in field order.
    static func jsonLine(of message: any FieldWalk) -> String {
        var out = "{"
        for (i, (name, value)) in values(of: message).enumerated() {
            if i > 0 { out += "," }
            out += JSONRender.quoted(name) + ":"
            JSONRender.write(value, into: &out)
        }
        return out + "}"
    }

    static func text(_ value: FieldValue) -> String {
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
