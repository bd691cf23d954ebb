/// Every failure the engine reports. Data read from disk never traps: damage surfaces
/// here with the page it was found on, so an operator knows what to restore or check.
public struct StorageError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case corrupt
        case truncated
        case notADatabase
        case unsupportedVersion
        case io
        case diskFull
        case mapFull
        case locked
        case keyTooLarge
        case valueTooLarge
        case invalidArgument
        case closed
        case readOnly
        case writeConflict
        case poisoned
    }

    public var kind: Kind
    public var page: UInt64?
    public var message: String

    public init(_ kind: Kind, page: UInt64? = nil, _ message: String) {
        self.kind = kind
        self.page = page
        self.message = message
    }

    public var description: String {
        if let page { return "\(kind.rawValue) (page \(page)): \(message)" }
        return "\(kind.rawValue): \(message)"
    }

    static func corrupt(_ page: UInt64, _ message: String) -> StorageError {
        StorageError(.corrupt, page: page, message + "; run the checker and restore from a backup")
    }
}
