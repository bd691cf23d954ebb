import ParleyCore
import ParleyStorage
import ParleyStore
import ParleyWire

extension RPCError {
    /// The status a caller sees for a store failure.
    init(_ error: StoreError) {
        switch error {
        case .notFound(let m): self = RPCError(.notFound, m)
        case .conflict(let m): self = RPCError(.alreadyExists, m)
        case .invalid(let v): self = .invalidArgument(v.violations)
        case .closed: self = RPCError(.unavailable, "the server is shutting down; retry on another server or later", retryAfterMs: 1_000)
        case .storage(let s):
            switch s.kind {
            case .diskFull: self = RPCError(.resourceExhausted, "the server's disk is full: \(s.message)", retryAfterMs: 60_000)
            case .corrupt, .truncated: self = RPCError(.dataLoss, "storage damage: \(s.description)")
            default: self = RPCError(.internal, "storage: \(s.description)")
            }
        }
    }
}

/// Runs a store call and turns its errors into RPC errors.
func storeCall<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw rpcError(fromStore: error) }
}

func storeCall<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw rpcError(fromStore: error) }
}

private func rpcError(fromStore error: Error) -> Error {
    switch error {
    case let e as StoreError: return RPCError(e)
    case let e as ValidationError: return RPCError.invalidArgument(e.violations)
    case let e as StorageError: return RPCError(StoreError.storage(e))
    default: return error
    }
}
