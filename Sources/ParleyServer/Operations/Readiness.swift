import Atomics

/// What `GET /readyz` answers: ready while the database is open, the writer runs and no
/// shutdown has begun. A load balancer stops sending work on 503 before GOAWAY arrives.
public final class Readiness: Sendable {
    private let databaseOpen = ManagedAtomic(false)
    private let shuttingDown = ManagedAtomic(false)

    public init() {}

    /// The store opened and its writer thread started.
    func databaseOpened() { databaseOpen.store(true, ordering: .releasing) }

    func databaseClosed() { databaseOpen.store(false, ordering: .releasing) }

    func shutdownBegan() { shuttingDown.store(true, ordering: .releasing) }

    /// Nil when ready, else why not (the 503 body).
    public var notReadyReason: String? {
        if shuttingDown.load(ordering: .acquiring) { return "shutting down" }
        if !databaseOpen.load(ordering: .acquiring) { return "database not open" }
        return nil
    }
}
