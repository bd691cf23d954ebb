import Foundation
import Logging

/// One JSON object per line on standard error: `ts`, `level`, `label`, `message`, then
/// the metadata's keys (a call's `call_id`, `method`, `peer`, `status`, `duration_ms`).
/// For log shippers that parse lines; `--log-format json` selects it.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let sink: LineSink

    public init(label: String, sink: LineSink = .standardError) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "ts": Self.timestamp(Date()),
            "level": event.level.rawValue,
            "label": label,
            "message": "\(event.message)",
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged where object[key] == nil {
            object[key] = Self.json(value)
        }
        if let error = event.error { object["error"] = "\(error)" }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        sink.write(data + Data("\n".utf8))
    }

    private static func json(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return "\(c)"
        case .array(let a): return a.map(json)
        case .dictionary(let d): return d.mapValues(json)
        }
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().timeZone(separator: .omitted).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }
}

/// Where log lines go: standard error in parleyd, a buffer in tests.
public struct LineSink: Sendable {
    public let write: @Sendable (Data) -> Void

    public init(write: @escaping @Sendable (Data) -> Void) {
        self.write = write
    }

    public static let standardError = LineSink { FileHandle.standardError.write($0) }
}
