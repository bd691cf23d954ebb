import NIOConcurrencyHelpers
import NIOCore

/// The live connections, so a shutdown can reach each on its own event loop.
final class ConnectionRegistry: Sendable {
    private let entries = NIOLockedValueBox([ObjectIdentifier: (loop: EventLoop, shutdown: @Sendable () -> Void)]())

    func add(_ id: ObjectIdentifier, loop: EventLoop, shutdown: @escaping @Sendable () -> Void) {
        entries.withLockedValue { $0[id] = (loop, shutdown) }
    }

    func remove(_ id: ObjectIdentifier) {
        _ = entries.withLockedValue { $0.removeValue(forKey: id) }
    }

    var isEmpty: Bool { entries.withLockedValue { $0.isEmpty } }

    /// Asks every connection to send GOAWAY and close once its accepted calls are answered.
    func shutdownAll() {
        for entry in entries.withLockedValue({ Array($0.values) }) {
            entry.loop.execute(entry.shutdown)
        }
    }
}
