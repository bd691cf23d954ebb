import Logging

/// `--log-format`: how parleyd writes its log lines.
public enum LogFormat: String, CaseIterable, Sendable {
    /// swift-log's standard lines, for people reading a terminal.
    case text
    /// One JSON object per line (`JSONLogHandler`), for log shippers.
    case json

    public init(flag: String) throws {
        guard let format = LogFormat(rawValue: flag) else {
            throw ServerError.configuration("--log-format must be \(LogFormat.allCases.map(\.rawValue).joined(separator: " or ")), not \"\(flag)\"")
        }
        self = format
    }

    public func handler(label: String, level: Logger.Level) -> any LogHandler {
        switch self {
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
