import Foundation

/// One JSON object per line (JSONEachRow, `mysqlsh` and `jq -c` output). Nested values
/// are kept as their JSON text; null reads as an absent value.
final class JSONLinesReader: RecordSource {
    private struct Object {
        let line: Int
        let values: [String: String]
    }

    private let lines: LineReader
    /// The first object, read early for its keys (the columns), handed out first.
    private var peeked: Result<Object, RowProblem>?
    private(set) var columns: [String] = []

    init(path: String) throws {
        lines = try LineReader(path: path)
        peeked = try read()
        if case .success(let first)? = peeked { columns = Array(first.values.keys) }
    }

    var bytesRead: Int64 { lines.bytesRead }
    var totalBytes: Int64 { lines.totalBytes }

    func next(_ plan: ColumnPlan) throws -> Result<SourceRecord, RowProblem>? {
        let object: Result<Object, RowProblem>?
        if let pending = peeked {
            peeked = nil
            object = pending
        } else {
            object = try read()
        }
        return object.map { result in result.map { SourceRecord(line: $0.line, row: plan.row($0.values)) } }
    }

    private func read() throws -> Result<Object, RowProblem>? {
        while let text = try lines.next() {
            let line = lines.lineNumber
            if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                return .failure(RowProblem(line: line, reason: "is not a JSON object"))
            }
            var values: [String: String] = [:]
            for (key, value) in object {
                if let text = JSONLinesReader.text(value) { values[key] = text }
            }
            return .success(Object(line: line, values: values))
        }
        return nil
    }

    static func text(_ value: Any) -> String? {
        switch value {
        case is NSNull: return nil
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default:
            guard let data = try? JSONSerialization.data(withJSONObject: value) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
