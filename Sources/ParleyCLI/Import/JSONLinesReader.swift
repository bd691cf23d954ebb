import Foundation

/// One JSON object per line (JSONEachRow, `mysqlsh` and `jq -c` output). Nested values
/// are kept as their JSON text; null reads as an absent value.
final class JSONLinesReader: RecordSource {
    private let lines: LineReader
    /// The first record, read early for its keys (the columns), handed out first.
    private var peeked: Result<SourceRecord, RowProblem>?
    private(set) var columns: [String] = []

    init(path: String) throws {
        lines = try LineReader(path: path)
        peeked = try read()
        if case .success(let r)? = peeked { columns = Array(r.values.keys) }
    }

    var bytesRead: Int64 { lines.bytesRead }
    var totalBytes: Int64 { lines.totalBytes }

    func next() throws -> Result<SourceRecord, RowProblem>? {
        if let pending = peeked {
            peeked = nil
            return pending
        }
        return try read()
    }

    private func read() throws -> Result<SourceRecord, RowProblem>? {
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
            return .success(SourceRecord(line: line, values: values))
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
