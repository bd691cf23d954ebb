/// One row of an input file: its values by column name, and the line it starts on.
struct SourceRecord {
    let line: Int
    var values: [String: String]
}

/// Where rows come from: CSV or JSON lines, read one record at a time.
protocol RecordSource: AnyObject {
    /// Column names (CSV header, or the first JSON object's keys), once known.
    var columns: [String] { get }
    var bytesRead: Int64 { get }
    var totalBytes: Int64 { get }
    /// The next record, or nil at the end; a malformed record is a `RowProblem`.
    func next() throws -> Result<SourceRecord, RowProblem>?
}

/// Why one row was not imported, and on which line.
struct RowProblem: Error {
    let line: Int
    let reason: String
}
