import Foundation
import NIOCore
import ParleyLoad
import ParleyWire

/// Recorded traffic for load tests: the turns of an ai_conversations export (CSV or JSON
/// lines, as `parley export turns` or the seed's MySQL tables write them), in file order,
/// as the LogTurn requests a replay sends.
public struct TrafficRecording {
    /// One LogTurn request and the time it was originally answered, when known.
    public struct Entry {
        public let line: Int
        /// The LogTurn REQUEST frame (call id 1: a replay's connection numbers its own).
        public let frame: Frame
        public let repliedAtMs: Int64?
    }

    public let entries: [Entry]
    /// Rows that could not become a turn, as "line N: reason".
    public let problems: [String]

    public init(path: String, organization: String?) throws {
        let source: RecordSource = path.hasSuffix(".csv") ? try CSVReader(path: path) : try JSONLinesReader(path: path)
        let converter = RowConverter(table: .aiConversations, defaultOrganization: organization)
        let plan = try ColumnMapping(table: .aiConversations, spec: []).plan(source.columns)
        var entries: [Entry] = []
        var problems: [String] = []
        while let next = try source.next(plan) {
            switch next {
            case .failure(let p): problems.append("line \(p.line): \(p.reason)")
            case .success(let record):
                let calls: [ImportCall]
                do {
                    calls = try converter.calls(record.row)
                } catch {
                    problems.append("line \(record.line): \(error.text)")
                    continue
                }
                // The importer marks turns for LogTurns batches; a replay sends each on its own.
                for case .turn(let turn) in calls {
                    let body: ByteBuffer
                    do {
                        body = try turn.encoded()
                    } catch {
                        problems.append("line \(record.line): the turn does not encode: \(error)")
                        continue
                    }
                    let frame = Frame(type: .request, callID: 1, code: Method.logTurn.id, body: body)
                    entries.append(Entry(line: record.line, frame: frame, repliedAtMs: turn.repliedAtMs))
                }
            }
        }
        self.entries = entries
        self.problems = problems
    }

    /// The entries as capture records, so an export replays exactly like a capture:
    /// arrival is the reply's time after the earliest one (0 when the export has none),
    /// and entries are dealt round robin over `connections`.
    public func records(connections: Int) -> [CaptureRecord] {
        let first = entries.compactMap(\.repliedAtMs).min() ?? 0
        return entries.enumerated().map { i, e in
            CaptureRecord(arrivalMicros: UInt64(max(0, (e.repliedAtMs ?? first) - first)) * 1_000,
                          connection: UInt32(i % max(1, connections)), frame: e.frame)
        }
    }
}
