/// Why bytes could not become a message, or a message could not become bytes.
public struct BridgeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The bytes are not a valid encoding of the expected message type.
        case malformed
        /// A string field holds bytes that are not UTF-8.
        case invalidText
        /// A Swift value does not fit the field it was put in (kind or range).
        case typeMismatch
        /// An enum field holds a number the enum does not define.
        case unknownEnumValue
        /// Messages nest deeper than the bridge unpacks (`WireNesting.maxDepth`).
        case tooDeep
    }
    public let kind: Kind
    public let typeName: String
    public let field: String?
    public let message: String

    public var description: String {
        if let field { return "\(typeName).\(field): \(message)" }
        return "\(typeName): \(message)"
    }
}
