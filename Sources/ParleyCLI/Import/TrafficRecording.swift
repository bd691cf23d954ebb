import Foundation
import ParleyWire

/// Recorded traffic for load tests: the turns of an ai_conversations export (CSV or JSON
/// lines, as `parley export turns` or the seed's MySQL tables write them), in file order.
public struct TrafficRecording {
    /// One LogTurn request and the time it was originally answered, when known.
    public struct Entry {
        public let line: Int
        public let request: V1.Turn
        public let repliedAtMs: Int64?
    }

    public let entries: [Entry]
    /// Rows that could not become a turn, as "line N: reason".
    public let problems: [String]

    public init(path: String, organization: String?) throws {
        let source: RecordSource = path.hasSuffix(".csv") ? try CSVReader(path: path) : try JSONLinesReader(path: path)
        let converter = RowConverter(table: .aiConversations, defaultOrganization: organization)
        let mapping = try ColumnMapping(table: .aiConversations, spec: [])
        var entries: [Entry] = []
        var problems: [String] = []
        while let next = try source.next() {
            switch next {
            case .failure(let p): problems.append("line \(p.line): \(p.reason)")
            case .success(let record):
                do {
                    // The importer marks turns for LogTurns batches; a replay sends each on its own.
                    for case .turn(let turn) in try converter.calls(mapping.apply(record.values)) {
                        entries.append(Entry(line: record.line, request: turn, repliedAtMs: turn.repliedAtMs))
                    }
                } catch {
                    problems.append("line \(record.line): \(error.text)")
                }
            }
        }
        self.entries = entries
        self.problems = problems
    }
}
