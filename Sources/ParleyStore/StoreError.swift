import ParleyCore
import ParleyStorage

/// Failures of the store, each with a message a caller can act on.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case conflict(String)
    case invalid(ValidationError)
    case storage(StorageError)
    case closed

    public var description: String {
        switch self {
        case .notFound(let message): return "not found: \(message)"
        case .conflict(let message): return "conflict: \(message)"
        case .invalid(let error): return error.description
        case .storage(let error): return "storage: \(error.description)"
        case .closed: return "the store is closed; reopen it (or restart the server) to continue"
        }
    }

    /// Any error thrown under the store, as a StoreError. Storage errors of a closed
    /// database become `.closed`, so callers see one shape for "shut down".
    static func wrap(_ error: Error) -> StoreError {
        switch error {
        case let store as StoreError: return store
        case let storage as StorageError where storage.kind == .closed: return .closed
        case let storage as StorageError: return .storage(storage)
        case let validation as ValidationError: return .invalid(validation)
        default: return .storage(StorageError(.io, "\(error)"))
        }
    }

    /// A stored value that does not decode: damage, reported with where it was found.
    static func corrupt(tree: String, _ error: DecodeError) -> StoreError {
        .storage(StorageError(.corrupt, "a value in tree \"\(tree)\" does not decode (\(error.description)); run `parley admin check` and restore from a backup"))
    }

    static func invalid(field: String, _ reason: String) -> StoreError {
        .invalid(ValidationError([FieldViolation(field: field, reason: reason)]))
    }
}
