/// RFC 4180 CSV as MySQL and spreadsheets write it: a header line, comma separated,
/// fields in double quotes may hold commas, doubled quotes and line breaks. MySQL's
/// `\N` stands for NULL and reads as an absent value.
final class CSVReader: RecordSource {
    private let lines: LineReader
    private(set) var columns: [String] = []

    init(path: String) throws {
        lines = try LineReader(path: path)
        guard let header = try lines.next() else { throw CLIError.usage("\(path) is empty; a CSV import needs a header line") }
        switch CSVReader.fields(of: header) {
        case .complete(let names):
            columns = names.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") }
        case .open:
            throw CLIError.usage("the header line of \(path) has an unclosed quote")
        }
    }

    var bytesRead: Int64 { lines.bytesRead }
    var totalBytes: Int64 { lines.totalBytes }

    func next() throws -> Result<SourceRecord, RowProblem>? {
        guard var text = try lines.next() else { return nil }
        let start = lines.lineNumber
        while true {
            switch CSVReader.fields(of: text) {
            case .complete(let fields):
                if fields == [""] { return try next() }
                guard fields.count == columns.count else {
                    return .failure(RowProblem(line: start, reason: "has \(fields.count) fields; the header has \(columns.count)"))
                }
                var values: [String: String] = [:]
                for (name, value) in zip(columns, fields) where value != "\\N" && !value.isEmpty { values[name] = value }
                return .success(SourceRecord(line: start, values: values))
            case .open:
                guard let more = try lines.next() else {
                    return .failure(RowProblem(line: start, reason: "has a quoted field that never closes"))
                }
                text += "\n" + more
            }
        }
    }

    enum Split: Equatable {
        case complete([String])
        /// A quoted field continues on the next line.
        case open
    }

    static func fields(of line: String) -> Split {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var chars = line.makeIterator()
        var pending = chars.next()
        while let c = pending {
            pending = chars.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = chars.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        if quoted { return .open }
        fields.append(field)
        return .complete(fields)
    }
}
