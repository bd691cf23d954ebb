import ParleyWire

/// How one kind of answer is shown in each output format.
///
/// JSON is always the whole answer as JSONRender prints it, so a script sees exactly what
/// the RPC returned. CSV is the answer's rows flattened (FlatRecord), one line each, with
/// raw numbers. The table is for people: aligned, humanised, with charts where a shape
/// says more than numbers.
public struct AnswerView<Answer: WireMessage>: Sendable {
    /// The rows that CSV lists and `parley export report` writes; nil when the answer is
    /// itself the one row.
    let rows: AnswerRows<Answer>?
    public let table: @Sendable (Answer, RenderContext) -> String

    /// A view of an answer that holds rows of type `Row`.
    public init<Row: FieldWalk>(rows: @escaping @Sendable (Answer) -> [Row],
                                table: @escaping @Sendable (Answer, RenderContext) -> String) {
        self.rows = AnswerRows(type: Row.self, of: { rows($0) })
        self.table = table
    }

    /// A view of an answer that is itself one row (one session's metrics).
    public init(table: @escaping @Sendable (Answer, RenderContext) -> String) {
        self.rows = nil
        self.table = table
    }

    public func render(_ answer: Answer, format: OutputFormat, context: RenderContext) -> String {
        switch format {
        case .json: return JSONRender.object(answer) + "\n"
        case .csv: return csv(answer)
        case .table:
            let text = table(answer, context)
            let shown = context.color ? Highlight.apply(text) : text
            return shown.hasSuffix("\n") ? shown : shown + "\n"
        }
    }

    public func csv(_ answer: Answer) -> String {
        let (type, values): (any FieldWalk.Type, [any FieldWalk]) = rows.map { ($0.type, $0.of(answer)) } ?? (Answer.self, [answer])
        let columns = FlatRecord.columns(of: type)
        var table = Table(columns: columns)
        for row in values { table.add(FlatRecord.cells(of: row, columns: columns)) }
        return table.csv()
    }

    /// The answer with its view, so callers that pick the kind at run time (a report named
    /// on the command line) can hold it without knowing its type.
    func shown(_ answer: Answer) -> ShownAnswer {
        ShownAnswer(render: { render(answer, format: $0, context: $1) },
                    rows: rows.map { ($0.type, $0.of(answer)) })
    }
}

/// Where an answer's rows are: their type (for CSV's header) and how to take them out.
struct AnswerRows<Answer>: Sendable {
    let type: any FieldWalk.Type
    let of: @Sendable (Answer) -> [any FieldWalk]
}

/// An answer bound to its view, its type erased.
public struct ShownAnswer: Sendable {
    public let render: @Sendable (OutputFormat, RenderContext) -> String
    /// The rows and their type; nil when the answer is itself the one row.
    let rows: (type: any FieldWalk.Type, values: [any FieldWalk])?
}
