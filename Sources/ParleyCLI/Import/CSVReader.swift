import Foundation

/// RFC 4180 CSV as MySQL and spreadsheets write it: a header line, comma separated,
/// fields in double quotes may hold commas, doubled quotes and line breaks. MySQL's
/// `\N` stands for NULL and, like an empty field, reads as an absent value.
///
/// The file is read in large chunks and scanned as bytes: a record's fields are found as
/// byte ranges of the chunk, and only the columns the plan maps become strings (one copy
/// each, straight from the chunk). Nothing is kept per row but the row's values.
final class CSVReader: RecordSource {
    /// Where one field of the current record lies in `buffer`, quotes included.
    private struct Span {
        var start: Int
        var end: Int
        var quoted: Bool
    }

    private enum Scan {
        /// A record of `lines` lines is in `spans`.
        case record(lines: Int)
        /// The file ended inside a quoted field.
        case open(lines: Int)
        case end
    }

    private static let chunkSize = 4 << 20
    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// The first byte of `buffer` not yet scanned.
    private var position = 0
    /// Bytes of the file before `buffer[0]`.
    private var consumed: Int64 = 0
    private var atEnd = false
    /// The lines of the file scanned so far.
    private var linesDone = 0
    private var spans: [Span] = []
    let totalBytes: Int64
    private(set) var columns: [String] = []

    var bytesRead: Int64 { consumed + Int64(position) }

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIError.usage("cannot open \(path) for reading; check the path and its permissions")
        }
        self.handle = handle
        totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        switch try scan() {
        case .end: throw CLIError.usage("\(path) is empty; a CSV import needs a header line")
        case .open: throw CLIError.usage("the header line of \(path) has an unclosed quote")
        case .record(let lines):
            linesDone += lines
            columns = spans.map { text($0).replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespaces) }
        }
    }

    deinit { try? handle.close() }

    func next(_ plan: ColumnPlan) throws -> Result<SourceRecord, RowProblem>? {
        while true {
            let start = linesDone + 1
            switch try scan() {
            case .end: return nil
            case .open(let lines):
                linesDone += lines
                return .failure(RowProblem(line: start, reason: "has a quoted field that never closes"))
            case .record(let lines):
                linesDone += lines
                if spans.count == 1, spans[0].start == spans[0].end { continue } // a blank line
                guard spans.count == columns.count else {
                    return .failure(RowProblem(line: start, reason: "has \(spans.count) fields; the header has \(columns.count)"))
                }
                var row = MappedRow()
                for (i, field) in plan.byColumn.enumerated() {
                    guard let field else { continue }
                    row[field] = value(spans[i])
                }
                return .success(SourceRecord(line: start, row: row))
            }
        }
    }

    /// The fields of one complete line, for tests and callers holding a line in memory.
    static func fields(of line: String) -> [String]? {
        let reader = CSVReader(bytes: Array(line.utf8))
        guard case .record = reader.scanBuffered(final: true) else { return nil }
        return reader.spans.map(reader.text)
    }

    private init(bytes: [UInt8]) {
        handle = FileHandle.nullDevice
        buffer = bytes
        atEnd = true
        totalBytes = Int64(bytes.count)
    }

    /// The next record into `spans`, reading more of the file while the record runs past
    /// the bytes buffered.
    private func scan() throws -> Scan {
        while true {
            if let found = scanBuffered(final: atEnd) { return found }
            try refill()
        }
    }

    /// Drops the scanned bytes and appends the next chunk of the file.
    private func refill() throws {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            consumed += Int64(position)
            position = 0
        }
        let chunk = try handle.read(upToCount: CSVReader.chunkSize) ?? Data()
        if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
    }

    /// Scans one record from `position`; nil when it may continue past the buffer and more
    /// of the file is to come (`final` false).
    private func scanBuffered(final: Bool) -> Scan? {
        spans.removeAll(keepingCapacity: true)
        var i = position
        let count = buffer.count
        if i >= count { return final ? .end : nil }
        var fieldStart = i
        var quoted = false
        var inQuotes = false
        var lines = 1
        while i < count {
            let byte = buffer[i]
            if inQuotes {
                if byte == CSVReader.quote {
                    // A doubled quote stays inside; a single one closes. Which it is needs
                    // the next byte.
                    guard i + 1 < count || final else { return nil }
                    if i + 1 < count && buffer[i + 1] == CSVReader.quote { i += 2 } else { inQuotes = false; i += 1 }
                    continue
                }
                if byte == CSVReader.newline { lines += 1 }
                i += 1
                continue
            }
            switch byte {
            case CSVReader.quote where i == fieldStart:
                inQuotes = true
                quoted = true
            case CSVReader.comma:
                spans.append(Span(start: fieldStart, end: i, quoted: quoted))
                fieldStart = i + 1
                quoted = false
            case CSVReader.newline:
                let end = i > fieldStart && buffer[i - 1] == CSVReader.carriageReturn ? i - 1 : i
                spans.append(Span(start: fieldStart, end: end, quoted: quoted))
                position = i + 1
                return .record(lines: lines)
            default:
                break
            }
            i += 1
        }
        guard final else { return nil }
        position = count
        if inQuotes { return .open(lines: lines) }
        let end = count > fieldStart && buffer[count - 1] == CSVReader.carriageReturn ? count - 1 : count
        spans.append(Span(start: fieldStart, end: end, quoted: quoted))
        return .record(lines: lines)
    }

    /// A field's value: nil for empty and `\N`.
    private func value(_ span: Span) -> String? {
        if span.start == span.end { return nil }
        if !span.quoted, span.end - span.start == 2, buffer[span.start] == 0x5C, buffer[span.start + 1] == UInt8(ascii: "N") { return nil }
        let text = text(span)
        return text.isEmpty ? nil : text
    }

    /// A field's text: a quoted field without its quotes, doubled quotes made single.
    private func text(_ span: Span) -> String {
        guard span.quoted else { return String(decoding: buffer[span.start..<span.end], as: UTF8.self) }
        let inner = buffer[(span.start + 1)..<span.end]
        if inner.last == CSVReader.quote, inner.dropLast().firstIndex(of: CSVReader.quote) == nil {
            return String(decoding: inner.dropLast(), as: UTF8.self)
        }
        // Doubled quotes inside, or text after the closing quote (kept, as most readers do).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(inner.count)
        var k = inner.startIndex
        while k < inner.endIndex {
            let byte = inner[k]
            if byte == CSVReader.quote {
                // A doubled quote is one quote; a single one is the closing quote, dropped.
                if k + 1 < inner.endIndex && inner[k + 1] == CSVReader.quote { bytes.append(byte); k += 2 } else { k += 1 }
                continue
            }
            bytes.append(byte)
            k += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
