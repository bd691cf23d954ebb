import NIOCore
import ParleyWire

/// `replay --verify`: whether a replayed call was answered as it was when recorded.
///
/// The statuses must be equal. On OK the two response messages are decoded with the
/// method's response type and compared field by field, leaving out what legitimately
/// differs between two servers fed the same requests (docs/LOAD.md lists it):
/// - times: every field whose name ends in `_at_ms` (when a server received, updated,
///   created or captured something; client-sent times under that suffix are left out
///   too, which loses nothing a data difference would not also show elsewhere);
/// - answers that describe the server rather than its data (`serverDescribing`):
///   compared by status only, as are failures (their messages may carry reference ids).
enum AnswerComparison {
    static let timeSuffix = "_at_ms"

    /// ServerInfo (uptime, connections), Check and Stats (pages, commits), Backup and
    /// StreamBackup (file bytes), and the key methods (ids and secrets the server makes).
    static let serverDescribing: Set<Method> = [.serverInfo, .check, .stats, .backup, .streamBackup, .createKey, .listKeys, .revokeKey]

    /// Nil when the answers agree; else what differs, for the report.
    static func difference(method: Method?, recorded: CallAnswer, replayed: CallAnswer) -> String? {
        guard recorded.status == replayed.status else {
            return "status \(recorded.status.name) when recorded, \(replayed.status.name) now"
        }
        guard recorded.status == .ok, let method, !serverDescribing.contains(method) else { return nil }
        guard let type = method.responseType else { return nil }
        let before: [String]
        let after: [String]
        do {
            before = fields(try type.init(decoding: recorded.body))
        } catch {
            return "the recorded answer does not decode as \(type.protoName): \(error)"
        }
        do {
            after = fields(try type.init(decoding: replayed.body))
        } catch {
            return "the answer does not decode as \(type.protoName): \(error)"
        }
        guard before != after else { return nil }
        let first = zip(before, after).first { $0 != $1 }
        if let (was, now) = first { return "\(was) when recorded, \(now) now" }
        return "\(before.count) fields when recorded, \(after.count) now"
    }

    /// The message's present fields as "path = value" lines, in field order, times left out.
    static func fields(_ message: any FieldWalk, prefix: String = "") -> [String] {
        var out: [String] = []
        for (field, value) in message.presentFields where !field.name.hasSuffix(timeSuffix) {
            out += lines(value, path: prefix + field.name)
        }
        return out
    }

    private static func lines(_ value: FieldValue, path: String) -> [String] {
        switch value {
        case .int(let v): return ["\(path) = \(v)"]
        case .uint(let v): return ["\(path) = \(v)"]
        case .double(let v): return ["\(path) = \(v)"]
        case .bool(let v): return ["\(path) = \(v)"]
        case .string(let v): return ["\(path) = \"\(v)\""]
        case .bytes(let v): return ["\(path) = \(v.count) bytes, \(v.reduce(into: 0 as UInt64) { $0 = $0 &* 31 &+ UInt64($1) })"]
        case .message(let m): return fields(m, prefix: path + ".")
        case .list(let items):
            return items.enumerated().flatMap { index, item in lines(item, path: "\(path)[\(index)]") }
        }
    }
}
