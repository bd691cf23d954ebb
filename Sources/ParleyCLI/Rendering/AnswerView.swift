import ParleyWire

/// How one kind of answer is shown in each output format.
///
/// JSON is always the whole answer as JSONRender prints it, so a script sees exactly what
/// the RPC returned. CSV is the answer's rows flattened (FlatRecord), one line each, with
/// raw numbers. The table is for people: aligned, humanised, with charts where a shape
/// says more than numbers.
public struct AnswerView: Sendable {
    /// The repeated field holding the rows that CSV lists; "" when the answer is itself
    /// the one row.
    public let rowsField: String
    public let table: @Sendable (ProtoMessage, RenderContext) -> String

    public init(rowsField: String, table: @escaping @Sendable (ProtoMessage, RenderContext) -> String) {
        self.rowsField = rowsField
        self.table = table
    }

    public func render(_ answer: ProtoMessage, format: OutputFormat, context: RenderContext) -> String {
        switch format {
        case .json: return JSONRender.object(answer) + "\n"
        case .csv: return csv(answer)
        case .table:
            let text = table(answer, context)
            let shown = context.color ? Highlight.apply(text) : text
            return shown.hasSuffix("\n") ? shown : shown + "\n"
        }
    }

    public func csv(_ answer: ProtoMessage) -> String {
        if rowsField.isEmpty {
            let columns = FlatRecord.columns(of: answer.type)
            var table = Table(columns: columns)
            table.add(FlatRecord.cells(of: answer, columns: columns))
            return table.csv()
        }
        guard let field = answer.type.field(named: rowsField), let rowType = answer.type.nestedType(field) else { return "" }
        let columns = FlatRecord.columns(of: rowType)
        var table = Table(columns: columns)
        for row in answer.messages(rowsField) { table.add(FlatRecord.cells(of: row, columns: columns)) }
        return table.csv()
    }
}
