import Foundation
import ParleyWire

/// Renders protobuf answers as JSON for scripts: field names exactly as in the .proto,
/// fields in field-number order, absent fields left out, 64-bit integers as numbers, enums
/// as their numbers.
public enum JSONRender {
    public static func object(_ message: any FieldWalk) -> String {
        var out = ""
        write(message, into: &out)
        return out
    }

    static func write(_ message: any FieldWalk, into out: inout String) {
        out += "{"
        for (i, entry) in message.presentFields.enumerated() {
            if i > 0 { out += "," }
            out += quoted(entry.field.name) + ":"
            write(entry.value, into: &out)
        }
        out += "}"
    }

    static func write(_ value: FieldValue, into out: inout String) {
        switch value {
        case .int(let v): out += String(v)
        case .uint(let v): out += String(v)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .bool(let b): out += b ? "true" : "false"
        case .string(let s): out += quoted(s)
        case .bytes(let b): out += quoted(Data(b).base64EncodedString())
        case .message(let m): write(m, into: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
