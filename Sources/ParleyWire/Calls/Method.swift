/// The methods of `service Parley`. A method's id on the wire is its 1-based position in
/// Protos/parley_service.proto; methods are only ever appended. `MethodTableTests` pins
/// this list against the descriptor protoc-c generated.
public enum Method: UInt16, CaseIterable, Sendable {
    case serverInfo = 1
    case logTurn
    case logTurns
    case logMessage
    case upsertDevice
    case getDevice
    case upsertContact
    case getContact
    case upsertPersona
    case getPersona
    case upsertWidget
    case getWidget
    case captureLead
    case recordFeedback
    case getTurn
    case getSessionMetrics
    case listSessionMetrics
    case countSessionMetrics
    case backfillSessionMetrics
    case setPrice
    case listPrices
    case deletePrice
    case usage
    case reportDevices
    case reportModels
    case reportDaily
    case reportPersonas
    case reportContacts
    case reportHourly
    case contactThread
    case reportSessions
    case reportConversion
    case retainDetail
    case repairTokens
    case check
    case stats
    case exportTurns
    case exportMessages
    case backup

    /// The id on the wire.
    public var id: UInt16 { rawValue }

    /// The name in the .proto, e.g. "LogTurn".
    public var name: String { Method.names[Int(rawValue) - 1] }

    // Computed once: String(describing:) on every call showed up in profiles.
    private static let names: [String] = allCases.map { m in
        let s = String(describing: m)
        return s.prefix(1).uppercased() + s.dropFirst()
    }

    /// Methods that answer with a stream of frames flagged MORE.
    public var isServerStreaming: Bool {
        switch self {
        case .backfillSessionMetrics, .retainDetail, .check, .exportTurns, .exportMessages: return true
        default: return false
        }
    }

    /// The request message type, from the generated service descriptor.
    public var requestType: MessageType {
        // safe: MethodTableTests proves every case has a descriptor entry.
        MessageCatalog.shared.methods[Int(rawValue) - 1].input
    }

    /// The response message type, from the generated service descriptor.
    public var responseType: MessageType {
        // safe: MethodTableTests proves every case has a descriptor entry.
        MessageCatalog.shared.methods[Int(rawValue) - 1].output
    }

    /// The names the generated service descriptor lists, in wire order.
    public static var descriptorNames: [String] { MessageCatalog.shared.methods.map(\.name) }
}
