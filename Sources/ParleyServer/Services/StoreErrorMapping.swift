import ParleyCore
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
        case .storage:
            // storageFailure is set for every `.storage` error.
            switch error.storageFailure ?? .fault(error.description) {
            case .diskFull(let message): self = RPCError(.resourceExhausted, "the server's disk is full: \(message)", retryAfterMs: 60_000)
            case .damaged(let detail): self = RPCError(.dataLoss, "storage damage: \(detail)")
            case .fault(let detail): self = RPCError(.internal, "storage: \(detail)")
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
    default: return error
    }
}
