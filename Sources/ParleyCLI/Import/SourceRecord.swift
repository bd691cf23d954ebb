/// One row of an input file: its values by field, and the line it starts on.
struct SourceRecord {
    let line: Int
    var row: MappedRow
}

/// Where rows come from: CSV or JSON lines, read one record at a time.
protocol RecordSource: AnyObject {
    /// Column names (CSV header, or the first JSON object's keys), once known.
    var columns: [String] { get }
    var bytesRead: Int64 { get }
    var totalBytes: Int64 { get }
    /// The next record mapped through `plan` (made from `columns`), or nil at the end; a
    /// malformed record is a `RowProblem`.
    func next(_ plan: ColumnPlan) throws -> Result<SourceRecord, RowProblem>?
}

/// Why one row was not imported, and on which line.
struct RowProblem: Error {
    let line: Int
    let reason: String
}
