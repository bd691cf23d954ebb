import ParleyStorage

/// One caller's write waiting for the group-commit writer.
///
/// `perform` runs inside the batch's transaction. It prepares (reads and validates,
/// writing nothing) and then applies. An outcome that concerns only this request (a
/// validation error, a conflict) is returned as its result and must leave no writes; a
/// thrown error (storage, damage) aborts the whole batch.
protocol WriteRequest: AnyObject {
    var itemCount: Int { get }
    func perform(_ txn: StoreTransaction) throws
    /// Called only after the batch's commit returned.
    func succeed()
    func fail(_ error: StoreError)
}

/// A request whose body yields a value for an awaiting caller.
final class PendingWrite<Value: Sendable>: WriteRequest {
    let itemCount: Int
    private let body: (StoreTransaction) throws -> Result<Value, StoreError>
    private let continuation: CheckedContinuation<Value, Error>
    private var outcome: Result<Value, StoreError>?

    init(itemCount: Int, continuation: CheckedContinuation<Value, Error>, body: @escaping (StoreTransaction) throws -> Result<Value, StoreError>) {
        self.itemCount = itemCount
        self.continuation = continuation
        self.body = body
    }

    func perform(_ txn: StoreTransaction) throws {
        outcome = try body(txn)
    }

    func succeed() {
        guard let outcome else {
            continuation.resume(throwing: StoreError.storage(StorageError(.invalidArgument, "the writer completed a request it never performed")))
            return
        }
        continuation.resume(with: outcome.mapError { $0 as Error })
    }

    func fail(_ error: StoreError) {
        continuation.resume(throwing: error)
    }
}
