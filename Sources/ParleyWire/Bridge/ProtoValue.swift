/// The value of one protobuf field, as Swift sees it. Enumerations travel as `.int`.
public enum ProtoValue: Sendable, Equatable {
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case string(String)
    case bytes([UInt8])
    case message(ProtoMessage)
    case list([ProtoValue])
}
